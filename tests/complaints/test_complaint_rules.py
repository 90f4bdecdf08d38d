"""The complaint's rules (DOMAIN.md §3.4, §4): the clock, the receipt, answers, joint answers,
escalation, the routing setting, spam and need-to-know."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.queries import case_list
from app.complaints.operations import create_complaint
from app.models import Case, CaseEvent, Deadline, OutboxMail, set_setting
from workflows import workdays
from workflows.complaint_records import mark_spam, record_unanswerable, update_findings
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed
from workflows.permissions import can_view, visible_sections
from workflows.visibility import visible_cases

from ..workflows.support import refused
from .helpers import STEP_DATA, answer_data, complaint_in, new_complaint


def deadlines(session, case) -> dict[str, Deadline]:
    return {d.key: d for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id))}


def test_a_complaint_gets_its_reference_and_its_two_deadlines(session, world):
    case = new_complaint(session, world)
    assert re.fullmatch(rf"KL-{date.today().year}-\d{{4}}", case.reference)
    assert case.state == "received"
    clock = deadlines(session, case)
    assert set(clock) == {"complaint_acknowledgement", "complaint_answer"}
    ack, answer = clock["complaint_acknowledgement"], clock["complaint_answer"]
    assert ack.due_at == workdays.add(ack.start_at, 3, "working_days")
    assert answer.due_at == workdays.add(answer.start_at, 28, "calendar_days")
    assert all(d.status == "open" for d in clock.values())


def test_a_complaint_via_ivo_is_due_on_ivos_date(session, world):
    by = date.today() + timedelta(days=10)
    case = new_complaint(
        session, world, channel="ivo", ivo_case_number="3.5.1-12345/2026", ivo_answer_by=by
    )
    assert deadlines(session, case)["complaint_answer"].due_at == workdays.end_of_day(by)
    assert case.complaint.ivo_case_number == "3.5.1-12345/2026"


def test_via_ivo_needs_ivos_number_and_date(session, world):
    with pytest.raises(InvalidData) as caught:
        new_complaint(session, world, channel="ivo")
    assert set(caught.value.field_errors) == {"ivo_case_number", "ivo_answer_by"}


def test_the_public_e_service_creates_without_an_actor(session, world):
    case = create_complaint(
        session,
        actor=None,
        kind="suggestion",
        sender_role="anonymous",
        channel="e_service",
        text="Fler aktiviteter på helgerna.",
        unit_ids=[world.linden.id],
    )
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
    assert event.trigger == "register_complaint"
    assert event.actor_id is None
    assert case.complaint.registered_by_id is None
    assert len(deadlines(session, case)) == 2


def test_a_reporter_may_not_register_a_complaint(session, world):
    with pytest.raises(NotAllowed):
        new_complaint(session, world, actor=world.reporter)


def test_acknowledging_sends_a_receipt_without_content_and_meets_its_deadline(session, world):
    case = new_complaint(session, world)
    fire(session, case, world.manager, "acknowledge", {})
    mail = session.scalar(select(OutboxMail).where(OutboxMail.to_address == "eva@example.se"))
    assert mail is not None
    assert case.reference in mail.body
    assert "dusch" not in mail.body
    assert "Eva" not in mail.body
    assert deadlines(session, case)["complaint_acknowledgement"].status == "met"
    assert deadlines(session, case)["complaint_answer"].status == "open"


def test_without_a_contact_no_receipt_is_sent(session, world):
    case = new_complaint(session, world, sender_contact=None, sender_role="anonymous")
    count = session.scalar(select(func.count()).select_from(OutboxMail))
    fire(session, case, world.manager, "acknowledge", {})
    assert session.scalar(select(func.count()).select_from(OutboxMail)) == count


@pytest.mark.parametrize("kind", ["praise", "question"])
def test_praise_and_questions_are_answered_at_once(session, world, kind):
    case = new_complaint(session, world, kind=kind)
    assert "answer" in available_triggers(session, world.manager, case)
    fire(session, case, world.manager, "answer", answer_data())
    assert case.state == "answered"
    assert {d.status for d in deadlines(session, case).values()} == {"met"}


@pytest.mark.parametrize("kind", ["complaint", "suggestion"])
def test_a_complaint_is_investigated_before_it_is_answered(session, world, kind):
    case = new_complaint(session, world, kind=kind)
    assert "answer" not in available_triggers(session, world.manager, case)
    refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "answer", answer_data()),
    )


@pytest.mark.parametrize("missing", ["answer_text", "answered_on", "answer_channel"])
def test_the_answer_needs_its_text_date_and_channel(session, world, missing):
    case = complaint_in(session, world, "under_investigation")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "answer", answer_data(**{missing: ""})),
    )
    assert missing in error.field_errors


def test_the_answer_is_recorded_and_meets_the_deadline(session, world):
    case = complaint_in(session, world, "under_investigation")
    fire(session, case, world.manager, "answer", answer_data())
    complaint = case.complaint
    assert complaint.answer_text.startswith("Vi har gått igenom")
    assert complaint.answer_channel == "letter"
    assert complaint.answered_on == date.today()
    assert deadlines(session, case)["complaint_answer"].status == "met"


def test_several_units_make_one_complaint_answered_jointly(session, world):
    case = new_complaint(session, world, units=[world.solgarden, world.linden])
    assert {u.name for u in case.complaint.units} == {"Solgården", "Linden"}
    # Linden's manager sees and handles it as well as Solgården's.
    assert can_view(session, world.other_manager, case)
    ids = session.scalars(select(Case.id).where(visible_cases(session, world.other_manager)))
    assert case.id in set(ids)
    fire(session, case, world.other_manager, "acknowledge", {})
    fire(session, case, world.other_manager, "assign", {})
    fire(session, case, world.manager, "answer", answer_data())
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.trigger == "answer")
    ).one()
    assert sorted(event.data["units"]) == sorted([world.solgarden.id, world.linden.id])
    assert (
        session.scalar(select(func.count()).select_from(Case).where(Case.case_type == "complaint"))
        == 1
    )


def test_escalation_opens_the_linked_case_and_the_complaint_is_still_answered(session, world):
    case = complaint_in(session, world, "under_investigation")
    fire(session, case, world.sas, "escalate_to_lex_sarah", STEP_DATA["escalate_to_lex_sarah"])
    assert case.state == "escalated"
    linked = case.successor_case
    assert linked is not None
    assert linked.case_type == "lex_sarah"
    assert linked.origin_case_id == case.id
    assert linked.description == case.description
    first = session.scalars(select(CaseEvent).where(CaseEvent.case_id == linked.id)).first()
    assert first.trigger == "escalated_from"
    assert first.data["origin_reference"] == case.reference
    assert {d.key for d in deadlines(session, linked).values()} >= {"immediate_measures"}
    fire(session, case, world.manager, "answer", answer_data())
    fire(session, case, world.manager, "close", {})
    assert case.state == "closed"
    assert linked.state == "submitted"


@pytest.mark.parametrize(
    ("trigger", "target"),
    [("escalate_to_lex_maria", "lex_maria"), ("escalate_to_deviation", "deviation")],
)
def test_escalation_to_lex_maria_and_deviation(session, world, trigger, target):
    case = new_complaint(session, world)
    fire(session, case, world.mas, trigger, STEP_DATA[trigger])
    assert case.successor_case.case_type == target


def test_a_manager_may_not_escalate(session, world):
    case = new_complaint(session, world)
    refused(
        session,
        case,
        NotAllowed,
        lambda: fire(session, case, world.manager, "escalate_to_deviation", {"comment": "x"}),
    )


def test_reopening_needs_a_motivation(session, world):
    case = complaint_in(session, world, "closed")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "reopen", {})
    )
    assert "comment" in error.field_errors
    fire(session, case, world.manager, "reopen", STEP_DATA["reopen"])
    assert case.state == "under_investigation"
    assert case.closed_at is None


def test_closing_needs_the_actions_settled(session, world):
    from tests.factories import action_for

    case = complaint_in(session, world, "answered")
    action_for(session, world, case)
    refused(session, case, InvalidData, lambda: fire(session, case, world.manager, "close", {}))


def test_a_sender_without_contact_cannot_be_answered_and_the_case_closes(session, world):
    case = new_complaint(session, world, sender_contact="", sender_role="anonymous")
    record_unanswerable(session, case, world.manager)
    assert {d.status for d in deadlines(session, case).values()} == {"met"}
    fire(session, case, world.manager, "close", {})
    assert case.state == "closed"


def test_unanswerable_is_refused_when_the_sender_left_a_contact(session, world):
    from workflows.errors import WrongState

    case = new_complaint(session, world)
    refused(session, case, WrongState, lambda: record_unanswerable(session, case, world.manager))


def test_findings_and_themes_are_recorded(session, world):
    from app.models import ComplaintTheme

    case = complaint_in(session, world, "under_investigation")
    theme = session.scalar(select(ComplaintTheme).where(ComplaintTheme.name == "Bemötande"))
    update_findings(
        session, case, world.manager, {"findings": "Bristande bemötande.", "theme_ids": [theme.id]}
    )
    assert case.complaint.findings == "Bristande bemötande."
    assert [t.name for t in case.complaint.themes] == ["Bemötande"]


def test_the_setting_gives_complaints_to_the_sas_and_mas(session, world):
    set_setting(session, "complaint_investigator", "sas_mas")
    case = new_complaint(session, world)
    assert deadlines(session, case)["complaint_acknowledgement"].responsible_role == "sas"
    # The manager still sees the complaint, but acknowledging is the SAS's.
    assert can_view(session, world.manager, case)
    assert "acknowledge" not in available_triggers(session, world.manager, case)
    refused(
        session, case, NotAllowed, lambda: fire(session, case, world.manager, "acknowledge", {})
    )
    fire(session, case, world.sas, "acknowledge", {})
    # Assigned to the manager, the manager investigates and answers.
    fire(session, case, world.sas, "assign", {"investigator_id": world.manager.id})
    fire(session, case, world.manager, "answer", answer_data())
    assert case.state == "answered"


def test_by_default_the_units_manager_answers_for_the_clock(session, world):
    case = new_complaint(session, world)
    assert deadlines(session, case)["complaint_answer"].responsible_role == "manager"


def test_spam_is_kept_but_not_listed(session, world):
    case = new_complaint(session, world)

    def listed() -> set[int]:
        page = case_list(
            session,
            world.sas,
            state=None,
            unit_id=None,
            page=1,
            page_size=50,
            count_limit=1000,
            depth_limit=10000,
        )
        return {c.id for c in page.cases}

    assert case.id in listed()
    mark_spam(session, case, world.manager)
    assert case.complaint.spam
    assert case.id not in listed()
    assert session.get(Case, case.id) is not None
    # The clock stops: a spam message is nobody's to answer.
    assert {d.status for d in deadlines(session, case).values()} == {"met"}


def test_a_manager_of_another_unit_sees_nothing(session, world):
    case = new_complaint(session, world)
    assert not can_view(session, world.other_manager, case)
    assert visible_sections(session, world.other_manager, case) == frozenset()
    ids = set(session.scalars(select(Case.id).where(visible_cases(session, world.other_manager))))
    assert case.id not in ids
    assert available_triggers(session, world.other_manager, case) == []


def test_the_sas_sees_complaints_about_social_services_the_mas_about_health_care(session, world):
    from tests.factories import hsl_unit

    lss = new_complaint(session, world, units=[world.linden])
    hsl = new_complaint(session, world, units=[hsl_unit(session, world)], actor=world.mas)
    for user, sees, hidden in ((world.sas, lss, hsl), (world.mas, hsl, lss)):
        ids = set(session.scalars(select(Case.id).where(visible_cases(session, user))))
        assert sees.id in ids
        assert can_view(session, user, sees)
        assert hidden.id not in ids
        assert not can_view(session, user, hidden)
