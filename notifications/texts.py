"""Swedish words for mails: what a deadline requires and what a notification is.

Mails are Swedish whatever the reader's UI locale: they are written by the scheduler, with no
request to take a locale from.
"""

from __future__ import annotations

# What the deadline asks of the recipient, in the imperative; the same for every case type.
REQUIRED = {
    "immediate_measures": "Dokumentera omedelbara åtgärder",
    "investigation_start": "Påbörja utredningen",
    "investigation_complete": "Slutför utredningen",
    "decision": "Fatta beslut om anmälan till IVO",
    "ivo_filing": "Anmäl till IVO och registrera anmälan",
    "investigation_to_ivo": "Skicka utredningen till IVO",
    "patient_information": "Informera patienten och registrera informationen",
    "action_due": "Genomför åtgärden och registrera den",
    "reporter_feedback": "Ge återkoppling till den som rapporterade",
    "deviation_assessment": "Bedöm avvikelsen",
    "local_investigation": "Slutför den lokala utredningen",
    "complaint_acknowledgement": "Bekräfta att synpunkten eller klagomålet tagits emot",
    "complaint_answer": "Besvara synpunkten eller klagomålet",
}

KIND_TITLES = {
    "new_task": "Ny uppgift",
    "reminder": "Påminnelse",
    "overdue": "Tidsfristen har passerats",
    "escalation": "Eskalering",
    "decision_made": "Beslut fattat",
    "sender_message": "Nytt meddelande från avsändaren",
}


def required(key: str) -> str:
    return REQUIRED.get(key, "Hantera ärendet")
