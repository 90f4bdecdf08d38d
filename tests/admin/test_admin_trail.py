"""Separation of duties and the administrative trail (DOMAIN.md §2 and §9, rev. 2): no one
changes their own roles, units or status; every change of someone's roles, units or status —
whoever makes it, through whichever door — is a row on its own hash chain, and so are changes
of settings, thresholds, categories and the deadline policy."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.admin_trail import acting
from app.directory.mapping import apply_groups
from app.models import AdminEvent, GroupMapping, User, UserRole
from app.models.audit import AppendOnlyLogError
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _before_the_test(world, session):  # type: ignore[no-untyped-def]
    """The world's users were created with their roles, and are on the trail already: the
    tests look at what came after."""
    session.flush()
    _START[0] = session.scalar(select(func.max(AdminEvent.chain_seq))) or 0


_START = [0]


def trail(session, **where) -> list[AdminEvent]:  # type: ignore[no-untyped-def]
    session.expire_all()
    query = (
        select(AdminEvent).where(AdminEvent.chain_seq > _START[0]).order_by(AdminEvent.chain_seq)
    )
    for name, value in where.items():
        query = query.where(getattr(AdminEvent, name) == value)
    return list(session.scalars(query))


def user_form(user: User, **overrides) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "name": user.name,
        "email": user.email,
        "title": user.title,
        "employer": user.employer,
        "roles": sorted(user.roles),
        "managed_units": [str(u.id) for u in user.managed_units],
    }
    data.update(overrides)
    return data


def test_the_admin_cannot_grant_themselves_a_role(admin, world, session):
    before = len(trail(session))
    response = admin.post(
        f"/admin/anvandare/{world.admin.id}", data=user_form(world.admin, roles=["admin", "sas"])
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Du kan inte ändra din egen behörighet." in html
    assert "Du kan inte ändra dina egna roller." in html
    session.expire_all()
    assert world.admin.roles == {"admin"}
    assert len(trail(session)) == before


def test_the_admin_cannot_make_themselves_a_manager_of_units(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.admin.id}",
        data=user_form(world.admin, roles=["admin"], managed_units=[str(world.linden.id)]),
    )
    assert response.status_code == 422
    session.expire_all()
    assert world.admin.managed_units == []


def test_the_admin_may_still_correct_their_own_name(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.admin.id}", data=user_form(world.admin, name="Ny")
    )
    assert response.status_code == 302
    session.expire_all()
    assert world.admin.name == "Ny"


def test_granting_sas_to_someone_else_is_on_the_trail(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.reporter.id}",
        data=user_form(world.reporter, roles=["reporter", "sas"], reason="Vikariat, KS 2026/12"),
    )
    assert response.status_code == 302
    [row] = trail(session, target_id=world.reporter.id, kind="roles")
    assert (row.actor_id, row.actor_name) == (world.admin.id, world.admin.name)
    assert row.target_type == "user"
    assert world.reporter.email in row.target_label
    assert row.before == {"roles": ["reporter"]}
    assert row.after == {"roles": ["reporter", "sas"]}
    assert row.reason == "Vikariat, KS 2026/12"
    assert row.chain_seq > 0
    assert len(row.link_hash) == 64


def test_units_and_status_are_on_the_trail(admin, world, session):
    manager = world.other_manager
    response = admin.post(
        f"/admin/anvandare/{manager.id}",
        data=user_form(manager, managed_units=[str(world.linden.id), str(world.solgarden.id)]),
    )
    assert response.status_code == 302
    [units] = trail(session, target_id=manager.id, kind="units")
    assert units.before == {"units": [world.linden.name]}
    assert units.after == {"units": sorted([world.linden.name, world.solgarden.name])}

    assert (
        admin.post(f"/admin/anvandare/{manager.id}/aktiv", data={"active": "0"}).status_code == 302
    )
    [status] = trail(session, target_id=manager.id, kind="active")
    assert (status.before, status.after) == ({"active": True}, {"active": False})


def test_a_new_user_with_roles_is_on_the_trail(admin, world, session):
    response = admin.post(
        "/admin/anvandare/ny",
        data={
            "name": "Ny Sas",
            "email": "ny.sas@test.se",
            "roles": ["sas"],
            "reason": "Nyanställd",
        },
    )
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.email == "ny.sas@test.se"))
    [row] = trail(session, target_id=user.id)
    assert (row.kind, row.before, row.after) == ("roles", {"roles": []}, {"roles": ["sas"]})
    assert (row.actor_name, row.reason) == (world.admin.name, "Nyanställd")


def test_the_units_page_cannot_make_the_admin_a_manager(admin, world, session):
    world.admin.set_roles(["admin", "manager"])
    world.admin.managed_units = [world.solgarden]
    session.flush()
    unit = world.linden
    managers = [str(u.id) for u in unit.managers] + [str(world.admin.id)]
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": str(unit.parent_id),
        "legal_areas": unit.legal_areas,
        "managers": managers,
    }
    response = admin.post(f"/admin/enheter/{unit.id}", data=data)
    assert response.status_code == 422
    assert "Du kan inte ändra vilka enheter du själv leder." in response.get_data(as_text=True)
    session.expire_all()
    assert [u.id for u in world.admin.managed_units] == [world.solgarden.id]

    # Someone else made manager from the unit's page: on the trail, as a change of their units.
    data["managers"] = [str(u.id) for u in unit.managers] + [str(world.manager.id)]
    assert admin.post(f"/admin/enheter/{unit.id}", data=data).status_code == 302
    [row] = trail(session, target_id=world.manager.id, kind="units")
    assert row.after == {"units": sorted([world.solgarden.name, unit.name])}


def test_changes_outside_the_admin_pages_are_on_the_trail_too(app, world, session):
    """SCIM, a directory sign-in and the CLI change users without the admin pages: the session
    records them all, under the name they act by."""
    session.add(GroupMapping(group_key="sas-gruppen", role="sas"))
    session.flush()
    with acting("SCIM"):
        apply_groups(session, world.chair, ["sas-gruppen"])
    [row] = trail(session, target_id=world.chair.id)
    assert (row.actor_id, row.actor_name) == (None, "SCIM")
    assert (row.before, row.after) == ({"roles": ["chair"]}, {"roles": ["sas"]})

    # A role row added on its own, and nobody named: "system".
    session.add(UserRole(user_id=world.mas.id, role="log_reviewer"))
    session.flush()
    [row] = trail(session, target_id=world.mas.id)
    assert row.actor_name == "system"
    assert row.after == {"roles": ["log_reviewer", "mas"]}

    created = make_user(session, "cli@test.se", ["admin"])
    session.flush()
    assert [r.after for r in trail(session, target_id=created.id)] == [{"roles": ["admin"]}]


def test_the_cli_records_itself(app, world, session):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "nod@test.se",
            "--name",
            "Nöd",
            "--role",
            "admin",
            "--password",
            "ett långt lösenord",
        ],
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "nod@test.se"))
    [row] = trail(session, target_id=user.id)
    assert row.actor_name.startswith("CLI (")
    assert row.after == {"roles": ["admin"]}


def test_settings_thresholds_categories_and_policy_are_on_the_trail(admin, world, session):
    from tests.test_admin_deadline_rules import PATH, V1
    from tests.test_admin_settings import DEFAULTS

    data = {**DEFAULTS, "escalation_severity": "4", "retention_lex_maria": "7"}
    assert admin.post("/admin/installningar", data=data).status_code == 302
    [threshold] = trail(session, kind="threshold")
    assert (threshold.target_label, threshold.before, threshold.after) == (
        "escalation.severity",
        {"value": 3},
        {"value": 4},
    )
    assert threshold.actor_name == world.admin.name
    [setting] = trail(session, kind="setting")
    assert (setting.target_label, setting.after) == ("retention.lex_maria", {"value": 7})

    data = {"name": "Nutrition", "sort_order": "20", "active": "y"}
    assert admin.post("/admin/kategorier/ny", data=data).status_code == 302
    [category] = trail(session, kind="category")
    assert (category.before, category.after["name"]) == ({}, "Nutrition")

    data = {**V1, "duration_value": "12", "note": "Nämndens beslut 2026-12-01."}
    assert admin.post(PATH, data=data).status_code == 302
    [policy] = trail(session, kind="deadline_policy")
    assert policy.before == {"rule": "lex_sarah:immediate_measures", "duration_value": 24}
    assert policy.after == {"rule": "lex_sarah:immediate_measures", "duration_value": 12}
    assert policy.reason == "Nämndens beslut 2026-12-01."


def test_the_trail_is_append_only(app, world, session):
    session.add(UserRole(user_id=world.mas.id, role="chair"))
    session.flush()
    [row] = trail(session, target_id=world.mas.id)
    row.reason = "ändrat"
    with pytest.raises(AppendOnlyLogError):
        session.flush()
    session.rollback()
