"""The law as code: one machine per case type, and the one operation that moves a case."""
