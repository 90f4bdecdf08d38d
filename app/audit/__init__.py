"""The audit trail: hash chains over case history and the access log, and their verification."""
