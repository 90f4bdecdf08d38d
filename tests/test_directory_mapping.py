"""Directory groups map to roles and units (DOMAIN.md §2 rev. 2)."""

from sqlalchemy import select

from app.directory.mapping import apply_groups, grants_for, scim_group_keys
from app.models import DirectoryGroup, GroupMapping, Unit, User
from tests.factories import make_user


def _unit(session, name="Hemtjänst Norr"):
    unit = Unit(name=name, kind="unit", legal_areas_csv="SoL")
    session.add(unit)
    session.flush()
    return unit


def test_groups_grant_roles_and_led_units(session):
    unit = _unit(session)
    session.add_all(
        [
            GroupMapping(group_key="sg-lexflode-staff", role="reporter"),
            GroupMapping(group_key="sg-lexflode-managers-norr", role="manager", unit_id=unit.id),
            GroupMapping(group_key="0f3c-sas-object-id", role="sas"),
        ]
    )
    user = make_user(session, "ida@example.se", roles=["admin"])
    change = apply_groups(session, user, ["sg-lexflode-staff", "sg-lexflode-managers-norr"])

    assert user.roles == {"reporter", "manager"}
    assert [u.id for u in user.managed_units] == [unit.id]
    assert user.directory_managed
    assert change.changed
    assert change.before.roles == {"admin"}
    assert change.after.unit_ids == {unit.id}


def test_leaving_every_mapped_group_removes_every_role(session):
    session.add(GroupMapping(group_key="sg-sas", role="sas"))
    user = make_user(session, "sara@example.se", roles=["sas"])
    apply_groups(session, user, ["sg-sas"])
    change = apply_groups(session, user, ["some-unmapped-group"])
    assert user.roles == set()
    assert change.before.roles == {"sas"}
    assert grants_for(session, []).roles == frozenset()


def test_scim_groups_are_matched_by_display_name_or_external_id(session):
    user = make_user(session, "maja@example.se", roles=[])
    group = DirectoryGroup(display_name="MAS", external_id="a1b2-c3")
    group.members.append(user)
    session.add(group)
    session.add(GroupMapping(group_key="a1b2-c3", role="mas"))
    session.flush()
    apply_groups(session, user, scim_group_keys(session, user))
    stored = session.scalar(select(User).where(User.id == user.id))
    assert stored is not None
    assert stored.roles == {"mas"}
