"""The append-only transition history of a case."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .audit import Chained
from .base import Base, utcnow

if TYPE_CHECKING:
    from .cases import Case


class CaseEvent(Chained, Base):
    """One row per transition (and per recorded step that changes no state).

    ``trigger`` and the states use the contract names of DOMAIN.md §3.
    """

    __tablename__ = "case_events"
    chain_name = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(50))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Set when retention removed the comment and data; the row keeps its content hash so the
    # chain still verifies (app.audit.chain checks the purge was recorded).
    redacted_at: Mapped[datetime | None] = mapped_column()

    case: Mapped[Case] = relationship(back_populates="events")

    def chain_content(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "at": self.at,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "trigger": self.trigger,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "data": self.data,
            "comment": self.comment,
        }


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove a history row."""


@event.listens_for(CaseEvent, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AppendOnlyError("case history is append-only")


@event.listens_for(CaseEvent, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AppendOnlyError("case history is append-only")
