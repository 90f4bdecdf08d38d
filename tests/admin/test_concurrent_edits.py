"""Two administrators open the same edit page; the first saves. The second's save, made on what
the page showed before, is refused (409, in Swedish) instead of silently undoing the first's, and
the page it gets back keeps what was typed. Opening the page again, the second may save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app.admin.versions import FIELD
from app.models import Category, get_setting
from tests.fuzz.support import page_form

from .conftest import signed_in

STALE = "Någon annan har ändrat uppgifterna sedan du öppnade sidan."


def category_id(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(select(Category.id).order_by(Category.id)).first()


# Each page: its address, the change the first admin saves, the second's change, and how to
# read back the field both changed.
PAGES: dict[str, tuple[Callable[..., str], dict[str, str], dict[str, str], Callable[..., Any]]] = {
    "category": (
        lambda s, w: f"/admin/kategorier/{category_id(s)}",
        {"name": "Första namnet"},
        {"name": "Andra namnet"},
        lambda s, w: s.get(Category, category_id(s)).name,
    ),
    "settings": (
        lambda s, w: "/admin/installningar",
        {"escalation_severity": "2"},
        {"escalation_severity": "4"},
        lambda s, w: get_setting(s, "escalation.severity"),
    ),
    "user": (
        lambda s, w: f"/admin/anvandare/{w.reporter.id}",
        {"title": "Undersköterska"},
        {"title": "Sjuksköterska"},
        lambda s, w: s.get(type(w.reporter), w.reporter.id).title,
    ),
    "unit": (
        lambda s, w: f"/admin/enheter/{w.linden.id}",
        {"name": "Lindens gruppboende"},
        {"name": "Lindens LSS-boende"},
        lambda s, w: s.get(type(w.linden), w.linden.id).name,
    ),
    "deadline_rule": (
        lambda s, w: "/admin/tidsfrister/lex_sarah/investigation_start",
        {"legal_basis": "SoL 27 kap. 5 §, första ändringen"},
        {"legal_basis": "SoL 27 kap. 5 §, andra ändringen"},
        lambda s, w: _rule_basis(s),
    ),
}


def _rule_basis(session) -> str:  # type: ignore[no-untyped-def]
    from app.admin.policy import find_rule

    rule = find_rule(session, "lex_sarah", "investigation_start")
    assert rule is not None
    return rule.legal_basis


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_save_on_what_someone_since_changed_is_refused(app, admin, session, world, page):
    address, first_change, second_change, read = PAGES[page]
    url = address(session, world)
    first = admin
    second = signed_in(app, world.admin.email)
    shown_to_first = page_form(first, url)
    shown_to_second = page_form(second, url)
    assert shown_to_first[FIELD], page
    assert shown_to_first[FIELD] == shown_to_second[FIELD]

    response = first.post(url, data={**shown_to_first, **first_change})
    assert response.status_code == 302, (page, response.get_data(as_text=True)[:2000])
    session.expire_all()
    saved = read(session, world)

    response = second.post(url, data={**shown_to_second, **second_change})
    assert response.status_code == 409, page
    html = response.get_data(as_text=True)
    assert STALE in html
    # What the second admin typed is still on the page, and the first's change is kept.
    assert next(iter(second_change.values())) in html
    session.expire_all()
    assert read(session, world) == saved

    # Having opened the page again (and seen the first's change), the second may save.
    again = page_form(second, url)
    assert again[FIELD] != shown_to_second[FIELD]
    response = second.post(url, data={**again, **second_change})
    assert response.status_code == 302, page
    session.expire_all()
    assert read(session, world) != saved


def test_a_save_that_changes_nothing_stored_meanwhile_goes_through(admin, session, world):
    """Another rule's edit makes a new policy version; this rule's page is still current."""
    url = "/admin/tidsfrister/lex_sarah/investigation_start"
    shown = page_form(admin, url)
    other = page_form(admin, "/admin/tidsfrister/lex_sarah/decision")
    response = admin.post(
        "/admin/tidsfrister/lex_sarah/decision", data={**other, "legal_basis": "Ändrad grund."}
    )
    assert response.status_code == 302
    response = admin.post(url, data={**shown, "legal_basis": "Också ändrad."})
    assert response.status_code == 302
    session.expire_all()
    assert _rule_basis(session) == "Också ändrad."
