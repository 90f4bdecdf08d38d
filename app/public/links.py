"""The published links as the administrator lists and prints them."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import PublicLink
from app.models.unit_tree import unit_paths


@dataclass(frozen=True)
class ShownLink:
    id: int
    url: str
    place: str | None  # the unit's path; None for the whole administration


def public_url(link: PublicLink) -> str:
    return url_for("public.start", token=link.token, _external=True)


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG, made here: nothing on the printed page loads from outside."""
    svg = segno.make(url, error="m").svg_inline(scale=8, border=4, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704  (segno's own markup, made from the URL alone)


def listed(session: Session) -> list[ShownLink]:
    links = list(
        session.scalars(
            select(PublicLink).where(PublicLink.active.is_(True)).order_by(PublicLink.id)
        )
    )
    paths = unit_paths(session, {link.unit_id for link in links if link.unit_id is not None})
    return [
        ShownLink(link.id, public_url(link), paths.get(link.unit_id) if link.unit_id else None)
        for link in links
    ]
