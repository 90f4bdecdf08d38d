"""Users, roles and the unit tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, read_once, utcnow

ROLES = ("reporter", "manager", "sas", "mas", "chair", "admin", "log_reviewer")
LEGAL_AREAS = ("SoL", "LSS", "HSL")
UNIT_KINDS = ("administration", "area", "unit")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    # Contractors' and temporary staff report too; their employer goes on the report.
    employer: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The UI language this user chose; None follows the deployment's default (Swedish).
    locale: Mapped[str | None] = mapped_column(String(5))
    # Stored in the session cookie at login and compared on every request (app/auth/loaders.py):
    # raised at logout, password change and deactivation, it ends every session signed in before.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # The identity provider's stable id for this person (OIDC ``sub``/``oid``, SAML NameID):
    # sign-in through the directory finds the user by it, never by e-mail alone.
    subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # SCIM: the directory's own id for the user (RFC 7643 §3.1 externalId), and the SCIM
    # resource id handed out for it (opaque, stable).
    external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    scim_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    # Roles and units come from directory groups (app/directory/mapping.py) and are replaced at
    # each sign-in or provisioning; the administrator does not edit them by hand.
    directory_managed: Mapped[bool] = mapped_column(default=False, server_default=false())

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    managed_units: Mapped[list[Unit]] = relationship(
        secondary="unit_managers", back_populates="managers", lazy="selectin"
    )

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles: list[str] | set[str]) -> None:
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(set(roles) - have)]


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    user: Mapped[User] = relationship(back_populates="role_rows")


class UnitManager(Base):
    __tablename__ = "unit_managers"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class Unit(Base):
    """förvaltning → verksamhetsområde → enhet."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="unit")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Comma-separated subset of LEGAL_AREAS.
    legal_areas_csv: Mapped[str] = mapped_column("legal_areas", String(20), default="")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    managers: Mapped[list[User]] = relationship(
        secondary="unit_managers", back_populates="managed_units", lazy="selectin"
    )

    @property
    def legal_areas(self) -> list[str]:
        return [a for a in self.legal_areas_csv.split(",") if a]

    @legal_areas.setter
    def legal_areas(self, areas: list[str]) -> None:
        self.legal_areas_csv = ",".join(a for a in LEGAL_AREAS if a in areas)

    @property
    def path(self) -> str:
        names = []
        unit: Unit | None = self
        while unit is not None:
            names.append(unit.name)
            unit = unit.parent
        return " › ".join(reversed(names))


def unit_ids_managed_by(session: Session, user: User) -> set[int]:
    """The units a manager answers for: their own and every sub-unit below them. A page asks
    for every case it weighs (permissions.manages)."""

    def walk() -> frozenset[int]:
        frontier = {u.id for u in user.managed_units}
        result: set[int] = set()
        while frontier:
            result |= frontier
            children = session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))).all()
            frontier = set(children) - result
        return frozenset(result)

    return set(read_once(session, ("managed_units", user.id), walk))
