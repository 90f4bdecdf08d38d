"""Swedish labels (via the i18n layer) for the clock's contract names: deadline kinds, their
statuses, the basis of a rule, and notification kinds. Kept apart from app/labels.py so the
clock's vocabulary travels with the clock."""

from flask_babel import lazy_gettext as _l

DEADLINE_LABELS = {
    "immediate_measures": _l("Omedelbara åtgärder"),
    "investigation_start": _l("Utredningen påbörjas"),
    "investigation_complete": _l("Utredningen slutförs"),
    "decision": _l("Beslut om anmälan till IVO"),
    "ivo_filing": _l("Anmälan till IVO"),
    "investigation_to_ivo": _l("Utredningen skickas till IVO"),
    "patient_information": _l("Information till patienten"),
    "action_due": _l("Åtgärd genomförd"),
    "reporter_feedback": _l("Återkoppling till den som rapporterade"),
    "deviation_assessment": _l("Bedömning av avvikelsen"),
    "local_investigation": _l("Lokal utredning"),
}

DEADLINE_STATUS_LABELS = {
    "open": _l("Öppen"),
    "met": _l("Uppfylld"),
    "overdue": _l("Försenad"),
    "escalated": _l("Eskalerad"),
    "waived": _l("Undantagen"),
}

BASIS_KIND_LABELS = {"law": _l("Lag eller föreskrift"), "local_routine": _l("Lokal rutin")}

RESPONSIBLE_LABELS = {
    "manager": _l("Enhetschef"),
    "sas": _l("SAS"),
    "mas": _l("MAS"),
    "chair": _l("Nämndens ordförande"),
    "action_owner": _l("Ansvarig för åtgärden"),
}

NOTIFICATION_KIND_LABELS = {
    "new_task": _l("Ny uppgift"),
    "reminder": _l("Påminnelse"),
    "overdue": _l("Tidsfristen har passerats"),
    "escalation": _l("Eskalering"),
    "decision_made": _l("Beslut fattat"),
}
