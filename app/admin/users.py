"""Users as the system administrator keeps them: created with their roles and the units they
lead, edited, switched off and on — never deleted, since the history of cases names them.

The administrator never types or sees a password: a new user gets a mail with a link to choose
one (the password-reset token of app/auth/reset.py). Every change is logged on "lexflode.admin",
and changes of roles, led units and active status land in the administrative trail
(app/audit/admin_trail.py) with the reason the administrator gave. No one changes their own
roles, units or status (DOMAIN.md §2 rev. 2, separation of duties).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.audit.admin_trail import because
from app.auth import reset
from app.auth.loaders import end_sessions
from app.auth.passwords import hash_password
from app.models import OutboxMail, Unit, User
from app.models.org import ROLES
from forms.admin_org import UserForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, WrongState

from .operations import require_admin
from .versions import check_unchanged

Data = Mapping[str, Any] | MultiDict[str, Any] | None

log = logging.getLogger("lexflode.admin")


@dataclass(frozen=True)
class Filter:
    text: str = ""
    role: str = ""


def find_users(session: Session, wanted: Filter) -> list[User]:
    """Everyone, or those whose name or e-mail holds the text and who have the role."""
    # Compared in Python: SQLite's lower() leaves Å, Ä and Ö alone.
    text = wanted.text.strip().casefold()
    found = []
    for user in session.scalars(select(User).order_by(User.name, User.id)):
        if text and text not in user.name.casefold() and text not in user.email.casefold():
            continue
        if wanted.role in ROLES and not user.has_role(wanted.role):
            continue
        found.append(user)
    return found


def unit_choices(session: Session, user: User | None = None) -> list[tuple[int, str]]:
    """The units a manager may be given: the active ones, and any the user already leads."""
    have = {u.id for u in user.managed_units} if user is not None else set()
    units = session.scalars(select(Unit)).all()
    chosen = [u for u in units if u.active or u.id in have]
    return sorted(((u.id, u.path) for u in chosen), key=lambda pair: pair[1].casefold())


def user_values(user: User) -> dict[str, Any]:
    """A user as the form's data."""
    return {
        "name": user.name,
        "email": user.email,
        "title": user.title,
        "employer": user.employer,
        "roles": sorted(user.roles),
        "managed_units": sorted(u.id for u in user.managed_units),
    }


def create_user(session: Session, actor: User, data: Data, now: datetime) -> User:
    require_admin(actor)
    values = _validated(session, data, None)
    # No one knows this password: the new user chooses their own through the mailed link.
    user = User(password_hash=hash_password(secrets.token_urlsafe(32)))
    with because(values["reason"] or ""):
        _apply(session, user, values)
        session.add(user)
        session.flush()
    _invite(session, user, now)
    log.info(
        "admin %s (id %s) created user %s (id %s): roles %s, units %s",
        actor.email,
        actor.id,
        user.email,
        user.id,
        sorted(user.roles),
        sorted(u.id for u in user.managed_units),
    )
    return user


def update_user(session: Session, actor: User, user: User, data: Data) -> dict[str, Any]:
    """Returns what changed, as {field: (old, new)}."""
    require_admin(actor)
    check_unchanged(data, user_values(user))
    values = _validated(session, data, user)
    if user.id == actor.id:
        _refuse_own_grants(user, values)
    before = user_values(user)
    with because(values["reason"] or ""):
        _apply(session, user, values)
        session.flush()
    after = user_values(user)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    if changed:
        log.info(
            "admin %s (id %s) changed user %s (id %s): %s",
            actor.email,
            actor.id,
            user.email,
            user.id,
            changed,
        )
    return changed


