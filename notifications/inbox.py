"""A user's in-app inbox: what needs my action, soonest due first (DOMAIN.md §6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from app.models import Notification, User


def inbox(
    session: Session, user: User, *, unread_only: bool = False, limit: int = 100
) -> Sequence[Notification]:
    """Unread first, by due time (notices without one, such as decisions, last); then, if
    there is room, the most recently read. Two bounded queries, each served by an index, since a
    SAS collects read notices by the hundred thousand over the years."""
    unread = session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(
            Notification.due_at.is_(None),
            Notification.due_at,
            Notification.created_at.desc(),
            Notification.id.desc(),
        )
        .limit(limit)
    ).all()
    if unread_only:
        return unread
    # Asked even when the unread fill the page, so a page costs the same queries whatever the
    # data (tests/performance counts them).
    read = session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_not(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [*unread, *read][:limit]


def unread_count(session: Session, user: User) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return int(count or 0)


def mark_read(session: Session, user: User, ids: Sequence[int], now: datetime) -> int:
    """Only the user's own notifications; returns how many changed."""
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.id.in_(ids),
                Notification.read_at.is_(None),
            )
            .values(read_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    return int(result.rowcount)
