"""Who a person signed in at the identity provider is here (DOMAIN.md §2 rev. 2).

Both protocols end in an ``Identity``: the provider's stable subject, what it says about the
person, and their groups. The user is found by the subject alone; e-mail addresses are reused
and renamed in a municipality's directory, so an address never lets anyone into an account,
unless the installation asks for existing local accounts to be linked once (SSO_LINK_BY_EMAIL).
The groups are applied at every sign-in (app/directory/mapping.py), so a change in the directory
is a change here at the next sign-in. A refusal changes nothing and creates no one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.admin_trail import acting
from app.auth.passwords import hash_password
from app.directory.mapping import apply_groups, grants_for
from app.models import GroupMapping, Unit, User
from app.models.org import ROLES

# Why a sign-in was refused; each has its own page text (views.REFUSALS).
NO_ROLE = "no_role"
INACTIVE = "inactive"
NOT_PROVISIONED = "not_provisioned"
NO_EMAIL = "no_email"
EMAIL_TAKEN = "email_taken"


@dataclass(frozen=True)
class Identity:
    subject: str
    email: str
    name: str
    groups: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    user: User | None = None
    refused: str | None = None


@dataclass(frozen=True)
class Policy:
    jit_create: bool
    link_by_email: bool

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        return cls(
            jit_create=_flag(config.get("SSO_JIT_CREATE", True)),
            link_by_email=_flag(config.get("SSO_LINK_BY_EMAIL", False)),
        )


def _flag(value: object) -> bool:
    # LEXFLODE_SSO_JIT_CREATE=false arrives as a string; from_prefixed_env parses JSON, but
    # instance/config.py may say "false" too.
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


def groups_from(value: object) -> frozenset[str]:
    """A claim or attribute's groups: a list, or one group as a string."""
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    if isinstance(value, Iterable):
        return frozenset(str(v) for v in value if v)
    return frozenset()


def sign_in(session: Session, identity: Identity, policy: Policy) -> Outcome:
    """The user to start a session for, with their groups applied; or why not."""
    if not identity.subject:
        return Outcome(refused=NOT_PROVISIONED)
    email = identity.email.strip().lower()
    user = session.scalar(select(User).where(User.subject == identity.subject))
    if user is None and policy.link_by_email and email:
        user = session.scalar(
            select(User).where(func.lower(User.email) == email, User.subject.is_(None))
        )
    if user is not None and not user.active:
        return Outcome(refused=INACTIVE)
    if not grants_for(session, identity.groups).roles:
        return Outcome(refused=NO_ROLE)
    if user is None:
        refused = _cannot_create(session, email, policy)
        if refused:
            return Outcome(refused=refused)
        user = User(
            email=email,
            name=identity.name or email,
            # Signs in through the identity provider only: a password no one knows.
            password_hash=hash_password(secrets.token_urlsafe(32)),
        )
        session.add(user)
    # The administrative trail names the sign-in as the one who changed the user's access.
    with acting(f"Inloggning via identitetsleverantören ({identity.subject[:60]})"):
        user.subject = identity.subject
        _refresh_details(session, user, email, identity.name)
        apply_groups(session, user, identity.groups)
        session.flush()
    return Outcome(user=user)


def _cannot_create(session: Session, email: str, policy: Policy) -> str | None:
    if not policy.jit_create:
        return NOT_PROVISIONED
    if not email:
        return NO_EMAIL
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        return EMAIL_TAKEN
    return None


def _refresh_details(session: Session, user: User, email: str, name: str) -> None:
    """The directory's name and address win, an address only while no one else has it."""
    if name and user.name != name:
        user.name = name
    if email and user.email.lower() != email:
        taken = session.scalar(
            select(User.id).where(func.lower(User.email) == email, User.id != user.id)
        )
        if taken is None:
            user.email = email


@dataclass(frozen=True)
class ConfiguredMapping:
    group: str
    role: str
    unit: str | None


def configured_mappings(config: Mapping[str, Any]) -> list[ConfiguredMapping]:
    """GROUP_MAPPINGS from the instance configuration: dicts with "group", "role" and, for a
    manager, "unit" (the unit's name)."""
    found = []
    for entry in config.get("GROUP_MAPPINGS") or []:
        group, role = str(entry.get("group", "")).strip(), str(entry.get("role", "")).strip()
        # A role this version does not know is left out rather than refusing everyone.
        if group and role in ROLES:
            found.append(ConfiguredMapping(group, role, entry.get("unit") or None))
    return found


def ensure_configured_mappings(session: Session, config: Mapping[str, Any]) -> None:
    """Writes the configured mappings that are not yet rows, so that the admin's page and the
    mapping (app/directory/mapping.py) see one list. A unit named that does not exist is
    skipped: its managers get the role without a unit until it does."""
    for wanted in configured_mappings(config):
        unit_id = None
        if wanted.role == "manager" and wanted.unit:
            unit_id = session.scalar(select(Unit.id).where(Unit.name == wanted.unit).limit(1))
        exists = session.scalar(
            select(GroupMapping.id).where(
                GroupMapping.group_key == wanted.group,
                GroupMapping.role == wanted.role,
                GroupMapping.unit_id.is_(None)
                if unit_id is None
                else GroupMapping.unit_id == unit_id,
            )
        )
        if exists is None:
            session.add(GroupMapping(group_key=wanted.group, role=wanted.role, unit_id=unit_id))
    session.flush()
