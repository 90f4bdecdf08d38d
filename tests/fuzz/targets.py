"""For each API operation: a case where it can really run, the user whose role runs it, and a
body it accepts. Fuzzing then spoils that body, so the form's validation (not a 403 or a 409 in
front of it) is what meets the hostile input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.models import Case, User
from tests.factories import (
    CLOSE,
    FEEDBACK,
    FILING,
    IVO_RESPONSE,
    MEASURES,
    PATIENT_INFORMATION,
    TODAY,
    World,
    action_for,
    assessment,
    case_of,
    investigation_data,
    make_user,
    report_data,
)
from workflows.co_investigators import add_co_investigator
from workflows.engine import fire


@dataclass
class Target:
    method: str
    path: str
    user: User
    body: dict[str, Any] | None = None
    query: dict[str, Any] = field(default_factory=dict)


def api_targets(session: Session, world: World) -> dict[str, Target]:
    """Keyed by the OpenAPI operationId."""
    sarah = case_of(session, world, "lex_sarah", "under_investigation")
    action = action_for(session, world, sarah)
    early = early_filed(session, world)
    documented = early_filed(session, world, sent=True)
    maria = case_of(session, world, "lex_maria", "under_investigation", medical_device=True)
    # One co-investigator to remove, another to add.
    helper = make_user(session, "medutredare@test.se", ["reporter"])
    add_co_investigator(session, sarah, world.sas, {"user_id": helper.id})
    case = f"/api/v1/cases/{sarah.id}"
    session.flush()
    # Every write names the version of the case it was made against.
    sarah_at = {"expected_version": sarah.version}
    maria_at = {"expected_version": maria.version}
    return {
        "openapi_document": Target("GET", "/api/v1/openapi.json", world.admin),
        "create_case": Target(
            "POST", "/api/v1/cases", world.reporter, report_data(world.solgarden)
        ),
        "list_cases": Target(
            "GET",
            "/api/v1/cases",
            world.sas,
            query={"page": 1, "per_page": 10, "type": "lex_sarah", "state": "filed"},
        ),
        "case_detail": Target("GET", case, world.sas),
        "case_events": Target("GET", f"{case}/events", world.sas),
        "case_deadlines_view": Target("GET", f"{case}/deadlines", world.sas),
        "case_document": Target(
            "GET",
            f"/api/v1/cases/{documented.id}/documents/investigation.pdf",
            world.sas,
            query={"number": 1},
        ),
        "fire_transition": Target(
            "POST",
            f"{case}/transitions",
            world.sas,
            {
                "trigger": "propose_early_filing",
                "data": {"proposed_grade": "serious_misconduct", "grade_motivation": "Motiv."},
                "comment": "",
                "expected_version": sarah.version,
            },
        ),
        "save_investigation": Target(
            "PUT", f"{case}/investigation", world.sas, {**investigation_data(), **sarah_at}
        ),
        "patch_investigation": Target(
            "PATCH",
            f"{case}/investigation",
            world.sas,
            {"what_happened": "Den boende föll.", "severity": "2", **sarah_at},
        ),
        "action_detail": Target("GET", f"{case}/actions/{action.id}", world.manager),
        "list_units": Target(
            "GET", "/api/v1/units", world.reporter, query={"per_page": 5, "active": "true"}
        ),
        "add_action": Target(
            "POST",
            f"{case}/actions",
            world.sas,
            {
                "description": "Utbilda personalen.",
                "owner_id": world.manager.id,
                "due_on": (date.today() + timedelta(days=14)).isoformat(),
                **sarah_at,
            },
        ),
        "update_action": Target(
            "PATCH",
            f"{case}/actions/{action.id}",
            world.sas,
            {
                "status": "completed",
                "completed_on": TODAY,
                "effect_achieved": "yes",
                "effect_evaluation": "Bra.",
                **sarah_at,
            },
        ),
        "investigation_sent": Target(
            "POST",
            f"/api/v1/cases/{early.id}/investigation-sent",
            world.sas,
            {"sent_on": TODAY, "expected_version": early.version},
        ),
        "record_patient_information": Target(
            "POST",
            f"/api/v1/cases/{maria.id}/patient-information",
            world.mas,
            {**PATIENT_INFORMATION, **maria_at},
        ),
        "record_medical_device_report": Target(
            "POST",
            f"/api/v1/cases/{maria.id}/medical-device-report",
            world.mas,
            {"reported_on": TODAY, **maria_at},
        ),
        "add_co_investigator": Target(
            "POST",
            f"{case}/co-investigators",
            world.sas,
            {"user_id": world.reporter.id, **sarah_at},
        ),
        "remove_co_investigator": Target(
            "POST", f"{case}/co-investigators/remove", world.sas, {"user_id": helper.id, **sarah_at}
        ),
        # The investigation sent, so complete: the reporter may be given feedback.
        "record_feedback": Target(
            "POST",
            f"/api/v1/cases/{documented.id}/feedback",
            world.sas,
            {**FEEDBACK, "expected_version": documented.version},
        ),
        "statistics_view": Target("GET", "/api/v1/statistics", world.sas, query={"year": 2026}),
    }


def early_filed(session: Session, world: World, *, sent: bool = False) -> Case:
    """A lex Sarah case filed early: its investigation may still be written and sent to IVO;
    ``sent`` sends it, which stores investigation PDF number 1."""
    from workflows.records import record_investigation_sent, save_investigation

    case = case_of(session, world, "lex_sarah", "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Allvarligt."},
    )
    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls."})
    fire(session, case, world.sas, "record_filing", FILING)
    assert case.state == "filed"
    assert case.early_filing
    if sent:
        record_investigation_sent(session, case, world.sas, {"sent_on": TODAY})
    return case


# The steps of each walk, state by state: (trigger, actor attribute, a body it accepts).
# Every trigger of every machine appears at least once: lex Maria's machine is lex Sarah's, and
# a deviation's later steps take the same forms as lex Sarah's.
def transition_plan(
    session: Session, world: World
) -> dict[str, list[tuple[str, list[tuple[str, str, Any]]]]]:
    comment = {"comment": "Motivering."}
    return {
        "lex_sarah": [
            (
                "submitted",
                [
                    ("record_immediate_measures", "manager", MEASURES),
                    ("start_investigation", "sas", {"investigator_id": world.sas.id}),
                    ("reclassify", "sas", {"target_type": "deviation", **comment}),
                ],
            ),
            (
                "under_investigation",
                [
                    ("complete_investigation", "sas", {}),
                    (
                        "propose_early_filing",
                        "sas",
                        {"proposed_grade": "serious_misconduct", "grade_motivation": "Motiv."},
                    ),
                ],
            ),
            (
                "awaiting_decision",
                [
                    ("approve_filing", "chair", {"motivation": "Allvarligt."}),
                    (
                        "decline_filing",
                        "chair",
                        {"decider_grade": "misconduct", "motivation": "Inte allvarligt."},
                    ),
                    ("return_to_investigator", "chair", comment),
                ],
            ),
            ("awaiting_filing", [("record_filing", "sas", FILING)]),
            ("filed", [("record_ivo_response", "sas", IVO_RESPONSE)]),
            ("follow_up", [("close", "sas", CLOSE)]),
            ("closed", [("reopen", "sas", comment)]),
        ],
        "deviation": [
            ("submitted", [("assess", "manager", assessment(session))]),
            (
                "escalated",
                [
                    ("convert_to_lex_sarah", "sas", comment),
                    ("convert_to_lex_maria", "sas", comment),
                    ("return_to_manager", "sas", comment),
                ],
            ),
        ],
    }
