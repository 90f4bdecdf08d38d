"""What each case type's investigation holds, in which order and under which names.

One InvestigationForm serves all three types (the operation reads one shape); the page shows
each type its own items: the lex Sarah investigation of SOSFS 2011:5 5 kap., the lex Maria event
analysis (händelseanalys, HSLF-FS 2017:40), and a deviation's short local investigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form

from app import labels
from app.models import Investigation
from app.models.investigation import ITEMS


@dataclass(frozen=True)
class Group:
    heading: Any
    items: tuple[str, ...]
    # Severity and likelihood: shown with the risk matrix.
    risk: bool = False


GROUPS: dict[str, tuple[Group, ...]] = {
    "lex_sarah": (
        Group(_l("Vad hände"), ("what_happened", "how_noticed", "when_occurred", "event_types")),
        Group(
            _l("Orsaker"), ("cause_areas", "underlying_causes", "causes_text", "happened_before")
        ),
        Group(_l("Risk för upprepning"), ("severity", "likelihood"), risk=True),
        Group(_l("Åtgärder och annat"), ("measures_text", "other_findings")),
        Group(
            _l("Den enskilde"),
            (
                "person_informed",
                "representative_informed",
                "person_heard",
                "noted_in_record",
                "police_report",
            ),
        ),
        Group(_l("Förslag"), ("proposed_grade", "grade_motivation")),
    ),
    "lex_maria": (
        Group(_l("Uppdrag"), ("purpose", "commissioner", "assignment_date", "report_due_date")),
        Group(_l("Analysteam och metod"), ("analysis_team", "method")),
        Group(_l("Händelsen"), ("what_happened",)),
        Group(
            _l("Orsaker"),
            (
                "cause_areas",
                "causes_text",
                "underlying_causes",
                "contributing_factors",
                "other_risks",
            ),
        ),
        Group(_l("Risk för upprepning"), ("severity", "likelihood"), risk=True),
        Group(_l("Åtgärder"), ("measures_text",)),
        Group(_l("Utvärdering"), ("analysis_evaluation", "commissioner_comment")),
        Group(_l("Förslag"), ("proposed_grade", "grade_motivation")),
    ),
    "deviation": (
        Group(_l("Vad hände"), ("what_happened",)),
        Group(_l("Orsaker"), ("cause_areas", "underlying_causes", "causes_text")),
        Group(_l("Åtgärder"), ("measures_text",)),
    ),
}

# The form's labels are lex Sarah's numbered items; the other types name theirs in their own words.
LABELS: dict[str, dict[str, Any]] = {
    "lex_maria": {
        "what_happened": _l("Händelsebeskrivning (begriplig utan medicinsk utbildning)"),
        "cause_areas": _l("Orsaksområden"),
        "causes_text": _l("Identifierade orsaker"),
        "severity": _l("Allvarlighetsgrad"),
        "measures_text": _l("Åtgärder som vidtagits och planeras"),
        "proposed_grade": _l("Händelsen utgjorde (förslag)"),
    },
    "deviation": {
        "what_happened": _l("Vad hände och vilka blev följderna?"),
        "cause_areas": _l("Orsaksområden"),
        "measures_text": _l("Åtgärder som vidtagits och planeras"),
    },
}

HEADINGS = {
    "lex_sarah": _l("Utredning"),
    "lex_maria": _l("Utredning (händelseanalys)"),
    "deviation": _l("Lokal utredning"),
}

_LISTS = {
    "cause_areas": labels.CAUSE_AREA_LABELS,
    "underlying_causes": labels.UNDERLYING_CAUSE_LABELS,
    "event_types": labels.EVENT_TYPE_LABELS,
}
_YES_NO = ("person_informed", "person_heard", "noted_in_record")


def groups_for(case_type: str) -> tuple[Group, ...]:
    return GROUPS.get(case_type, GROUPS["lex_sarah"])


def notes_after(case_type: str) -> dict[str, str]:
    """The field after which each item's source, kind and author are shown: its last one."""
    return {fields[-1]: key for key, fields in ITEMS.get(case_type, ())}


def item_fields(case_type: str) -> frozenset[str]:
    """The fields that belong to an item, whose author is the item's (not shown per field)."""
    return frozenset(f for _key, fields in ITEMS.get(case_type, ()) for f in fields)


def relabel(form: Form, case_type: str) -> Form:
    for name, text in LABELS.get(case_type, {}).items():
        form[name].label.text = text
    return form


def display(inv: Investigation, name: str) -> str:
    """A saved item as the page shows it to those who read rather than write."""
    value = getattr(inv, name)
    if name in _LISTS:
        return ", ".join(str(_LISTS[name].get(v, v)) for v in value or [])
    if name in _YES_NO:
        return "" if value is None else (_("Ja") if value else _("Nej"))
    if name == "analysis_team":
        return "\n".join(", ".join(filter(None, (p.name, p.role, p.unit))) for p in value)
    if name == "representative_informed":
        return str(labels.REPRESENTATIVE_LABELS.get(value, value)) if value else ""
    if name == "police_report":
        return str(labels.POLICE_REPORT_LABELS.get(value, value)) if value else ""
    if name == "proposed_grade":
        return str(labels.GRADE_LABELS.get(value, value)) if value else ""
    if name == "severity":
        return f"{value} {labels.SEVERITY_LABELS[value]}" if value else ""
    if name == "likelihood":
        return f"{value} {labels.LIKELIHOOD_LABELS[value]}" if value else ""
    if isinstance(value, date):
        return format_date(value, "yyyy-MM-dd")
    return value or ""
