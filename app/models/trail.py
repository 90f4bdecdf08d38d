"""Two more hash chains beside the history and the access log (DOMAIN.md §2 and §9, rev. 2).

``admin_events``: the administrative trail — every change of a user's roles, led units or active
status, and of the deadline policy, settings, thresholds and categories: who, when, what, before,
after and why. app.audit.admin_trail writes it; no one edits it.

``purge_seals``: one row per purged case, written by the retention run in the same transaction
as it blanks the case's history. For each history row it names the content hash the row had and
the hash its content has once blanked, so that the verification accepts a purged row only as the
purge left it, and only when the purge itself is on a chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from .audit import AppendOnlyLogError, Chained
from .base import Base, utcnow


class AdminEvent(Chained, Base):
    __tablename__ = "admin_events"
    __table_args__ = (Index("ix_admin_events_target_at", "target_type", "target_id", "at"),)
    chain_name = "admin_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # No foreign keys: the trail outlives what it names.
    actor_id: Mapped[int | None] = mapped_column()
    # The user's name, or who acted without one: "CLI (os user)", "SCIM", "system", …
    actor_name: Mapped[str] = mapped_column(String(200))
    # "roles", "units", "active", "setting", "threshold", "category", "deadline_policy", …
    kind: Mapped[str] = mapped_column(String(40))
    # "user", "setting", "category", "deadline_policy", "group_mapping"
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column()
    target_label: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "kind": self.kind,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


class PurgeSeal(Chained, Base):
    __tablename__ = "purge_seals"
    chain_name = "purge_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # No foreign key: like the history it vouches for, it must never block anything.
    case_id: Mapped[int] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(20), default="")
    # {history chain_seq: [content hash before, content hash of the blanked row]}
    rows: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def chain_content(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "case_id": self.case_id,
            "reference": self.reference,
            "rows": self.rows,
        }


@event.listens_for(AdminEvent, "before_update")
@event.listens_for(AdminEvent, "before_delete")
@event.listens_for(PurgeSeal, "before_update")
@event.listens_for(PurgeSeal, "before_delete")
def _refuse_change(*_args: Any) -> None:
    raise AppendOnlyLogError("the administrative trail and the purge seals are append-only")
