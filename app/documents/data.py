"""Plain dicts for the document templates: every value a str, number, date or list of those, so
that no ORM object (and no lazy loading) reaches a template."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app import labels
from app.models import Case, Decision, Investigation
from app.models.investigation import ITEMS
from app.templating import DECISION_OUTCOME_LABELS

Data = dict[str, Any]


def _label(mapping: dict[Any, Any], value: Any) -> str:
    return str(mapping.get(value, value)) if value is not None else ""


def _labels(mapping: dict[Any, Any], values: list[str] | None) -> list[str]:
    return [_label(mapping, v) for v in values or []]


def given(value: str | None) -> str:
    """A field the document asks for and the case has no answer to says so, so that no
    heading stands alone (the same words in every document)."""
    return value if value and value.strip() else _("Uppgift saknas")


def given_list(values: list[str]) -> list[str]:
    return values or [_("Uppgift saknas")]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("Ej angivet")
    return _("Ja") if value else _("Nej")


def legal_basis(case: Case, kind: str) -> list[str]:
    """The provisions a document rests on; lex Sarah under LSS cites LSS, under SoL the SoL."""
    if case.case_type == "lex_maria":
        if kind == "investigation":
            return [
                _("Patientsäkerhetslagen (2010:659) 3 kap. 3–5 §§"),
                _("HSLF-FS 2017:40 (händelseanalys)"),
            ]
        # The report to IVO itself: Socialstyrelsen's regulation on lex Maria reports.
        return [_("Patientsäkerhetslagen (2010:659) 3 kap. 5 §"), _("HSLF-FS 2017:41")]
    areas = case.unit.legal_areas
    basis = []
    if "SoL" in areas or "LSS" not in areas:
        basis.append(_("Socialtjänstlagen (2025:400) 27 kap. 6 §"))
    if "LSS" in areas:
        basis.append(
            _("Lagen (1993:387) om stöd och service till vissa funktionshindrade (LSS) 24 f §")
        )
    basis.append(_("SOSFS 2011:5 5 kap.") if kind == "investigation" else _("SOSFS 2011:5"))
    return basis


def sender() -> Data:
    return {
        "municipality": current_app.config["MUNICIPALITY_NAME"],
        "committee": current_app.config["COMMITTEE_NAME"],
    }


def case_data(case: Case) -> Data:
    filing = case.latest_filing
    return {
        "reference": case.reference,
        "case_type": case.case_type,
        "case_type_label": _label(labels.CASE_TYPE_LABELS, case.case_type),
        "unit": case.unit.name,
        # The activity and unit as the unit tree names them ("Förvaltningen › Äldreomsorg ›
        # Solgården"); where the event took place is a field of its own.
        "unit_path": case.unit.path,
        "legal_areas": [_label(labels.LEGAL_AREA_LABELS, a) for a in case.unit.legal_areas],
        "received_at": case.received_at,
        "occurred_on": case.occurred_on,
        "occurred_time": case.occurred_time.strftime("%H:%M") if case.occurred_time else "",
        "occurred": " ".join(
            p
            for p in (
                case.occurred_on.isoformat() if case.occurred_on else "",
                case.occurred_time.strftime("%H:%M") if case.occurred_time else "",
            )
            if p
        ),
        "discovered_on": case.discovered_on,
        "location": case.location,
        "description": case.description,
        "reporter_actions": case.reporter_actions,
        "reporter": ", ".join(
            p for p in (case.reporter_name, case.reporter_title, case.reporter_employer) if p
        ),
        "persons": [
            {"name": p.name, "personnummer": p.personnummer or "", "description": p.description}
            for p in case.persons
        ],
        # The committee's own number from its records system, never our reference in its
        # place (DOMAIN.md §7 rev. 2): IVO files its answer under it.
        "own_case_number": own_case_number(case),
        "ivo_case_number": filing.ivo_case_number if filing else "",
    }


def own_case_number(case: Case) -> str:
    """The committee's diarienummer: given at the filing, or else entered before it; "" if
    none."""
    filing = case.latest_filing
    given_at_filing = (filing.own_case_number if filing else "").strip()
    return given_at_filing or (case.own_case_number or "").strip()


def investigation_data(case: Case, inv: Investigation) -> Data:
    return {
        "number": inv.number,
        "started_at": inv.started_at,
        "completed_at": inv.completed_at,
        "investigator": case.investigator.name if case.investigator else "",
        "items": [
            _item(inv, case.case_type, key, lines)
            for key, lines in _item_lines(inv, case.case_type)
        ],
        "what_happened": inv.what_happened,
        "causes_text": inv.causes_text,
        "measures_text": inv.measures_text,
        "other_risks": inv.other_risks,
        "assignment_date": inv.assignment_date,
        "report_due_date": inv.report_due_date,
        "cause_areas": _labels(labels.CAUSE_AREA_LABELS, inv.cause_areas),
        "underlying_causes": _labels(labels.UNDERLYING_CAUSE_LABELS, inv.underlying_causes),
        "event_types": _labels(labels.EVENT_TYPE_LABELS, inv.event_types),
        "severity": _label(labels.SEVERITY_LABELS, inv.severity),
        "likelihood": _label(labels.LIKELIHOOD_LABELS, inv.likelihood),
        "risk_score": inv.risk_score,
        "proposed_grade": _label(labels.GRADE_LABELS, inv.proposed_grade),
        "grade_motivation": inv.grade_motivation,
        "person_informed": _yes_no(inv.person_informed),
        "person_heard": _yes_no(inv.person_heard),
        "representative_informed": _label(labels.REPRESENTATIVE_LABELS, inv.representative_informed)
        or _("Ej angivet"),
        "noted_in_record": _yes_no(inv.noted_in_record),
        "police_report": _label(labels.POLICE_REPORT_LABELS, inv.police_report),
        "actions": [
            {
                "description": a.description,
                "owner": a.owner.name,
                "due_on": a.due_on,
                "status": _label(labels.ACTION_STATUS_LABELS, a.status),
            }
            for a in case.actions
        ],
    }


def _item(inv: Investigation, case_type: str, key: str, lines: list[tuple[str, str]]) -> Data:
    """One item with what SOSFS 2011:5 5 kap. asks of it: author (name and title as recorded),
    date, source, and whether it states a fact or an assessment."""
    row = inv.item(key)
    return {
        "heading": _label(labels.ITEM_LABELS.get(case_type, {}), key),
        "lines": lines,
        "author": ", ".join(p for p in (row.written_by_name, row.written_by_title) if p)
        if row
        else "",
        "written_at": row.written_at if row else None,
        "source": row.source if row else "",
        "kind": _label(labels.STATEMENT_KIND_LABELS, row.kind) if row else "",
    }


def _item_lines(inv: Investigation, case_type: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each item of the case type (app.models.investigation.ITEMS) as (label, text) lines."""
    risk = [
        (_("Allvarlighetsgrad"), _label(labels.SEVERITY_LABELS, inv.severity)),
        (_("Sannolikhet för upprepning"), _label(labels.LIKELIHOOD_LABELS, inv.likelihood)),
        (_("Riskvärde"), str(inv.risk_score) if inv.risk_score is not None else ""),
    ]
    causes = [
        (_("Orsaksområden"), ", ".join(_labels(labels.CAUSE_AREA_LABELS, inv.cause_areas))),
        (_("Beskrivning"), inv.causes_text),
    ]
    underlying = (
        _("Bakomliggande orsaker"),
        ", ".join(_labels(labels.UNDERLYING_CAUSE_LABELS, inv.underlying_causes)),
    )
    proposal = [
        (_("Föreslagen bedömning"), _label(labels.GRADE_LABELS, inv.proposed_grade)),
        (_("Motivering"), inv.grade_motivation),
    ]
    lines: dict[str, list[tuple[str, str]]] = {
        "what_happened": [("", inv.what_happened)],
        "how_noticed": [("", inv.how_noticed)],
        "when_occurred": [("", inv.when_occurred)],
        "causes": causes if case_type == "lex_maria" else [*causes[:1], underlying, causes[1]],
        "underlying_causes": [("", underlying[1])],
        "happened_before": [("", inv.happened_before)],
        "risk": risk,
        "measures": [("", inv.measures_text)],
        "other_findings": [("", inv.other_findings)],
        "proposal": proposal,
        "assignment": [
            (_("Syfte"), inv.purpose),
            (_("Uppdragsgivare"), inv.commissioner),
            (_("Uppdragsdatum"), inv.assignment_date.isoformat() if inv.assignment_date else ""),
            (
                _("Analysen ska vara klar"),
                inv.report_due_date.isoformat() if inv.report_due_date else "",
            ),
        ],
        "analysis_team": [
            ("", ", ".join(p for p in (m.name, m.role, m.unit) if p)) for m in inv.analysis_team
        ],
        "method": [("", inv.method)],
        "contributing_factors": [
            (_("Bidragande faktorer"), inv.contributing_factors),
            (_("Andra risker"), inv.other_risks),
        ],
        "analysis_evaluation": [("", inv.analysis_evaluation)],
        "commissioner_comment": [("", inv.commissioner_comment)],
    }
    return [(key, lines[key]) for key, _fields in ITEMS.get(case_type, ())]


