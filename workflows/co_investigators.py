"""Adding and removing co-investigators (DOMAIN.md §2 rev. 2): the SAS or MAS lets a named user
read and write one case's investigation, and takes it back. Both are steps declared in
workflows/record_steps.py and taken through ``engine.recording``, so the history says who added
or removed whom, and the API's available_records and the case page ask the same declaration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, CoInvestigator, User, current_co_investigators
from app.models.base import utcnow
from forms.co_investigator import CoInvestigatorForm

from .engine import recording, validate_form
from .errors import InvalidData
from .permissions import oversees

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def _refused(message: str) -> InvalidData:
    return InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), {"user_id": [message]})


def may_be_added(user: User, case: Case) -> bool:
    """Someone who may be given the investigation: an active user who does not investigate the
    case already, and no administrator, who reads no case content (DOMAIN.md §2 rev. 2)."""
    return user.is_active and not user.has_role("admin") and not oversees(user, case)


def candidates(session: Session, case: Case) -> list[tuple[int, str]]:
    """(id, "Name, title") of the users who may be added now, by name."""
    current = {c.user_id for c in current_co_investigators(session, case.id)}
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id))
    return [
        (u.id, f"{u.name}, {u.title}" if u.title else u.name)
        for u in users
        if u.id not in current and may_be_added(u, case)
    ]


def add_co_investigator(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> CoInvestigator:
    with recording(
        session,
        case,
        actor,
        "add_co_investigator",
        expected_version=expected_version,
        refusal=_("Endast utredaren kan lägga till medutredare."),
    ) as ctx:
        form = validate_form(CoInvestigatorForm, data, case=case)
        user = session.get(User, form.user_id.data)
        if user is None or not may_be_added(user, case):
            raise _refused(_("Välj en aktiv användare som inte redan utreder ärendet."))
        if any(c.user_id == user.id for c in current_co_investigators(session, case.id)):
            raise _refused(_("Användaren är redan medutredare i ärendet."))
        added = CoInvestigator(case_id=case.id, user_id=user.id, added_by_id=actor.id)
        session.add(added)
        ctx.record = {"user_id": user.id, "name": user.name}
    return added


def remove_co_investigator(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> CoInvestigator:
    with recording(
        session,
        case,
        actor,
        "remove_co_investigator",
        expected_version=expected_version,
        refusal=_("Endast utredaren kan ta bort medutredare."),
    ) as ctx:
        form = validate_form(CoInvestigatorForm, data, case=case)
        removed = next(
            (
                c
                for c in current_co_investigators(session, case.id)
                if c.user_id == form.user_id.data
            ),
            None,
        )
        if removed is None:
            raise _refused(_("Användaren är inte medutredare i ärendet."))
        # The row stays, closed: who had access to the case, and until when.
        removed.removed_at = utcnow()
        removed.removed_by_id = actor.id
        ctx.record = {"user_id": removed.user_id, "name": removed.user.name}
    return removed
