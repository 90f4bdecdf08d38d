"""The tamper-evident trail: the chain heads and the access log (DOMAIN.md §9).

Case history (``case_events``) and the access log are each one hash chain. Every row carries
its place in the chain (``chain_seq``), the hash of its own content and a link hash over the
previous row's link hash; the head row holds the last link so that a removed tail is seen too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .base import Base, utcnow


class ChainHead(Base):
    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    link_hash: Mapped[str] = mapped_column(String(64))


class Chained:
    """Columns of a row in a hash chain; app.audit.chain fills them when the row is flushed."""

    chain_name: str

    @declared_attr
    def chain_seq(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(unique=True)

    @declared_attr
    def content_hash(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(64))

    @declared_attr
    def link_hash(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(64))

    def chain_content(self) -> dict[str, Any]:
        raise NotImplementedError


class AccessLogEntry(Chained, Base):
    """One read of case content: who, when, which case, which view, from where."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_user_at", "user_id", "at"),
        Index("ix_access_log_case_at", "case_id", "at"),
    )
    chain_name = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(200))
    # No foreign key: the log outlives what it points at and must never block a purge.
    case_id: Mapped[int | None] = mapped_column()
    case_reference: Mapped[str] = mapped_column(String(20), default="")
    view: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "user_id": self.user_id,
            "user_name": self.user_name,
            "case_id": self.case_id,
            "case_reference": self.case_reference,
            "view": self.view,
            "detail": self.detail,
            "address": self.address,
        }


class LogReview(Base):
    """A periodic review of the access log: a random sample of users over a period."""

    __tablename__ = "log_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    period_start: Mapped[datetime] = mapped_column()
    period_end: Mapped[datetime] = mapped_column()
    sample_percent: Mapped[int] = mapped_column(default=10)
    # How many users had read case content in the period, of whom the sample was drawn.
    population: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column()
    conclusion: Mapped[str] = mapped_column(Text, default="")


class LogReviewItem(Base):
    """One sampled user in a review and what the reviewer found."""

    __tablename__ = "log_review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("log_reviews.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # "pending" until reviewed, then "ok" (every read had a need) or "remark" (follow up).
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column()


class AppendOnlyLogError(RuntimeError):
    """Raised on any attempt to change or remove an access log row."""


@event.listens_for(AccessLogEntry, "before_update")
def _refuse_update(*_args: Any) -> None:
    raise AppendOnlyLogError("the access log is append-only")


@event.listens_for(AccessLogEntry, "before_delete")
def _refuse_delete(*_args: Any) -> None:
    raise AppendOnlyLogError("the access log is append-only")
