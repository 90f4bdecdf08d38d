"""The sign-in rules both protocols share (app/auth/sso/signin.py), on the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.sso.signin import (
    EMAIL_TAKEN,
    NO_EMAIL,
    NO_ROLE,
    NOT_PROVISIONED,
    Identity,
    Policy,
    ensure_configured_mappings,
    sign_in,
)
from app.models import DirectoryGroup, GroupMapping, User

DEFAULT = Policy(jit_create=True, link_by_email=False)


def identity(subject: str, email: str = "", *groups: str, name: str = "") -> Identity:
    return Identity(subject=subject, email=email, name=name, groups=frozenset(groups))


@pytest.fixture
def mapped(session, world):  # type: ignore[no-untyped-def]
    session.add_all(
        [
            GroupMapping(group_key="staff", role="reporter"),
            GroupMapping(group_key="chefer-solgarden", role="manager", unit_id=world.solgarden.id),
        ]
    )
    session.flush()
    return world


def users_named(session, email: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email))


def test_the_subject_finds_the_user_whatever_the_address_says(session, mapped) -> None:  # type: ignore[no-untyped-def]
    first = sign_in(session, identity("s-1", "ny@exempelby.se", "staff", name="Ny Person"), DEFAULT)
    assert first.user is not None

    again = sign_in(session, identity("s-1", "bytt@exempelby.se", "staff"), DEFAULT)

    assert again.user is first.user
    assert again.user.email == "bytt@exempelby.se"
    assert again.user.name == "Ny Person"


def test_an_existing_account_is_linked_by_address_only_when_the_setting_says_so(
    session,  # type: ignore[no-untyped-def]
    mapped,
) -> None:
    local = mapped.reporter
    who = identity("s-2", local.email.upper(), "chefer-solgarden")

    assert sign_in(session, who, DEFAULT).refused == EMAIL_TAKEN
    assert local.subject is None

    linked = sign_in(session, who, Policy(jit_create=True, link_by_email=True))

    assert linked.user is local
    assert local.subject == "s-2"
    assert local.roles == {"manager"}
    assert [u.name for u in local.managed_units] == [mapped.solgarden.name]
    # Once: a second subject with the same address does not take the account over.
    other = identity("s-3", local.email, "staff")
    assert sign_in(session, other, Policy(True, True)).refused == EMAIL_TAKEN
    assert local.subject == "s-2"


def test_without_just_in_time_creation_only_known_subjects_sign_in(session, mapped) -> None:  # type: ignore[no-untyped-def]
    off = Policy(jit_create=False, link_by_email=False)

    assert sign_in(session, identity("s-4", "fyra@exempelby.se", "staff"), off).refused == (
        NOT_PROVISIONED
    )
    assert users_named(session, "fyra@exempelby.se") == 0

    mapped.sas.subject = "s-sas"
    assert sign_in(session, identity("s-sas", "", "staff"), off).user is mapped.sas
    # The directory's groups replace the roles the administrator had given.
    assert mapped.sas.roles == {"reporter"}


def test_refusals_create_no_one(session, mapped) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(session, identity("s-5", "fem@exempelby.se"), DEFAULT).refused == NO_ROLE
    assert sign_in(session, identity("s-5", "", "staff"), DEFAULT).refused == NO_EMAIL
    assert sign_in(session, identity("", "fem@exempelby.se", "staff"), DEFAULT).refused == (
        NOT_PROVISIONED
    )
    assert users_named(session, "fem@exempelby.se") == 0
    assert session.scalar(select(User).where(User.subject == "s-5")) is None


def test_configured_mappings_join_the_administrators_list_once(app, session, mapped) -> None:  # type: ignore[no-untyped-def]
    app.config["GROUP_MAPPINGS"] = [
        {"group": "sg-sas", "role": "sas"},
        {"group": "sg-chefer", "role": "manager", "unit": mapped.solgarden.name},
        {"group": "sg-okand", "role": "superuser"},
    ]
    ensure_configured_mappings(session, app.config)
    ensure_configured_mappings(session, app.config)

    rows = session.scalars(
        select(GroupMapping).where(GroupMapping.group_key.in_(["sg-sas", "sg-chefer", "sg-okand"]))
    ).all()
    assert sorted((m.group_key, m.role, m.unit_id) for m in rows) == [
        ("sg-chefer", "manager", mapped.solgarden.id),
        ("sg-sas", "sas", None),
    ]


def test_scim_groups_are_not_needed_for_sign_in(session, mapped) -> None:  # type: ignore[no-untyped-def]
    """The groups the provider sends at sign-in decide, not SCIM's last word."""
    session.add(DirectoryGroup(display_name="staff", members=[mapped.mas]))
    mapped.mas.subject = "s-mas"

    outcome = sign_in(session, identity("s-mas", "", "chefer-solgarden"), DEFAULT)

    assert outcome.user is mapped.mas
    assert mapped.mas.roles == {"manager"}
