"""Swedish labels (via the i18n layer) for the clock's contract names: deadline kinds, their
statuses, the basis of a rule, and notification kinds. Kept apart from app/labels.py so the
clock's vocabulary travels with the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

if TYPE_CHECKING:
    from app.models import DeadlineRule

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
    "complaint_acknowledgement": _l("Bekräftelse av synpunkt eller klagomål"),
    "complaint_answer": _l("Svar på synpunkt eller klagomål"),
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
    "sender_message": _l("Nytt meddelande från avsändaren"),
}


# What a rule's cap counts from, as the end of a sentence ("högst 2 månader efter händelsen").
CAP_ANCHOR_TEXTS = {
    "report_received": _l("efter att rapporten kom in"),
    "event": _l("efter händelsen"),
}


def duration_text(value: int, unit: str) -> str:
    """A length in words, "12 timmar", "1 arbetsdag"; empty for an action's own date."""
    if unit == "hours":
        return ngettext("%(num)d timme", "%(num)d timmar", value)
    if unit == "calendar_days":
        return ngettext("%(num)d dag", "%(num)d dagar", value)
    if unit == "working_days":
        return ngettext("%(num)d arbetsdag", "%(num)d arbetsdagar", value)
    if unit == "months":
        return ngettext("%(num)d månad", "%(num)d månader", value)
    return ""


def rule_length(rule: DeadlineRule) -> str:
    """The deadline a rule sets, in words, with its cap: "7 dagar och högst 2 månader efter
    händelsen"."""
    length = duration_text(rule.duration_value, rule.duration_unit)
    if not length or not rule.cap_months or rule.cap_anchor not in CAP_ANCHOR_TEXTS:
        return length
    return _(
        "%(length)s och %(cap)s %(anchor)s",
        length=length,
        cap=ngettext("högst %(num)d månad", "högst %(num)d månader", rule.cap_months),
        anchor=CAP_ANCHOR_TEXTS[rule.cap_anchor],
    )


def basis_length(rule: DeadlineRule) -> str:
    """The sentence that ends a deadline's basis: the length from the rule itself, so that an
    administrator's change of the rule changes the text too. The basis text holds no length
    (migration a14ba5150001 took the default policy's numbers out of it)."""
    length = rule_length(rule)
    if not length:
        return ""
    if rule.basis_kind == "local_routine":
        return _("%(length)s är lokal rutin.", length=length)
    return _("Tidsfristen är %(length)s.", length=length)
