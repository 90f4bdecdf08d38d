"""Generated documents kept as issued: each completed investigation's PDF, by its number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class StoredDocument(Base):
    """A PDF as it was when issued; reopening the investigation keeps the earlier numbers."""

    __tablename__ = "stored_documents"
    __table_args__ = (UniqueConstraint("case_id", "kind", "number", name="case_kind_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
