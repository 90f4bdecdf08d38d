"""Conversions and reclassifications (DOMAIN.md §3.1–3.3, issue 3): an escalated deviation
becomes a lex Sarah or lex Maria case; a lex Sarah case becomes lex Maria or a deviation, and
back. Always with a motivation; the new case starts in `submitted` with its own reference, points
to the old one and the old one to it, carries the report over, and the old one ends for good."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.models import Case, CaseEvent
from tests.factories import (
    MEASURES,
    PATIENT_INFORMATION,
    action_for,
    case_in,
    case_of,
    investigation_data,
)
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed, WrongState
from workflows.lex_maria_records import record_patient_information
from workflows.records import save_investigation, update_action
from workflows.registry import flow_for

from .support import refused

PREFIX = {"lex_sarah": "LS", "lex_maria": "LM", "deviation": "AV"}
FINAL = {"deviation": "converted", "lex_sarah": "reclassified", "lex_maria": "reclassified"}


# (case type, state, legal area, who, trigger, target type, extra data)
PATHS = [
    ("deviation", "escalated", "SoL", "sas", "convert_to_lex_sarah", "lex_sarah", {}),
    ("deviation", "escalated", "SoL", "sas", "convert_to_lex_maria", "lex_maria", {}),
    ("deviation", "escalated", "HSL", "mas", "convert_to_lex_maria", "lex_maria", {}),
    ("deviation", "escalated", "HSL", "mas", "convert_to_lex_sarah", "lex_sarah", {}),
    (
        "lex_sarah",
        "under_investigation",
        None,
        "sas",
        "reclassify",
        "lex_maria",
        {"target_type": "lex_maria"},
    ),
    (
        "lex_sarah",
        "submitted",
        None,
        "sas",
        "reclassify",
        "deviation",
        {"target_type": "deviation"},
    ),
    (
        "lex_maria",
        "awaiting_assessment",
        None,
        "mas",
        "reclassify",
        "lex_sarah",
        {"target_type": "lex_sarah"},
    ),
    (
        "lex_maria",
        "follow_up",
        None,
        "mas",
        "reclassify",
        "deviation",
        {"target_type": "deviation"},
    ),
]
IDS = [f"{p[0]}-{p[1]}-{p[4]}-{p[5]}" for p in PATHS]
MOTIVATION = "Händelsen gäller en annan lag."


def origin(session, world, case_type: str, state: str, area: str | None) -> Case:
    return case_of(session, world, case_type, state, legal_area=area)


@pytest.mark.parametrize(
    ("case_type", "state", "area", "who", "trigger", "target", "extra"), PATHS, ids=IDS
)
def test_the_new_case_is_linked_both_ways(
    session, world, case_type, state, area, who, trigger, target, extra
):
    old = origin(session, world, case_type, state, area)
    actor = getattr(world, who)
    counter_before = session.scalars(select(Case.seq).where(Case.case_type == target)).all()

    event = fire(session, old, actor, trigger, {**extra, "comment": MOTIVATION})
    session.expire_all()
    new = old.successor_case

    # The old case ends, pointing to the new one.
    assert old.state == FINAL[case_type]
    assert (event.trigger, event.from_state, event.to_state) == (trigger, state, FINAL[case_type])
    assert event.comment == MOTIVATION
    assert event.data == {
        "target_type": target,
        "successor_case_id": new.id,
        "successor_reference": new.reference,
    }
    # The new one starts afresh, with its own reference, pointing back.
    assert (new.case_type, new.state, new.origin_case_id, new.successor_case_id) == (
        target,
        "submitted",
        old.id,
        None,
    )
    assert new.origin_case.id == old.id
    assert (
        new.reference
        == f"{PREFIX[target]}-{date.today().year}-{max(counter_before, default=0) + 1:04d}"
    )
    assert new.reference != old.reference
    # Its own clock: received now, not when the old report came in.
    assert new.received_at > old.received_at
    # The report is carried over; the persons are new rows with the same content.
    for name in (
        "unit_id",
        "reporter_id",
        "reporter_name",
        "description",
        "occurred_on",
        "discovered_on",
        "location",
        "reporter_actions",
        "person_informed",
        "affected",
        "harm",
        "medical_device",
    ):
        assert getattr(new, name) == getattr(old, name), name
    assert (
        [(p.name, p.personnummer) for p in new.persons]
        == [(p.name, p.personnummer) for p in old.persons]
        == [("Anna Andersson", "19121212-1212")]
    )
    assert {p.id for p in new.persons}.isdisjoint({p.id for p in old.persons})
    # Its history begins with where it came from.
    history = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == new.id).order_by(CaseEvent.id)
    ).all()
    link = "converted_from" if case_type == "deviation" else "created_from"
    assert [(e.trigger, e.from_state, e.to_state) for e in history] == [(link, None, "submitted")]
    assert history[0].data == {"origin_case_id": old.id, "origin_reference": old.reference}
    assert (history[0].actor_id, history[0].comment) == (actor.id, MOTIVATION)


@pytest.mark.parametrize(
    ("case_type", "state", "area", "who", "trigger", "target", "extra"), PATHS, ids=IDS
)
@pytest.mark.parametrize("comment", [None, "", "   "], ids=["none", "empty", "blank"])
def test_a_conversion_needs_a_motivation(
    session, world, case_type, state, area, who, trigger, target, extra, comment
):
    old = origin(session, world, case_type, state, area)
    data: dict[str, Any] = {**extra} if comment is None else {**extra, "comment": comment}
    error = refused(
        session, old, InvalidData, lambda: fire(session, old, getattr(world, who), trigger, data)
    )
    assert error.status == 422
    assert set(error.field_errors) == {"comment"}
    assert old.successor_case_id is None


@pytest.mark.parametrize(
    ("case_type", "state", "area", "who", "trigger", "target", "extra"), PATHS, ids=IDS
)
def test_the_old_case_refuses_every_further_step(
    session, world, case_type, state, area, who, trigger, target, extra
):
    old = origin(session, world, case_type, state, area)
    fire(session, old, getattr(world, who), trigger, {**extra, "comment": MOTIVATION})
    for user in world.users().values():
        assert available_triggers(session, user, old) == [], user.email
        for step in flow_for(case_type).steps:
            with pytest.raises((NotAllowed, WrongState)):
                fire(
                    session,
                    old,
                    user,
                    step.trigger,
                    {"comment": "Igen.", "target_type": "deviation"},
                )
    # The one who converted it gets 409, not 403: it is the state that refuses.
    again = refused(
        session,
        old,
        WrongState,
        lambda: fire(session, old, getattr(world, who), trigger, {**extra, "comment": MOTIVATION}),
    )
    assert again.status == 409


def test_the_new_case_takes_its_own_course(session, world):
    deviation = case_of(session, world, "deviation", "escalated", legal_area="HSL")
    fire(session, deviation, world.mas, "convert_to_lex_maria", {"comment": MOTIVATION})
    case = deviation.successor_case
    assert set(available_triggers(session, world.mas, case)) == {
        "start_investigation",
        "reclassify",
    }
    assert available_triggers(session, world.manager, case) == ["record_immediate_measures"]
    assert available_triggers(session, world.sas, case) == []
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    fire(session, case, world.mas, "start_investigation", {})
    assert case.state == "under_investigation"
    # The old case's history stays with the old case.
    assert [e.trigger for e in case.events] == [
        "converted_from",
        "record_immediate_measures",
        "start_investigation",
    ]


def test_lex_sarah_to_lex_maria_and_back(session, world):
    first = case_in(session, world, "under_investigation")
    fire(
        session,
        first,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Vårdskada."},
    )
    second = first.successor_case
    fire(session, second, world.manager, "record_immediate_measures", MEASURES)
    fire(
        session,
        second,
        world.mas,
        "reclassify",
        {"target_type": "lex_sarah", "comment": "Omsorgen."},
    )
    third = second.successor_case
    session.expire_all()

    year = date.today().year
    assert [c.reference for c in (first, second, third)] == [
        f"LS-{year}-0001",
        f"LM-{year}-0001",
        f"LS-{year}-0002",
    ]
    assert [c.state for c in (first, second, third)] == [
        "reclassified",
        "reclassified",
        "submitted",
    ]
    assert [c.case_type for c in (first, second, third)] == ["lex_sarah", "lex_maria", "lex_sarah"]
    assert (first.origin_case_id, first.successor_case_id) == (None, second.id)
    assert (second.origin_case_id, second.successor_case_id) == (first.id, third.id)
    assert (third.origin_case_id, third.successor_case_id) == (second.id, None)
    assert third.events[0].data == {
        "origin_case_id": second.id,
        "origin_reference": second.reference,
    }
    # Back with the SAS, who can start it again; the MAS has no part in it.
    assert "start_investigation" in available_triggers(session, world.sas, third)
    assert available_triggers(session, world.mas, third) == []


def test_a_deviation_reclassified_from_lex_sarah_is_the_manager_s(session, world):
    old = case_in(session, world, "awaiting_investigation")
    fire(
        session,
        old,
        world.sas,
        "reclassify",
        {"target_type": "deviation", "comment": "Ingen risk."},
    )
    new = old.successor_case
    assert available_triggers(session, world.manager, new) == ["assess"]
    assert available_triggers(session, world.sas, new) == []


@pytest.mark.parametrize(("case_type", "who"), [("lex_sarah", "sas"), ("lex_maria", "mas")])
def test_a_case_cannot_be_reclassified_as_its_own_type(session, world, case_type, who):
    case = case_of(session, world, case_type, "submitted")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(
            session,
            case,
            getattr(world, who),
            "reclassify",
            {"target_type": case_type, "comment": "x"},
        ),
    )
    assert set(error.field_errors) == {"target_type"}


def test_nothing_more_is_written_in_a_closed_off_case(session, world):
    lex_sarah = case_in(session, world, "under_investigation")
    action = action_for(session, world, lex_sarah)
    fire(
        session,
        lex_sarah,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Vårdskada."},
    )
    refused(
        session,
        lex_sarah,
        WrongState,
        lambda: save_investigation(session, lex_sarah, world.sas, investigation_data()),
    )
    refused(
        session,
        lex_sarah,
        WrongState,
        lambda: update_action(
            session, action, world.sas, {"status": "handed_over", "handed_over_note": "Planen."}
        ),
    )

    lex_maria = lex_sarah.successor_case
    fire(
        session,
        lex_maria,
        world.mas,
        "reclassify",
        {"target_type": "deviation", "comment": "Ingen skada."},
    )
    refused(
        session,
        lex_maria,
        WrongState,
        lambda: record_patient_information(session, lex_maria, world.mas, PATIENT_INFORMATION),
    )
