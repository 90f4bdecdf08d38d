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
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    # Unread first, then by due time (notices without one, such as decisions, last), newest first.
    query = query.order_by(
        Notification.read_at.is_not(None),
        Notification.due_at.is_(None),
        Notification.due_at,
        Notification.created_at.desc(),
        Notification.id.desc(),
    ).limit(limit)
    return session.scalars(query).all()


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
