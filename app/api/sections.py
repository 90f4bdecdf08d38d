"""The case as one caller may see it: each part only when permissions.visible_sections allows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from app.audit.access import record_read
from app.models import (
    Action,
    Case,
    Closure,
    Decision,
    DeviationAssessment,
    Feedback,
    Filing,
    Investigation,
    IvoResponse,
    PatientInformation,
    User,
    current_co_investigators,
)
from app.models.investigation import ITEM_KEYS, ITEMS
from forms.investigation import InvestigationForm
from workflows.engine import available_records, available_triggers
from workflows.permissions import visible_sections
from workflows.records import investigation_writable
from workflows.registry import registered_types

from .obligations import open_obligations
from .payload import form_shape
from .serialize import case_link, case_summary, iso, person_ref


def case_json(session: Session, user: User, case: Case) -> dict[str, Any]:
    sections = visible_sections(session, user, case)
    record_read(user, case)
    out = case_summary(case)
    out["sections"] = sorted(sections)
    # A case type whose machine is not built yet (a reclassified case's deviation) has no steps.
    known = case.case_type in registered_types()
    out["available_triggers"] = available_triggers(session, user, case) if known else []
    out["available_records"] = available_records(session, user, case) if known else []
    out["links"] = {
        "origin": case_link(session, user, case.origin_case),
        "successor": case_link(session, user, case.successor_case),
        "related": case_link(session, user, case.related_case),
        "events": url_for("api.case_events", case_id=case.id) if "history" in sections else None,
    }
    if "report" in sections:
        out["report"] = report_json(case)
        if case.complaint is not None:
            out["complaint"] = complaint_json(case, sections)
    if "persons" in sections:
        out["persons"] = [
            {
                "id": p.id,
                "name": p.name,
                "personnummer": p.personnummer,
                "description": p.description,
            }
            for p in case.persons
        ]
    if "measures" in sections:
        out["immediate_measures"] = measures_json(case)
        if case.case_type == "lex_maria":
            # The unit needs to know whether the device's report has gone to Läkemedelsverket.
            out["medical_device"] = {
                "involved": case.medical_device,
                "reported_on": iso(case.medical_device_reported_on),
            }
    if "investigation" in sections:
        out["investigator"] = person_ref(case.investigator)
        out["investigation"] = investigation_json(case)
        if case.case_type in ("lex_sarah", "lex_maria"):
            # Who else writes the investigation (DOMAIN.md §2 rev. 2).
            out["co_investigators"] = [
                {"id": c.user_id, "name": c.user.name, "added_at": iso(c.added_at)}
                for c in current_co_investigators(session, case.id)
            ]
        if case.case_type == "deviation":
            out["assessment"] = assessment_json(session, case.assessment)
        if case.case_type == "lex_maria":
            # The patient's own account is as confidential as the analysis itself.
            out["patient_information"] = [
                patient_information_json(session, p) for p in case.patient_information
            ]
    if "actions" in sections:
        out["actions"] = [action_json(a) for a in case.actions]
    if "decision" in sections:
        out["decisions"] = [decision_json(d) for d in case.decisions]
    if "filing" in sections:
        out["filings"] = [filing_json(f) for f in case.filings]
        out["ivo_responses"] = [ivo_response_json(r) for r in case.ivo_responses]
        out["obligations"] = open_obligations(session, case)
    if "feedback" in sections:
        out["feedback"] = [feedback_json(f) for f in case.feedback]
        # Whether the person was told the investigation's result is the investigation's
        # business, not the reporter's: the feedback text is what was written for them.
        if "investigation" in sections:
            out["closures"] = [closure_json(c) for c in case.closures]
    return out


def complaint_json(case: Case, sections: frozenset[str]) -> dict[str, Any]:
    """A complaint's own content (DOMAIN.md §3.4); what was found and the answer only for those
    who see the investigation and the feedback."""
    c = case.complaint
    assert c is not None  # noqa: S101  (asked by the caller)
    investigation = "investigation" in sections
    feedback = "feedback" in sections
    return {
        "kind": c.kind,
        "sender_role": c.sender_role,
        "channel": c.channel,
        "sender_name": c.sender_name,
        "sender_contact": c.sender_contact,
        "ivo_case_number": c.ivo_case_number,
        "ivo_answer_by": iso(c.ivo_answer_by),
        "units": [{"id": u.id, "name": u.name} for u in c.units],
        "acknowledged_at": iso(c.acknowledged_at),
        "receipt_sent": c.receipt_sent,
        "spam": c.spam,
        "findings": c.findings if investigation else None,
        "themes": [{"id": t.id, "name": t.name} for t in c.themes] if investigation else None,
        "answer": (
            {"answered_on": iso(c.answered_on), "channel": c.answer_channel, "text": c.answer_text}
            if feedback and c.answered_on is not None
            else None
        ),
        "unanswerable": (c.unanswerable_at is not None) if feedback else None,
    }


def report_json(case: Case) -> dict[str, Any]:
    return {
        "occurred_on": iso(case.occurred_on),
        "occurred_time": iso(case.occurred_time),
        "discovered_on": iso(case.discovered_on),
        "location": case.location,
        "description": case.description,
        "reporter_actions": case.reporter_actions,
        "person_informed": case.person_informed,
        # The reporter's plain answers that chose the case type.
        "affected": case.affected,
        "harm": case.harm,
        "medical_device": case.medical_device,
        "reporter": {
            "id": case.reporter_id,
            "name": case.reporter_name,
            "title": case.reporter_title,
            "employer": case.reporter_employer,
        },
        "attachments": [
            {
                "id": a.id,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "uploaded_at": iso(a.uploaded_at),
            }
            for a in case.attachments
            # The report's own files; the investigator's are the investigation's.
            if a.section == "report"
        ],
    }


def measures_json(case: Case) -> dict[str, Any] | None:
    m = case.immediate_measures
    if m is None:
        return None
    return {
        "none_needed": m.none_needed,
        "measures": m.measures,
        "none_needed_reason": m.none_needed_reason,
        "taken_at": iso(m.taken_at),
        "recorded_by": person_ref(m.recorded_by),
        "recorded_at": iso(m.recorded_at),
    }


YES_NO_ITEMS = ("person_informed", "person_heard", "noted_in_record")
# Each item's source and kind are written as "<item>_source" and "<item>_kind" and read in
# "items", with the item's author and date.
NOTE_FIELDS = frozenset(f"{key}_{part}" for key in ITEM_KEYS for part in ("source", "kind"))
# The fields a read of the investigation holds, as its form names them.
INVESTIGATION_ITEMS = tuple(n for n in form_shape(InvestigationForm) if n not in NOTE_FIELDS)


def investigation_fields(inv: Investigation) -> dict[str, Any]:
    """The investigation's fields in the words of its form, so that what a client reads it can
    send back unchanged."""
    out: dict[str, Any] = {}
    for name in INVESTIGATION_ITEMS:
        value = getattr(inv, name)
        if name in YES_NO_ITEMS:
            value = {True: "yes", False: "no"}.get(value)
        elif name == "analysis_team":
            value = [{"name": p.name, "role": p.role, "unit": p.unit} for p in value]
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def item_notes_json(inv: Investigation, case_type: str) -> list[dict[str, Any]]:
    """Each item of the case type with its author (name and title as recorded), date, source
    and kind (SOSFS 2011:5 5 kap.); an item not yet written has no author."""
    out = []
    for key, _fields in ITEMS.get(case_type, ()):
        row = inv.item(key)
        out.append(
            {
                "item": key,
                "source": row.source if row else "",
                "kind": row.kind if row else None,
                "written_by": (
                    {
                        "id": row.written_by_id,
                        "name": row.written_by_name,
                        "title": row.written_by_title,
                    }
                    if row and row.written_at
                    else None
                ),
                "written_at": iso(row.written_at) if row else None,
            }
        )
    return out


def investigation_json(case: Case) -> dict[str, Any] | None:
    inv = case.investigation
    if inv is None:
        return None
    out = investigation_fields(inv)
    out.update(
        number=inv.number,
        started_at=iso(inv.started_at),
        completed_at=iso(inv.completed_at),
        locked=inv.locked,
        writable=investigation_writable(case),
        risk_score=inv.risk_score,
        items=item_notes_json(inv, case.case_type),
        item_authors=inv.item_authors,
        early_filing=case.early_filing,
        sent_to_ivo_on=iso(case.investigation_sent_to_ivo_on),
    )
    return out


def assessment_json(session: Session, a: DeviationAssessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "legal_area": a.legal_area,
        "category": {"id": a.category_id, "name": a.category.name},
        "severity": a.severity,
        "likelihood": a.likelihood,
        "score": a.score,
        "escalated": a.escalated,
        "police_report": a.police_report,
        "assessed_by": person_ref(session.get(User, a.assessed_by_id)),
        "assessed_at": iso(a.assessed_at),
    }


def patient_information_json(session: Session, p: PatientInformation) -> dict[str, Any]:
    return {
        "id": p.id,
        "informed_on": iso(p.informed_on),
        "informed_by": p.informed_by,
        "recipient": p.recipient,
        "recipient_name": p.recipient_name,
        "topics": list(p.topics),
        "noted_in_patient_record": p.noted_in_patient_record,
        "patient_account": p.patient_account,
        "recorded_by": person_ref(session.get(User, p.recorded_by_id)),
        "recorded_at": iso(p.recorded_at),
    }


def action_json(a: Action) -> dict[str, Any]:
    return {
        "id": a.id,
        "description": a.description,
        "owner": person_ref(a.owner),
        "due_on": iso(a.due_on),
        "status": a.status,
        "completed_on": iso(a.completed_on),
        "effect_achieved": a.effect_achieved,
        "effect_evaluation": a.effect_evaluation,
        "handed_over_note": a.handed_over_note,
        "created_at": iso(a.created_at),
    }


def decision_json(d: Decision) -> dict[str, Any]:
    return {
        "id": d.id,
        "outcome": d.outcome,
        "motivation": d.motivation,
        "decider_grade": d.decider_grade,
        "proposed_grade": d.proposed_grade,
        "early": d.early,
        "decider": {"id": d.decider_id, "name": d.decider_name},
        "decider_role": d.decider_role,
        "decided_at": iso(d.decided_at),
    }


def filing_json(f: Filing) -> dict[str, Any]:
    return {
        "id": f.id,
        "filed_on": iso(f.filed_on),
        "channel": f.channel,
        "ivo_case_number": f.ivo_case_number,
        "own_case_number": f.own_case_number,
        "recorded_at": iso(f.recorded_at),
    }


def ivo_response_json(r: IvoResponse) -> dict[str, Any]:
    return {
        "id": r.id,
        "received_on": iso(r.received_on),
        "outcome": r.outcome,
        "text": r.text,
        "recorded_at": iso(r.recorded_at),
    }


def feedback_json(f: Feedback) -> dict[str, Any]:
    return {
        "id": f.id,
        "feedback_on": iso(f.given_on),
        "feedback_channel": f.channel,
        "feedback_text": f.text,
        "recorded_at": iso(f.recorded_at),
    }


def closure_json(c: Closure) -> dict[str, Any]:
    return {"closed_at": iso(c.closed_at), "person_informed": c.person_informed}
