"""Operations that record case content without moving the state: the report, the investigation
text, actions and attachments."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.models import CaseEvent
from tests.factories import (
    action_for,
    case_in,
    investigation_data,
    make_user,
    new_case,
    report_data,
)
from workflows.errors import InvalidData, NotAllowed, StaleVersion, WrongState
from workflows.records import (
    add_action,
    add_attachment,
    investigation_writable,
    save_investigation,
    submit_report,
    update_action,
)


def last_event(session, case):
    return session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc())
    ).first()


# --- the report -------------------------------------------------------------------------------


def test_the_report_keeps_what_the_reporter_wrote_and_who_they_were(session, world):
    world.reporter.employer = "Bemanning AB"
    case = submit_report(session, world.reporter, report_data(world.solgarden))
    assert (case.case_type, case.state, case.unit_id) == (
        "lex_sarah",
        "submitted",
        world.solgarden.id,
    )
    assert (case.reporter_id, case.reporter_name, case.reporter_title, case.reporter_employer) == (
        world.reporter.id,
        world.reporter.name,
        "Titel",
        "Bemanning AB",
    )
    assert case.description.startswith("En boende föll")
    assert case.occurred_on == date.today() - timedelta(days=1)
    assert case.occurred_time.isoformat() == "21:30:00"
    assert case.person_informed == "yes"
    assert [(p.name, p.personnummer) for p in case.persons] == [("Anna Andersson", "19121212-1212")]
    [event] = case.events
    assert (event.trigger, event.from_state, event.to_state, event.actor_role) == (
        "submit",
        None,
        "submitted",
        "reporter",
    )
    assert event.data == {"reference": case.reference}


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("19121212-1212", "19121212-1212"),
        ("191212121212", "19121212-1212"),
        # Ten digits: a '+' marks someone a hundred years or older.
        ("121212+1212", "19121212-1212"),
        ("121212-1212", "20121212-1212"),
        ("1212121212", "20121212-1212"),
    ],
)
def test_personnummer_is_stored_with_its_century(session, world, given, stored):
    case = submit_report(
        session,
        world.reporter,
        report_data(
            world.solgarden, persons=[{"name": "Tolvan Tolvansson", "personnummer": given}]
        ),
    )
    assert case.persons[0].personnummer == stored


@pytest.mark.parametrize("given", ["19121212-1213", "121212-1213", "19121312-1212", "abc"])
def test_an_invalid_personnummer_is_refused(session, world, given):
    with pytest.raises(InvalidData) as caught:
        submit_report(
            session,
            world.reporter,
            report_data(world.solgarden, persons=[{"name": "Tolvan", "personnummer": given}]),
        )
    assert "personnummer" in caught.value.field_errors["persons"][0]


def test_an_unidentified_person_is_allowed_and_empty_rows_are_skipped(session, world):
    case = submit_report(
        session,
        world.reporter,
        report_data(
            world.solgarden,
            persons=[{"description": "Boende på avdelning 2"}, {"name": "", "personnummer": ""}],
        ),
    )
    assert [(p.name, p.personnummer, p.description) for p in case.persons] == [
        ("", None, "Boende på avdelning 2")
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"unit_id": 0}, "unit_id"),
        ({"occurred_on": (date.today() + timedelta(days=1)).isoformat()}, "occurred_on"),
        ({"person_informed": "maybe"}, "person_informed"),
    ],
)
def test_a_report_needs_what_happened_and_where(session, world, overrides, field):
    with pytest.raises(InvalidData) as caught:
        submit_report(session, world.reporter, report_data(world.solgarden, **overrides))
    assert field in caught.value.field_errors


def test_a_report_about_an_area_is_refused(session, world):
    """Reports are made about a unit (enhet), not about an area above it."""
    with pytest.raises(InvalidData) as caught:
        submit_report(session, world.reporter, report_data(world.elder_care))
    assert "unit_id" in caught.value.field_errors


def test_an_inactive_user_cannot_report(session, world):
    world.reporter.active = False
    with pytest.raises(NotAllowed):
        submit_report(session, world.reporter, report_data(world.solgarden))


# --- the investigation ------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["manager", "area_manager", "chair", "reporter", "mas", "admin"])
def test_only_the_sas_writes_the_investigation(session, world, actor):
    case = case_in(session, world, "under_investigation")
    with pytest.raises(NotAllowed):
        save_investigation(session, case, getattr(world, actor), investigation_data())
    assert case.investigation.what_happened == ""


@pytest.mark.parametrize(
    "state",
    [
        "submitted",
        "awaiting_investigation",
        "awaiting_decision",
        "awaiting_filing",
        "filed",
        "follow_up",
        "closed",
    ],
)
def test_the_investigation_is_written_only_while_it_is_open(session, world, state):
    case = case_in(session, world, state)
    assert not investigation_writable(case)
    with pytest.raises(WrongState):
        save_investigation(session, case, world.sas, investigation_data())


def test_each_item_keeps_its_author_and_date(session, world):
    case = case_in(session, world, "under_investigation")
    inv = save_investigation(session, case, world.sas, {"what_happened": "Första versionen."})
    assert set(inv.item_authors) == {"what_happened"}
    assert inv.item_authors["what_happened"]["user_id"] == world.sas.id
    assert last_event(session, case).trigger == "update_investigation"
    assert last_event(session, case).data == {"items": ["what_happened"]}

    colleague = make_user(session, "sas2@test.se", ["sas"])
    save_investigation(
        session,
        case,
        colleague,
        {"what_happened": "Första versionen.", "how_noticed": "Vid tillsyn."},
    )
    assert inv.item_authors["what_happened"]["user_id"] == world.sas.id
    assert inv.item_authors["how_noticed"]["user_id"] == colleague.id
    assert last_event(session, case).data == {"items": ["how_noticed"]}

    events = len(case.events)
    save_investigation(
        session,
        case,
        colleague,
        {"what_happened": "Första versionen.", "how_noticed": "Vid tillsyn."},
    )
    session.expire_all()
    assert len(case.events) == events  # nothing changed, nothing recorded


def test_investigation_values_are_stored_typed(session, world):
    case = case_in(session, world, "under_investigation")
    inv = save_investigation(session, case, world.sas, investigation_data())
    assert (inv.severity, inv.likelihood, inv.risk_score) == (3, 3, 9)
    assert (inv.person_informed, inv.noted_in_record, inv.police_report) == (
        True,
        True,
        "not_required",
    )
    assert inv.cause_areas == ["processes_routines"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", "5"),
        ("proposed_grade", "awful"),
        ("cause_areas", ["weather"]),
        ("person_informed", "kanske"),
    ],
)
def test_investigation_choices_are_checked(session, world, field, value):
    case = case_in(session, world, "under_investigation")
    with pytest.raises(InvalidData) as caught:
        save_investigation(session, case, world.sas, investigation_data(**{field: value}))
    assert field in caught.value.field_errors


def test_a_stale_investigation_save_is_refused(session, world):
    case = case_in(session, world, "under_investigation")
    version = case.version
    save_investigation(session, case, world.sas, {"what_happened": "A"}, expected_version=version)
    with pytest.raises(StaleVersion):
        save_investigation(
            session, case, world.sas, {"what_happened": "B"}, expected_version=version
        )
    assert case.investigation.what_happened == "A"


# --- actions ----------------------------------------------------------------------------------


def test_actions_are_planned_by_the_sas_with_an_owner_and_a_date(session, world):
    case = case_in(session, world, "under_investigation")
    action = action_for(session, world, case)
    assert (action.status, action.owner_id) == ("planned", world.manager.id)
    assert last_event(session, case).trigger == "add_action"

    with pytest.raises(NotAllowed):
        add_action(
            session,
            case,
            world.manager,
            {"description": "x", "owner_id": world.manager.id, "due_on": date.today().isoformat()},
        )
    with pytest.raises(InvalidData) as caught:
        add_action(
            session,
            case,
            world.sas,
            {"description": "x", "owner_id": 999_999, "due_on": date.today().isoformat()},
        )
    assert "owner_id" in caught.value.field_errors


@pytest.mark.parametrize("state", ["submitted", "awaiting_investigation", "closed", "reclassified"])
def test_actions_belong_to_an_investigated_open_case(session, world, state):
    case = case_in(session, world, state)
    with pytest.raises(WrongState):
        action_for(session, world, case)


def test_the_owner_or_the_sas_updates_an_action(session, world):
    case = case_in(session, world, "follow_up")
    action = action_for(session, world, case)
    completed = {
        "status": "completed",
        "completed_on": date.today().isoformat(),
        "effect_achieved": "partly",
    }
    with pytest.raises(NotAllowed):
        update_action(session, action, world.other_manager, completed)
    update_action(session, action, world.manager, completed)
    assert (action.status, action.effect_achieved) == ("completed", "partly")
    assert last_event(session, case).actor_role == "owner"


def test_a_closed_cases_actions_are_frozen(session, world):
    case = case_in(session, world, "follow_up")
    action = action_for(session, world, case)
    update_action(
        session, action, world.sas, {"status": "handed_over", "handed_over_note": "Plan 2026"}
    )
    from tests.factories import CLOSE, FEEDBACK
    from workflows.engine import fire
    from workflows.feedback import record_feedback

    record_feedback(session, case, world.sas, FEEDBACK)
    fire(session, case, world.sas, "close", CLOSE)
    with pytest.raises(WrongState):
        update_action(session, action, world.sas, {"status": "planned"})


# --- attachments ------------------------------------------------------------------------------


def upload(name: str, content: bytes = b"%PDF-1.4 test") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name, content_type="application/pdf")


def test_attachments_are_stored_outside_the_web_root_under_a_random_name(session, world, tmp_path):
    case = new_case(session, world)
    attachment = add_attachment(
        session, case, world.reporter, upload("../../etc/rapport.pdf"), tmp_path
    )
    assert attachment.filename == "etc_rapport.pdf"
    assert (tmp_path / attachment.stored_name).read_bytes() == b"%PDF-1.4 test"
    assert attachment.size == len(b"%PDF-1.4 test")
    assert last_event(session, case).trigger == "add_attachment"


def test_disallowed_file_types_are_refused(session, world, tmp_path):
    case = new_case(session, world)
    with pytest.raises(InvalidData) as caught:
        add_attachment(session, case, world.reporter, upload("skript.exe"), tmp_path)
    assert "attachments" in caught.value.field_errors
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("state", "actor", "refusal"),
    [
        # The SAS may add files, but not to a closed case: the state refuses it (409).
        ("closed", "sas", WrongState),
        ("submitted", "other_reporter", NotAllowed),
        ("submitted", "admin", NotAllowed),
    ],
)
def test_attachments_need_an_open_case_the_user_may_see(
    session, world, tmp_path, state, actor, refusal
):
    case = case_in(session, world, state)
    with pytest.raises(refusal):
        add_attachment(session, case, getattr(world, actor), upload("a.pdf"), tmp_path)
