"""The pages the language tests read: every kind of page, as the role that works on it sees it,
over cases of each type in several states, including refused forms with their error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON

from app.models import Category, LogReview, LogReviewItem
from app.models.base import Base
from tests.factories import World, action_for, case_of, make_world

from .visible import visible_chunks


@dataclass(frozen=True)
class Page:
    name: str
    who: str  # a World attribute, or "anonymous"
    path: str
    status: int = 200
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    follow: bool = False


# (case type, state, who reads it): one page each.
CASE_PAGES = [
    ("lex_sarah", "submitted", "manager"),
    ("lex_sarah", "submitted", "sas"),
    ("lex_sarah", "under_investigation", "sas"),
    ("lex_sarah", "awaiting_decision", "chair"),
    ("lex_sarah", "awaiting_decision", "sas"),
    ("lex_sarah", "closed", "sas"),
    ("lex_sarah", "closed", "reporter"),
    ("lex_sarah", "reclassified", "sas"),
    ("lex_maria", "under_investigation", "mas"),
    ("lex_maria", "closed", "mas"),
    ("deviation", "submitted", "manager"),
    ("deviation", "escalated", "sas"),
    ("deviation", "local_investigation", "manager"),
    ("deviation", "closed", "manager"),
]


def build(session: Session) -> tuple[World, list[Page]]:
    """A world, its cases, and the pages to read."""
    world = make_world(session)
    cases: dict[tuple[str, str], int] = {}
    for case_type, state, _who in CASE_PAGES:
        if (case_type, state) not in cases:
            case = case_of(session, world, case_type, state)
            cases[case_type, state] = case.id
            if (case_type, state) == ("lex_sarah", "under_investigation"):
                action_for(session, world, case)
    review = LogReview(
        reviewer_id=world.log_reviewer.id,
        period_start=datetime(2026, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 2, 1, tzinfo=UTC),
        population=1,
    )
    session.add(review)
    session.flush()
    session.add(LogReviewItem(review_id=review.id, user_id=world.sas.id))
    session.flush()
    category = session.scalars(select(Category.id).limit(1)).one()

    pages = [
        Page("login", "anonymous", "/login"),
        Page("login refused", "anonymous", "/login", method="POST", data={"email": "x@y.se"}),
        Page("sign-in required", "anonymous", "/", follow=True),
        Page("forgotten password", "anonymous", "/glomt-losenord"),
        Page("reset link invalid", "anonymous", "/nytt-losenord/ogiltig", status=400),
        Page("inbox (reporter)", "reporter", "/"),
        Page("inbox (manager)", "manager", "/"),
        Page("inbox (sas)", "sas", "/"),
        # A flashed confirmation, on the page it lands on.
        Page("notifications read", "manager", "/notiser/lasta", method="POST", follow=True),
        Page("report form", "reporter", "/rapportera"),
        Page("report refused", "reporter", "/rapportera", status=422, method="POST"),
        Page("my reports", "reporter", "/mina-rapporter"),
        Page("account", "reporter", "/konto"),
        Page("account refused", "reporter", "/konto", 422, method="POST", data={"locale": "xx"}),
        Page("case list", "sas", "/arenden"),
        Page("deadline overview", "sas", "/tidsfrister"),
        Page("statistics", "chair", "/statistik"),
        Page("not found", "reporter", "/finns-inte", status=404),
        Page("forbidden", "admin", f"/arenden/{cases['lex_sarah', 'submitted']}", status=403),
        Page(
            "decision refused",
            "chair",
            f"/arenden/{cases['lex_sarah', 'awaiting_decision']}/steg/decline_filing",
            status=422,
            method="POST",
        ),
        Page("access log", "log_reviewer", "/logg"),
        Page("log reviews", "log_reviewer", "/logg/granskningar"),
        Page("new log review", "log_reviewer", "/logg/granskningar/ny"),
        Page("log review", "log_reviewer", f"/logg/granskningar/{review.id}"),
        *(
            Page(f"admin {path or 'start'}", "admin", f"/admin{path}")
            for path in (
                "",
                "/installningar",
                "/kategorier",
                "/kategorier/ny",
                f"/kategorier/{category}",
                "/tidsfrister",
                "/tidsfrister/version/1",
                "/tidsfrister/lex_sarah/investigation_start",
                "/anvandare",
                "/anvandare/ny",
                f"/anvandare/{world.reporter.id}",
                "/enheter",
                "/enheter/ny",
                f"/enheter/{world.solgarden.id}",
            )
        ),
        Page("admin settings refused", "admin", "/admin/installningar", 422, method="POST"),
        *(Page(f"{t} {s} ({who})", who, f"/arenden/{cases[t, s]}") for t, s, who in CASE_PAGES),
    ]
    return world, pages


def set_locale(session: Session, world: World, locale: str | None) -> None:
    for user in world.users().values():
        user.locale = locale
    session.flush()


def render(app: Flask, world: World, pages: list[Page]) -> dict[str, str]:
    """Each page's HTML, fetched by a client signed in as the page's reader."""
    clients: dict[str, Any] = {}
    html = {}
    for page in pages:
        if page.who not in clients:
            client = app.test_client()
            if page.who != "anonymous":
                email = getattr(world, page.who).email
                response = client.post("/login", data={"email": email, "password": "password"})
                assert response.status_code == 302, page.who
            clients[page.who] = client
        response = clients[page.who].open(
            page.path, method=page.method, data=page.data, follow_redirects=page.follow
        )
        assert response.status_code == page.status, (page.name, response.status_code)
        html[page.name] = response.get_data(as_text=True)
    return html


CODE_LIKE = re.compile(r"[a-z0-9_]+")


def data_texts(app: Flask, session: Session) -> list[str]:
    """What people typed and the organisation configured — names, report texts, categories,
    rules' legal basis, the municipality — which pages show as it is, in whatever language it
    was written. Codes (lower-case words, snake_case) are left out: showing one is the fault the
    tests look for. Longest first, so that a text goes before any text inside it."""
    texts = {str(app.config["MUNICIPALITY_NAME"]), str(app.config["COMMITTEE_NAME"])}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for value in row:
                texts.update(_strings(value))
    return sorted(
        (t for t in texts if len(t) >= 3 and not CODE_LIKE.fullmatch(t)), key=len, reverse=True
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        # As visible_chunks gives text: whitespace runs made one space.
        return [" ".join(value.split()), *(" ".join(line.split()) for line in value.splitlines())]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def without_data(html: str, data: list[str], skip: tuple[str, ...] = ()) -> list[str]:
    """The page's visible chunks with every data text cut out."""
    chunks = []
    for chunk in visible_chunks(html, skip):
        for text in data:
            if text in chunk:
                chunk = chunk.replace(text, " ¦ ")
        chunks.append(chunk)
    return chunks
