"""Records requests (begäran om allmän handling, DOMAIN.md §9 rev. 2): what was released from a
case, to whom, by whom and how much was redacted. Nothing unredacted is kept here: the marked
names are counted, never stored, and the PDF is the redacted one that was released."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class RecordsRelease(Base):
    __tablename__ = "records_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    released_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    released_by_name: Mapped[str] = mapped_column(String(200))
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The documents released, by kind (app/documents/release.py RELEASE_KINDS).
    documents: Mapped[list[str]]
    requester: Mapped[str] = mapped_column(String(200), default="")
    requester_reference: Mapped[str] = mapped_column(String(100), default="")
    # How many of each kind of term were masked, and how many terms were marked: counts only.
    redactions: Mapped[dict[str, Any]]
    filename: Mapped[str] = mapped_column(String(255))
    # The released PDF, redacted: it is what was handed out, and a marked name cannot be
    # masked again later without storing it.
    content: Mapped[bytes] = mapped_column(LargeBinary)