def set_user_active(session: Session, actor: User, user: User, active: bool) -> User:
    """A deactivated user can no longer sign in, and a session or API token already open stops
    working at its next request (app/auth/loaders.py)."""
    require_admin(actor)
    if user.id == actor.id:
        raise WrongState(
            _("Du kan inte inaktivera ditt eget konto. Be en annan systemförvaltare göra det.")
            if not active
            else _("Du kan inte aktivera ditt eget konto. Be en annan systemförvaltare göra det.")
        )
    if user.active != active:
        user.active = active
        if not active:
            # Ends the user's sessions for good: reactivation does not bring them back.
            end_sessions(user)
        session.flush()
        log.info(
            "admin %s (id %s) %s user %s (id %s)",
            actor.email,
            actor.id,
            "reactivated" if active else "deactivated",
            user.email,
            user.id,
        )
    return user


def _refuse_own_grants(user: User, values: Mapping[str, Any]) -> None:
    """One's own name and title one may correct; one's own access another administrator
    grants or takes away, so that no one holds a right only they decided on."""
    errors: dict[str, list[str]] = {}
    if set(values["roles"]) != user.roles:
        errors["roles"] = [
            _(
                "Du kan inte ändra dina egna roller. Be en annan systemförvaltare göra det, så "
                "att ingen ger sig själv behörighet."
            )
        ]
    if set(values["managed_units"]) != {u.id for u in user.managed_units}:
        errors["managed_units"] = [
            _("Du kan inte ändra vilka enheter du själv leder. Be en annan systemförvaltare.")
        ]
    if errors:
        raise InvalidData(_("Du kan inte ändra din egen behörighet."), errors)


def _validated(session: Session, data: Data, user: User | None) -> dict[str, Any]:
    form = validate_form(UserForm, data, unit_choices=unit_choices(session, user))
    values = dict(form.data)
    values["email"] = values["email"].strip().lower()
    others = select(User.id).where(func.lower(User.email) == values["email"])
    if user is not None:
        others = others.where(User.id != user.id)
    taken = session.scalar(others)
    if taken is not None:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"email": [_("Det finns redan en användare med den e-postadressen.")]},
        )
    return values


def _apply(session: Session, user: User, values: Mapping[str, Any]) -> None:
    # Read before the first change: the query's autoflush must not meet a half-made user.
    units = list(session.scalars(select(Unit).where(Unit.id.in_(set(values["managed_units"])))))
    user.name = values["name"].strip()
    user.email = values["email"]
    user.title = (values["title"] or "").strip()
    user.employer = (values["employer"] or "").strip()
    user.set_roles(values["roles"])
    user.managed_units = units


def _invite(session: Session, user: User, now: datetime) -> None:
    """The welcome mail: a link to choose a password, valid as long as a reset link is. Like
    the reset mail it names no one: mail may travel unencrypted."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    hours = int(reset.MAX_AGE.total_seconds() // 3600)
    # In Swedish, as every mail Lexflöde sends (notifications/texts.py), whatever language the
    # administrator reads the pages in: the new user has chosen none yet.
    with force_locale("sv"):
        body = "\n".join(
            [
                _("Hej!"),
                "",
                _(
                    "Du har fått ett konto i Lexflöde, där avvikelser, lex Sarah och lex Maria "
                    "hanteras."
                ),
                ngettext(
                    "Välj ditt lösenord genom att öppna länken. Den fungerar en gång och gäller i "
                    "%(num)d timme:",
                    "Välj ditt lösenord genom att öppna länken. Den fungerar en gång och gäller i "
                    "%(num)d timmar:",
                    hours,
                ),
                base + reset.RESET_PATH + reset.make_token(user),
                "",
                _(
                    "Har länken hunnit sluta gälla: välj ”Glömt lösenordet?” på inloggningssidan, "
                    "%(url)s",
                    url=base + "/login",
                ),
                _("Det här är ett automatiskt meddelande och går inte att svara på."),
            ]
        )
        subject = _("Välkommen till Lexflöde: välj ditt lösenord")
    session.add(
        OutboxMail(
            user_id=user.id,
            to_address=user.email,
            subject=subject,
            body=body + "\n",
            dedupe_key=f"welcome:{user.id}:{secrets.token_hex(8)}",
            next_attempt_at=now,
            created_at=now,
        )
    )
    session.flush()
