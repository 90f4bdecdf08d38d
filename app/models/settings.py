"""Settings the admin changes without touching code (DOMAIN.md: 'local routine')."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base, read_once

DEFAULTS: dict[str, Any] = {
    # Which role decides on IVO filing (Kommunallagen 6 kap. 37–40 §§ allows delegation).
    "deciding_role.lex_sarah": "chair",
    "deciding_role.lex_maria": "mas",
    # Risk matrix thresholds for escalating a deviation (DOMAIN.md §5).
    "escalation.severity": 3,
    "escalation.score": 8,
    # Retention (gallring, DOMAIN.md §9): years after closing before a case's personal data and
    # free text are removed. The municipality's document management plan decides; the default
    # is the 5 years after the last entry that SoL 17 kap. 10 § sets for lex Sarah records of
    # private providers. Lex Maria and deviations have no rule of their own for these cases
    # (PDL 3 kap. 17 §'s 10 years is for the patient record, which these cases are not), so
    # they default to the same 5 years.
    "retention.lex_sarah": 5,
    "retention.lex_maria": 5,
    "retention.deviation": 5,
    # Per the document management plan (DOMAIN.md §9, rev. 2): "purge" (gallras) or "keep"
    # (bevaras). A kept case is delivered to the e-archive (app/archive/) before retention may
    # purge it here. Purge is the default so that an installation's runs do not change before
    # its plan has been entered.
    "retention_plan.lex_sarah": "purge",
    "retention_plan.lex_maria": "purge",
    "retention_plan.deviation": "purge",
    "retention_plan.complaint": "purge",
    # A recurring pattern in the statistics (DOMAIN.md §8 rev. 2): a unit, or a unit and
    # deviation category, with at least this many cases in the period and at least this many
    # times its own mean for the periods of the same length before it.
    "statistics.pattern_min_cases": 5,
    "statistics.pattern_factor": 2.0,
    "retention.complaint": 5,
    # Who acknowledges and investigates a complaint by default (DOMAIN.md §3.4): the unit's
    # manager (seed 001) or the SAS/MAS of the unit's area (seed 003: the SAS investigates all).
    "complaint_investigator": "manager",
}


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


def get_setting(session: Session, key: str) -> Any:
    # A page weighing a hundred cases asks for the deciding role of each.
    value = read_once(
        session,
        ("setting", key),
        lambda: session.scalar(select(Setting.value).where(Setting.key == key)),
    )
    return DEFAULTS[key] if value is None else value


def set_setting(session: Session, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
