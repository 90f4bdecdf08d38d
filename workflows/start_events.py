"""Start events (DeadlineRule.start_event) that more than one module names: the steps that open
them declare them on their routes, workflows/deadlines.py reads two of them specially."""

from __future__ import annotations

# A completed investigation (complete_investigation, or sending an early-filed one to IVO):
# the feedback to the reporter is due from here, and a lex Maria grade decides on the patient
# information (DOMAIN.md §3.1–3.2 rev. 2, §4).
INVESTIGATION_COMPLETED = "investigation_completed"

# An early-filed case's filing recorded: its investigation goes to IVO no later than two months
# after the filing (Socialstyrelsen: "senast två månader efter det att anmälan har gjorts";
# DOMAIN.md §3.1 rev. 2), counted from the filing's date.
EARLY_FILING_RECORDED = "early_filing_recorded"
