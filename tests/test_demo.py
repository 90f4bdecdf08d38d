"""flask demo seed: a few cases of each type in the states a demo needs, made by the demo users
through the real operations, and made once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cli.demo import seed
from app.models import Case, CaseEvent, PatientInformation, User
from workflows.engine import available_triggers


@pytest.fixture
def demo(session, monkeypatch) -> dict[str, list[Case]]:
    # A strong password hash per demo user would dominate these tests' time.
    from tests.factories import _password_hash

    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    assert seed() is True
    session.flush()
    session.expire_all()
    cases = session.scalars(select(Case).order_by(Case.id)).all()
    by_type: dict[str, list[Case]] = {}
    for case in cases:
        by_type.setdefault(case.case_type, []).append(case)
    return by_type


def user(session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def states(cases: list[Case]) -> list[str]:
    return sorted(c.state for c in cases)


def test_lex_maria_cases(session, demo):
    lex_maria = demo["lex_maria"]
    assert {"awaiting_assessment", "under_investigation", "awaiting_decision"} <= set(
        states(lex_maria)
    )
    informed = [c for c in lex_maria if c.patient_information]
    assert [c.state for c in informed] == ["under_investigation"]
    assert informed[0].patient_information[0].recipient == "relative"
    device = [c for c in lex_maria if c.medical_device]
    assert len(device) == 1
    assert device[0].medical_device_reported_on is None
    # The MAS decides by default.
    mas = user(session, "mas@exempelby.se")
    [deciding] = [c for c in lex_maria if c.state == "awaiting_decision"]
    assert "approve_filing" in available_triggers(session, mas, deciding)


def test_deviations(session, demo):
    deviations = demo["deviation"]
    assert {"submitted", "local_investigation", "escalated", "converted"} <= set(states(deviations))
    [submitted] = [c for c in deviations if c.state == "submitted"]
    assert submitted.unit.name == "Solgårdens särskilda boende"
    [local] = [c for c in deviations if c.state == "local_investigation"]
    assert local.investigation is not None
    assert local.assessment.escalated is False

    escalated = {c.assessment.category.name: c for c in deviations if c.state == "escalated"}
    theft = escalated["Stöld/ekonomiska övergrepp"]
    assert theft.assessment.police_report is True
    sas = user(session, "sas@exempelby.se")
    assert available_triggers(session, sas, theft) == ["convert_to_lex_sarah"]
    hsl = next(c for c in escalated.values() if c.assessment.legal_area == "HSL")
    assert hsl.unit.name == "Hemsjukvården"
    mas = user(session, "mas@exempelby.se")
    assert "convert_to_lex_maria" in available_triggers(session, mas, hsl)

    [converted] = [c for c in deviations if c.state == "converted"]
    assert converted.successor_case.case_type == "lex_sarah"
    assert converted.successor_case.origin_case_id == converted.id


def test_a_report_about_both_laws(session, demo):
    pairs = [c for c in demo["lex_sarah"] if c.related_case is not None]
    assert len(pairs) == 1
    lex_sarah, lex_maria = pairs[0], pairs[0].related_case
    assert lex_maria.case_type == "lex_maria"
    assert lex_maria.related_case_id == lex_sarah.id
    assert lex_sarah.description == lex_maria.description


def test_lex_sarah_cases_are_still_there(demo):
    assert {"submitted", "awaiting_investigation", "awaiting_decision"} <= set(
        states(demo["lex_sarah"])
    )


def test_every_case_has_its_history(session, demo):
    for cases in demo.values():
        for case in cases:
            triggers = session.scalars(
                select(CaseEvent.trigger).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            ).all()
            assert triggers[0] in (
                "submit",
                "converted_from",
                "register_complaint",
                "escalated_from",
            ), case.reference


def test_complaints_across_kinds_and_areas(session, demo):
    complaints = demo["complaint"]
    assert {c.complaint.kind for c in complaints} == {
        "complaint",
        "suggestion",
        "question",
        "praise",
    }
    assert {
        "received",
        "acknowledged",
        "under_investigation",
        "answered",
        "closed",
        "escalated",
    } <= set(states(complaints))
    areas = {a for c in complaints for u in c.complaint.units for a in u.legal_areas}
    assert areas >= {"SoL", "LSS", "HSL"}
    assert any(len(c.complaint.units) > 1 for c in complaints)
    [via_ivo] = [c for c in complaints if c.complaint.channel == "ivo"]
    assert via_ivo.successor_case.case_type == "lex_sarah"


def test_seeding_again_changes_nothing(session, demo):
    def counts() -> tuple[int, ...]:
        session.expire_all()
        return tuple(
            session.scalar(select(func.count()).select_from(m))
            for m in (User, Case, CaseEvent, PatientInformation)
        )

    before = counts()
    assert seed() is False
    assert counts() == before