# The investigation's answers a document prints under their own headings.
_ANSWERS = (
    "what_happened",
    "causes_text",
    "measures_text",
    "other_risks",
    "severity",
    "likelihood",
    "proposed_grade",
    "grade_motivation",
    "police_report",
)
_LIST_ANSWERS = ("cause_areas", "underlying_causes", "event_types")


def answered(inv: Data) -> Data:
    """The investigation's data with every unanswered heading saying "Uppgift saknas"."""
    out = dict(inv)
    out["items"] = [
        {
            **item,
            "lines": [(label, given(text)) for label, text in item["lines"]] or [("", given(""))],
        }
        for item in inv["items"]
    ]
    for key in _ANSWERS:
        out[key] = given(inv[key])
    for key in _LIST_ANSWERS:
        out[key] = given_list(inv[key])
    return out


def decision_data(decision: Decision) -> Data:
    return {
        "outcome": _label(DECISION_OUTCOME_LABELS, decision.outcome),
        "motivation": decision.motivation,
        "proposed_grade": _label(labels.GRADE_LABELS, decision.proposed_grade),
        "decider_grade": _label(labels.GRADE_LABELS, decision.decider_grade),
        "decider": decision.decider_name,
        "decider_role": _label(labels.ROLE_LABELS, decision.decider_role),
        "decided_at": decision.decided_at,
        "early": decision.early,
    }


