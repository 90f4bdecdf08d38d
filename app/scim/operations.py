"""What provisioning does to users and groups, as plain operations on a session (they flush,
the request commits). The SCIM storage (storage.py) calls them; so may anything else.

Deactivation ends access at once: the user's sessions end (their generation is raised, so the
next request with an old cookie is anonymous) and their API tokens are revoked. Rows are never
deleted, since the history of cases names the people who acted in them."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from app.auth.loaders import end_sessions
from app.directory.mapping import apply_groups, scim_group_keys
from app.models import ApiToken, DirectoryGroup, ScimUserAttributes, User

from .resources import GroupValues, UserValues


class Conflict(Exception):
    """A value that must be unique is taken (SCIM 409 uniqueness)."""


class Invalid(Exception):
    """A value the columns cannot hold (SCIM 400 invalidValue)."""


class UnknownMember(Exception):
    """A group names a member that is no user here."""


def unusable_password_hash() -> str:
    # Not a hash any method produces, so no password matches it (app/auth/passwords.py); a
    # provisioned user signs in through the identity provider.
    return "!scim:" + secrets.token_hex(16)


def new_scim_id() -> str:
    return str(uuid.uuid4())


def assign_missing_ids(db: Session | Connection) -> int:
    """Every user gets a SCIM id when SCIM first sees them, so that the directory can find a
    user who was here before provisioning (Entra ID matches on userName, then keeps the id).
    How many were given one."""
    missing = db.execute(select(User.id).where(User.scim_id.is_(None))).scalars().all()
    for user_id in missing:
        db.execute(update(User).where(User.id == user_id).values(scim_id=new_scim_id()))
    return len(missing)


def _email_taken(session: Session, email: str, user: User | None) -> bool:
    other = session.scalar(select(User).where(User.email == email))
    return other is not None and other is not user


def _check_user(values: UserValues) -> None:
    """What the columns cannot hold is refused (400), not cut: it is how the user is found."""
    if not values.email:
        raise Invalid("userName is required")
    if len(values.email) > 254:
        raise Invalid("userName is longer than 254 characters")
    if values.external_id is not None and len(values.external_id) > 255:
        raise Invalid("externalId is longer than 255 characters")


def _check_group(values: GroupValues) -> None:
    if not values.display_name:
        raise Invalid("displayName is required")
    if len(values.display_name) > 255:
        raise Invalid("displayName is longer than 255 characters")
    if values.external_id is not None and len(values.external_id) > 255:
        raise Invalid("externalId is longer than 255 characters")


def create_user(session: Session, values: UserValues) -> User:
    _check_user(values)
    if _email_taken(session, values.email, None):
        raise Conflict("userName")
    user = User(
        email=values.email,
        name=values.name,
        title=values.title,
        employer=values.employer,
        external_id=values.external_id,
        password_hash=unusable_password_hash(),
        active=values.active,
        scim_id=new_scim_id(),
        directory_managed=True,
    )
    session.add(user)
    session.flush()
    session.add(ScimUserAttributes(user_id=user.id, attributes=values.attributes))
    # Groups are what gives roles; a new user is in none until a group names them.
    apply_groups(session, user, scim_group_keys(session, user))
    return user


def update_user(session: Session, user: User, values: UserValues) -> None:
    _check_user(values)
    if _email_taken(session, values.email, user):
        raise Conflict("userName")
    user.email = values.email
    user.name = values.name
    user.title = values.title
    user.employer = values.employer
    user.external_id = values.external_id
    extra = session.get(ScimUserAttributes, user.id)
    if extra is None:
        session.add(ScimUserAttributes(user_id=user.id, attributes=values.attributes))
    else:
        extra.attributes = values.attributes
    if user.active and not values.active:
        deactivate(session, user)
    user.active = values.active
    session.flush()


def deactivate(session: Session, user: User) -> None:
    """The user can do nothing more: every session and API token ends now."""
    user.active = False
    end_sessions(user)
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    session.flush()


def delete_user(session: Session, user: User) -> None:
    """SCIM DELETE: deactivated, out of every group and so without the roles they gave, and
    gone from SCIM (a later request finds 404 for the id). The row stays."""
    deactivate(session, user)
    groups = session.scalars(
        select(DirectoryGroup).where(DirectoryGroup.members.any(User.id == user.id))
    ).all()
    for group in groups:
        group.members.remove(user)
    session.flush()
    if groups:
        apply_groups(session, user, scim_group_keys(session, user))
    user.scim_id = None
    session.flush()


def _members(session: Session, scim_ids: Iterable[str]) -> list[User]:
    wanted = list(dict.fromkeys(scim_ids))
    if not wanted:
        return []
    found = {
        u.scim_id: u for u in session.scalars(select(User).where(User.scim_id.in_(wanted))).all()
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise UnknownMember(", ".join(missing))
    return [found[i] for i in wanted]


def _display_name_taken(session: Session, name: str, group: DirectoryGroup | None) -> bool:
    other = session.scalar(select(DirectoryGroup).where(DirectoryGroup.display_name == name))
    return other is not None and other is not group


def _reapply(session: Session, users: Iterable[User]) -> None:
    """Whoever joined or left a group gets exactly what their groups now map to."""
    for user in sorted(set(users), key=lambda u: u.id):
        apply_groups(session, user, scim_group_keys(session, user))


def create_group(session: Session, values: GroupValues) -> DirectoryGroup:
    _check_group(values)
    if _display_name_taken(session, values.display_name, None):
        raise Conflict("displayName")
    members = _members(session, values.member_ids)
    group = DirectoryGroup(
        scim_id=new_scim_id(),
        display_name=values.display_name,
        external_id=values.external_id,
        members=members,
    )
    session.add(group)
    session.flush()
    _reapply(session, members)
    return group


def update_group(session: Session, group: DirectoryGroup, values: GroupValues) -> None:
    _check_group(values)
    if _display_name_taken(session, values.display_name, group):
        raise Conflict("displayName")
    before = set(group.members)
    keys_before = group.keys
    members = _members(session, values.member_ids)
    group.display_name = values.display_name
    group.external_id = values.external_id
    group.members = members
    session.flush()
    after = set(members)
    # A renamed group may match other mappings: everyone in it is weighed again.
    touched = before | after if group.keys != keys_before else before ^ after
    _reapply(session, touched)


def delete_group(session: Session, group: DirectoryGroup) -> None:
    members = list(group.members)
    session.delete(group)
    session.flush()
    _reapply(session, members)
