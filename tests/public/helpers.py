"""Shared pieces of the public intake's tests."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.public import operations as ops

SECRET = "mitt hemliga lösenord"


def link_for(session, unit=None):  # type: ignore[no-untyped-def]
    return ops.create_link(session, unit.id if unit is not None else None)


def report_form(world, **overrides: Any) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "affected": "care_recipient",
        "harm": "harmed",
        "unit_id": str(world.solgarden.id),
        "occurred_on": date.today().isoformat(),
        "description": "Brukaren blev liggande på golvet i en timme.",
        "person_informed": "unknown",
        "persons-0-name": "Anna Andersson",
        "persons-0-personnummer": "",
        "persons-0-description": "",
        "anonymous": "y",
        "secret": "",
        "website": "",
    }
    data.update(overrides)
    return data


def receipt_of(html: str) -> tuple[str, str]:
    codes = re.findall(r'class="receipt__code">([^<]+)<', html)
    assert len(codes) == 2, html
    return codes[0], codes[1]


def submit(client, link, data):  # type: ignore[no-untyped-def]
    """Posts a report through the link and reads the receipt page it leads to."""
    response = client.post(f"/lamna/{link.token}/rapport", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/kvitto")
    page = client.get("/kvitto")
    assert page.status_code == 200
    return receipt_of(page.get_data(as_text=True))


def open_follow_up(client, code: str, secret: str):  # type: ignore[no-untyped-def]
    return client.post("/foljupp", data={"code": code, "secret": secret})
