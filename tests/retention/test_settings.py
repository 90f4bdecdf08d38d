"""The retention limits on the admin's settings page, and that a run follows them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.models import get_setting
from workflows.retention import due_for_retention, sort_due

from .support import old_marked_case

FORM = {
    "escalation_severity": "3",
    "escalation_score": "8",
    "deciding_role_lex_sarah": "chair",
    "deciding_role_lex_maria": "mas",
    "retention_lex_sarah": "5",
    "retention_lex_maria": "5",
    "retention_deviation": "5",
    "retention_complaint": "5",
    "retention_plan_lex_sarah": "purge",
    "retention_plan_lex_maria": "purge",
    "retention_plan_deviation": "purge",
    "retention_plan_complaint": "purge",
    "pattern_min_cases": "5",
    "pattern_factor": "2",
}


@pytest.fixture
def admin(client, auth, world):
    auth.login(world.admin.email)
    return client


def save(client, **changes):
    return client.post("/admin/installningar", data={**FORM, **changes})


def test_the_page_shows_the_limits_and_saves_them(admin, session, world):
    html = admin.get("/admin/installningar").get_data(as_text=True)
    assert "Gallring" in html
    assert 'name="retention_lex_sarah" required type="number" value="5"' in html

    case = old_marked_case(session, world, "lex_sarah")
    assert [d.case.id for d in due_for_retention(session, datetime.now(UTC))] == [case.id]

    assert save(admin, retention_lex_sarah="50", retention_deviation="2").status_code == 302
    session.expire_all()
    assert [get_setting(session, f"retention.{t}") for t in ("lex_sarah", "deviation")] == [50, 2]
    assert due_for_retention(session, datetime.now(UTC)) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Ange ett heltal från 1 till 50."),
        ("51", "Ange ett heltal från 1 till 50."),
        ("fem", "Ange ett heltal."),
        ("", "Fältet måste fyllas i."),
    ],
)
def test_a_limit_outside_1_to_50_years_is_refused(admin, session, value, message):
    response = save(admin, retention_lex_maria=value)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    session.expire_all()
    assert get_setting(session, "retention.lex_maria") == 5


def test_the_plan_keep_or_purge_per_case_type_is_saved_and_on_the_admin_trail(
    admin, session, world
):
    from app.models import AdminEvent

    html = admin.get("/admin/installningar").get_data(as_text=True)
    assert "Lex Sarah-ärenden enligt dokumenthanteringsplanen" in html
    assert 'checked id="retention_plan_lex_sarah-0" name="retention_plan_lex_sarah"' in html
    case = old_marked_case(session, world, "lex_sarah")

    assert save(admin, retention_plan_lex_sarah="keep").status_code == 302

    session.expire_all()
    assert get_setting(session, "retention_plan.lex_sarah") == "keep"
    assert get_setting(session, "retention_plan.deviation") == "purge"
    [event] = session.scalars(
        select(AdminEvent).where(AdminEvent.target_label == "retention_plan.lex_sarah")
    ).all()
    assert (event.kind, event.before, event.after, event.actor_name) == (
        "setting",
        {"value": "purge"},
        {"value": "keep"},
        world.admin.name,
    )
    # Still due by its years, but kept until delivered.
    sorted_due = sort_due(session, datetime.now(UTC))
    assert [s.due.case.id for s in sorted_due.skip] == [case.id]
    assert sorted_due.purge == []


def test_a_plan_other_than_keep_or_purge_is_refused(admin, session):
    response = save(admin, retention_plan_lex_maria="archive")
    assert response.status_code == 422
    assert "Inte ett giltigt val." in response.get_data(as_text=True)
    session.expire_all()
    assert get_setting(session, "retention_plan.lex_maria") == "purge"
