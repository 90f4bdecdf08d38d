"""The cases a case is linked to (DOMAIN.md §3: conversions, reclassifications, one report about
both laws), and the history it carries over from the case it was created from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.models import Case, User
from workflows.permissions import can_view, visible_sections

# How far back a chain of conversions is followed (deviation → lex Sarah → lex Maria …).
MAX_ORIGINS = 5


@dataclass
class Link:
    text: Any
    case: Case
    # A link only for those who may open the other case; the others see its reference.
    viewable: bool


def linked_cases(session: Session, user: User, case: Case) -> list[Link]:
    links: list[tuple[Any, Case | None]] = [
        (_l("Skapat från"), case.origin_case),
        (
            _l("Omvandlat till") if case.state == "converted" else _l("Omklassificerat till"),
            case.successor_case,
        ),
        (_l("Rapporterat tillsammans med"), case.related_case),
    ]
    return [
        Link(text, other, can_view(session, user, other))
        for text, other in links
        if other is not None
    ]


def origin_histories(session: Session, user: User, case: Case) -> list[Case]:
    """The cases this one grew out of whose history this user may read, nearest first."""
    found: list[Case] = []
    seen = {case.id}
    origin = case.origin_case
    while origin is not None and origin.id not in seen and len(seen) <= MAX_ORIGINS:
        seen.add(origin.id)
        if "history" in visible_sections(session, user, origin):
            found.append(origin)
        origin = origin.origin_case
    return found
