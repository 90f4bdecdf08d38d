"""No page reads a row at a time (issue 8): each page sends the same number of SQL statements
with a dozen cases in the database as with a thousand, and a case page the same with two
actions as with a dozen.

The module builds one committed database: the walked cases of tests/performance/scale.py,
measured; then clones of them up to 1,000 cases, measured again; then one case grown by ten
actions, measured again. Att göra weighs up to 500 candidates (WEIGHED), so that its count is
checked over hundreds of cases of every kind, not over a window of the most urgent few.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import db
from app.audit.verify import verify_chain
from app.models import ApiToken, Case
from tests.factories import PASSWORD

from .counting import Statements, counting
from .scale import Walked, clone_until, more_history, walk_cases

LARGE = 1_000
# Att göra weighs this many candidates here (100 in production): about all of them with a
# thousand cases, and as many as SQLAlchemy loads in one batch (selectinload reads 500 ids at a
# time, so a window beyond 500 adds a query per 500, bounded by the window, not the database).
WEIGHED = 500
GROWN_BY = 10
ROLES = ("sas", "mas", "manager", "chair", "reporter")


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    # The path, given the walked cases' ids (and, for a later API page, the first page's links).
    path: Callable[[dict[str, int]], str]
    api: bool = False


PAGES = [
    *(Page(f"inbox of {who}", who, lambda ids: "/") for who in ROLES),
    Page("Mina rapporter", "reporter", lambda ids: "/mina-rapporter"),
    Page("case list", "sas", lambda ids: "/arenden"),
    Page(
        "case list, filtered",
        "sas",
        lambda ids: "/arenden?typ=lex_sarah&status=under_investigation&tidsfrist=all",
    ),
    Page("case list, overdue (manager)", "manager", lambda ids: "/arenden?forsenad=1"),
    Page("case list, page 2", "sas", lambda ids: "/arenden?sida=2"),
    Page("case page, lex Sarah far along", "sas", lambda ids: f"/arenden/{ids['sarah_far']}"),
    Page("case page, lex Sarah (manager)", "manager", lambda ids: f"/arenden/{ids['sarah_far']}"),
    Page("case page, lex Maria", "mas", lambda ids: f"/arenden/{ids['maria']}"),
    Page("case page, deviation", "manager", lambda ids: f"/arenden/{ids['deviation']}"),
    Page("case page, converted", "sas", lambda ids: f"/arenden/{ids['from_deviation']}"),
    Page("deadline overview", "sas", lambda ids: "/tidsfrister"),
    Page("statistics", "sas", lambda ids: "/statistik"),
    Page("API cases, page 1", "sas", lambda ids: "/api/v1/cases?per_page=5", api=True),
    Page("API cases, next page", "sas", lambda ids: ids["next"], api=True),
    Page("API cases, page 3", "sas", lambda ids: "/api/v1/cases?page=3&per_page=5", api=True),
    Page("API case", "sas", lambda ids: f"/api/v1/cases/{ids['sarah_far']}", api=True),
    Page("API events", "sas", lambda ids: f"/api/v1/cases/{ids['sarah_far']}/events", api=True),
    Page(
        "API deadlines", "sas", lambda ids: f"/api/v1/cases/{ids['sarah_far']}/deadlines", api=True
    ),
    Page("API statistics", "sas", lambda ids: "/api/v1/statistics", api=True),
]
API_FIRST = next(p for p in PAGES if p.name == "API cases, page 1")
# The pages of the case that grows.
OF_SARAH_FAR = [p for p in PAGES if "far along" in p.name or p.name.startswith("API ev")] + [
    p for p in PAGES if p.name in ("API case", "API deadlines", "case page, lex Sarah (manager)")
]


class Site:
    """The database and a signed-in client (or token) per role."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.engine = app.extensions["lexflode_engine"]
        with app.app_context():
            session = db.session()
            self.walked: Walked = walk_cases(session)
            users = self.walked.world.users()
            self.tokens: dict[str, str] = {}
            for role in ROLES:
                row, self.tokens[role] = ApiToken.issue(users[role])
                session.add(row)
            session.commit()
            self.ids = {
                "sarah_far": self.walked.sarah_far.id,
                "maria": self.walked.maria.id,
                "deviation": self.walked.deviation.id,
                "from_deviation": self.walked.from_deviation.id,
            }
            self.templates = [c.id for c in self.walked.all]
            self.emails = {role: users[role].email for role in ROLES}
        self.clients: dict[str, FlaskClient] = {}
        for role in ROLES:
            client = app.test_client()
            response = client.post(
                "/login", data={"email": self.emails[role], "password": PASSWORD}
            )
            assert response.status_code == 302
            self.clients[role] = client

    def get(self, page: Page) -> Any:
        if page.api:
            headers = {"Authorization": f"Bearer {self.tokens[page.who]}"}
            return self.app.test_client().get(page.path(self.ids), headers=headers)
        return self.clients[page.who].get(page.path(self.ids))

    def measure(self, pages: list[Page]) -> dict[str, Statements]:
        """Each page twice, the second counted: the first fills what a process caches once."""
        self.ids["next"] = self.get(API_FIRST).get_json()["next"]
        found = {}
        for page in pages:
            self.get(page)
            with counting(self.engine) as statements:
                response = self.get(page)
            assert response.status_code == 200, (page.name, response.status_code)
            found[page.name] = statements
        return found

    def clone_to(self, total: int) -> None:
        with self.app.app_context():
            session = db.session()
            clone_until(session, self.walked.world, total)
            session.commit()

    def grow(self) -> None:
        with self.app.app_context():
            session = db.session()
            case = session.get(Case, self.ids["sarah_far"])
            assert case is not None
            more_history(session, self.walked.world, case, GROWN_BY)
            session.commit()


@dataclass
class Measured:
    small: dict[str, Statements]
    large: dict[str, Statements]
    grown: dict[str, Statements]
    cases: tuple[int, int]


@pytest.fixture(scope="module")
def measured(scale_app: Flask) -> Measured:
    scale_app.config["INBOX_LIMIT"] = WEIGHED
    site = Site(scale_app)
    small = site.measure(PAGES)
    site.clone_to(LARGE)
    large = site.measure(PAGES)
    site.grow()
    grown = site.measure(OF_SARAH_FAR)
    with scale_app.app_context():
        session = db.session()
        assert verify_chain(session, "case_events").finding is None
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
    return Measured(small, large, grown, (len(site.templates), cases))


def _diff(one: Statements, other: Statements) -> str:
    return "\n".join(difflib.unified_diff(one.collapsed(), other.collapsed(), lineterm="", n=1))


def test_the_databases_are_as_large_as_said(measured: Measured) -> None:
    few, many = measured.cases
    assert few < 25
    assert many == LARGE


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_the_same_queries_with_a_dozen_cases_as_with_a_thousand(
    measured: Measured, page: Page
) -> None:
    small, large = measured.small[page.name], measured.large[page.name]
    assert small.count == large.count, _diff(small, large)


@pytest.mark.parametrize("page", OF_SARAH_FAR, ids=[p.name for p in OF_SARAH_FAR])
def test_a_case_page_does_not_grow_with_its_actions_and_history(
    measured: Measured, page: Page
) -> None:
    before, after = measured.large[page.name], measured.grown[page.name]
    assert before.count == after.count, _diff(before, after)