def filing_decision(case: Case) -> Decision | None:
    """The latest decision to file with IVO, which the IVO report carries out."""
    approved = [d for d in case.decisions if d.outcome == "approve_filing"]
    return approved[-1] if approved else None


def ivo_report_data(case: Case) -> Data:
    decision = filing_decision(case)
    assert decision is not None  # noqa: S101  (document_applies checks it)
    inv = case.investigation
    grade = decision.decider_grade or (inv.proposed_grade if inv else None)
    if case.case_type == "lex_maria":
        informed = _yes_no(bool(case.patient_information))
    elif inv is not None and inv.person_informed is not None:
        informed = _yes_no(inv.person_informed)
    else:
        informed = _label(labels.INFORMED_LABELS, case.person_informed)
    measures = case.immediate_measures
    investigator = case.investigator
    completed = inv is not None and inv.completed_at is not None
    return {
        "sender": sender(),
        "case": case_data(case),
        "grade": _label(labels.GRADE_LABELS, grade),
        "decision": decision_data(decision),
        "immediate_measures": (
            (measures.none_needed_reason if measures.none_needed else measures.measures)
            if measures
            else ""
        ),
        "person_informed": informed,
        "contact": {
            "name": investigator.name if investigator else "",
            "title": investigator.title if investigator else "",
            "email": investigator.email if investigator else "",
        },
        "investigation": (
            answered(investigation_data(case, inv)) if inv is not None and completed else None
        ),
        "legal_basis": legal_basis(case, "ivo_report"),
        "investigation_legal_basis": legal_basis(case, "investigation"),
    }


def investigation_document_data(case: Case) -> Data:
    assert case.investigation is not None  # noqa: S101
    return {
        "sender": sender(),
        "case": case_data(case),
        "investigation": answered(investigation_data(case, case.investigation)),
        "legal_basis": legal_basis(case, "investigation"),
    }


def decision_document_data(case: Case) -> Data:
    decision = case.latest_decision
    assert decision is not None  # noqa: S101
    return {
        "sender": sender(),
        "case": case_data(case),
        "decision": decision_data(decision),
        "legal_basis": legal_basis(case, "ivo_report"),
    }
