"""Model-level guarantees: append-only history, roles, the unit tree, settings, tokens, time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from app.models import (
    ApiToken,
    AppendOnlyError,
    Case,
    CaseEvent,
    Setting,
    get_setting,
    hash_token,
    set_setting,
    unit_ids_managed_by,
)
from tests.factories import case_in, make_user


def test_history_rows_cannot_be_changed(session, world):
    case = case_in(session, world, "awaiting_investigation")
    event = case.events[-1]
    with pytest.raises(AppendOnlyError), session.begin_nested():  # noqa: PT012
        event.comment = "efterhandskonstruktion"
        session.flush()
    session.expire_all()
    assert event.comment == ""


def test_history_rows_cannot_be_deleted(session, world):
    case = case_in(session, world, "awaiting_investigation")
    with pytest.raises(AppendOnlyError), session.begin_nested():  # noqa: PT012
        session.delete(case.events[0])
        session.flush()
    session.expire_all()
    assert len(case.events) == 2


def test_history_grows_with_every_step(session, world):
    case = case_in(session, world, "closed")
    assert [e.trigger for e in case.events] == [
        "submit",
        "record_immediate_measures",
        "start_investigation",
        "update_investigation",
        "complete_investigation",
        "approve_filing",
        "record_filing",
        "record_ivo_response",
        "record_feedback",
        "close",
    ]
    # Each transition starts where the previous one ended.
    for earlier, later in zip(case.events[1:], case.events[2:], strict=False):
        assert later.from_state == earlier.to_state
    assert all(e.at.tzinfo is not None for e in case.events)


def test_roles_are_a_known_set(session, world):
    user = world.manager
    assert user.roles == {"manager", "reporter"}
    user.set_roles(["manager", "sas"])
    session.flush()
    assert user.roles == {"manager", "sas"}
    assert user.has_role("sas", "chair")
    assert not user.has_role("chair")
    with pytest.raises(ValueError, match="unknown roles"):
        user.set_roles(["boss"])


def test_a_manager_answers_for_the_units_below(session, world):
    assert unit_ids_managed_by(session, world.area_manager) == {
        world.elder_care.id,
        world.solgarden.id,
    }
    assert unit_ids_managed_by(session, world.manager) == {world.solgarden.id}
    assert unit_ids_managed_by(session, world.sas) == set()
    assert world.solgarden.path == "Förvaltningen › Äldreomsorg › Solgården"
    assert world.solgarden.legal_areas == ["SoL", "HSL"]


def test_settings_fall_back_to_their_defaults(session, world):
    assert get_setting(session, "deciding_role.lex_sarah") == "chair"
    assert get_setting(session, "deciding_role.lex_maria") == "mas"
    set_setting(session, "deciding_role.lex_sarah", "sas")
    set_setting(session, "deciding_role.lex_sarah", "chair")
    assert session.scalars(select(Setting.value)).all() == ["chair"]
    with pytest.raises(KeyError):
        set_setting(session, "no.such.setting", 1)


def test_api_tokens_are_kept_only_as_a_hash(session, world):
    row, token = ApiToken.issue(world.sas)
    session.add(row)
    session.flush()
    assert token.startswith("lxf_")
    assert row.token_hash == hash_token(token) != token
    assert len(row.token_hash) == 64


def test_times_are_stored_and_read_in_utc(session, world):
    case = case_in(session, world, "submitted")
    with pytest.raises(StatementError, match="naive datetime"), session.begin_nested():  # noqa: PT012
        case.updated_at = datetime(2026, 1, 1, 12, 0)
        session.flush()

    session.expire_all()
    assert case.received_at.tzinfo is not None
    assert case.received_at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - case.received_at).total_seconds()) < 60


def test_latest_helpers(session, world):
    case = case_in(session, world, "closed")
    assert case.latest_decision.outcome == "approve_filing"
    assert case.latest_filing.channel == "e_service"
    assert case.latest_closure.closed_at == case.closed_at
    inv = case.investigation
    assert inv.locked
    assert inv.risk_score == 9
    assert session.scalar(select(Case.reference).where(Case.id == case.id)) == case.reference


def test_users_have_a_unique_email(session, world):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session.begin_nested():
        make_user(session, "sas@test.se", ["sas"])


def test_event_order_is_by_id(session, world):
    case = case_in(session, world, "under_investigation")
    ids = session.scalars(select(CaseEvent.id).where(CaseEvent.case_id == case.id)).all()
    assert [e.id for e in case.events] == sorted(ids)
