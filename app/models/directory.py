"""What the municipality's directory says about users (DOMAIN.md §2 rev. 2): the groups it
provisions over SCIM, and which groups grant which roles and units.

A group is known by whatever the identity provider or SCIM client sends for it (Entra ID sends
object ids, Keycloak and AD FS names): a mapping's ``group_key`` matches either a group's
display name or its external id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import Unit, User


class GroupMapping(Base):
    """Members of ``group_key`` hold ``role``; a manager mapping names the unit they lead."""

    __tablename__ = "group_mappings"
    __table_args__ = (UniqueConstraint("group_key", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(String(255), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class DirectoryGroupMember(Base):
    __tablename__ = "directory_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("directory_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DirectoryGroup(Base):
    """A group as the directory provisions it over SCIM (RFC 7643 §4.2)."""

    __tablename__ = "directory_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The SCIM resource id: opaque and stable, never reused (RFC 7643 §3.1).
    scim_id: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    display_name: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list[User]] = relationship(secondary="directory_group_members")

    @property
    def keys(self) -> set[str]:
        """What a mapping may name this group by."""
        return {k for k in (self.display_name, self.external_id) if k}
