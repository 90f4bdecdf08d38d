"""Co-investigators (medutredare, DOMAIN.md §2 rev. 2): users the SAS or MAS has let read and
write one case's investigation. A removal keeps the row (removed_at): the case's history says
who was added and removed, and this table who had access when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, read_once, utcnow

if TYPE_CHECKING:
    from .org import User


class CoInvestigator(Base):
    __tablename__ = "co_investigators"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


def co_investigated_case_ids(session: Session, user: User) -> frozenset[int]:
    """The cases ``user`` is a co-investigator of now. Every case a page weighs asks, so a
    request that only reads asks the database once (read_once); a writing one each time, so a
    removal takes effect at once."""

    def read() -> frozenset[int]:
        return frozenset(
            session.scalars(
                select(CoInvestigator.case_id).where(
                    CoInvestigator.user_id == user.id, CoInvestigator.removed_at.is_(None)
                )
            )
        )

    return read_once(session, ("co_investigating", user.id), read)


def current_co_investigators(session: Session, case_id: int) -> list[CoInvestigator]:
    """The case's co-investigators now, by name."""
    from .org import User

    return list(
        session.scalars(
            select(CoInvestigator)
            .join(User, User.id == CoInvestigator.user_id)
            .where(CoInvestigator.case_id == case_id, CoInvestigator.removed_at.is_(None))
            .order_by(User.name, User.id)
        )
    )
