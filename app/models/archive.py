"""Deliveries to the e-archive (DOMAIN.md §9, rev. 2: archive before purge)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ArchiveDelivery(Base):
    """One case delivered as an FGS package (E-ARK SIP). Kept after the case is purged: it is
    the warrant for the purge and tells the archive's package from its id and checksum."""

    __tablename__ = "archive_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One delivery per case: `flask archive deliver` run twice delivers once.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(20))
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who ran the delivery: a user's name, or the command line's operator.
    delivered_by: Mapped[str] = mapped_column(String(200))
    # The package's METS OBJID, "uuid:…"; also the name of its root folder in the zip.
    package_id: Mapped[str] = mapped_column(String(60), unique=True)
    # SHA-256 of the zip as delivered, hex.
    checksum: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    file_count: Mapped[int]
    # The file written or the URL posted to.
    destination: Mapped[str] = mapped_column(String(1000))
