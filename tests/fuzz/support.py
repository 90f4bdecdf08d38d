"""What every fuzz test shares: per-example isolation, and the checks on what comes back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

from flask import current_app
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from app.models import User
from workflows.engine import as_formdata

# Modest counts keep the whole fuzz suite near a minute on SQLite; the fixed hostile lists in
# strategies.py carry most of the weight. LEXFLODE_FUZZ_SCALE=10 runs ten times the examples.
SCALE = int(os.environ.get("LEXFLODE_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=12 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
FEW = settings(FUZZ, max_examples=5 * SCALE)


@contextmanager
def rolled_back(session: Session) -> Iterator[None]:
    """Each example starts from the same rows: whatever its requests committed (into the test's
    outer transaction) is undone by a savepoint around it."""
    connection = current_app.extensions["lexflode_test_bind"]
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()
        session.expire_all()


def is_json(response: TestResponse) -> bool:
    return response.mimetype == "application/json"


def assert_api_answer(response: TestResponse, what: Any = None) -> dict[str, Any]:
    """Never a 500; always JSON; a refusal always says why, and a 422 says which field."""
    where = f"{what!r:.300}"
    assert response.status_code < 500, (where, response.data[:500])
    if response.status_code == 200 and response.mimetype == "application/pdf":
        return {}
    assert is_json(response), (where, response.status_code, response.mimetype)
    body = response.get_json()
    assert isinstance(body, dict), where
    if response.status_code >= 400:
        assert set(body) == {"error"}, (where, body)
        error = body["error"]
        assert set(error) == {"code", "message", "fields"}, (where, error)
        assert isinstance(error["message"], str), (where, error)
        assert error["message"].strip(), (where, error)
        assert len(error["message"]) < 2000, (where, "an error message should not echo input")
        if response.status_code == 422:
            assert error["fields"], (where, error)
    return body


class _Markup(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def assert_no_injected_markup(html: str) -> None:
    """No script the page did not write itself, no event handler, no img from the input."""
    parser = _Markup()
    parser.feed(html)
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
        assert not (tag == "img" and ("src", "x") in attrs), (tag, attrs)
        assert tag != "svg" or all(not n.startswith("on") for n, _v in attrs)
    assert not any("alert(1)" in text for text in parser.script_text)
    assert "<script>alert(1)</script>" not in html


def assert_html_page(response: TestResponse, what: Any = None) -> str:
    where = f"{what!r:.300}"
    assert response.status_code < 500, (where, response.data[:500])
    assert response.mimetype in ("text/html", "application/pdf", "text/csv") or (
        response.status_code in (301, 302, 303)
    ), (where, response.mimetype)
    html = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        assert_no_injected_markup(html)
    return html


def dumps(value: Any) -> bytes:
    """JSON as a careless client would send it: surrogates and all, no ASCII escaping rules."""
    return json.dumps(value, ensure_ascii=True).encode()


class _FormFields(HTMLParser):
    """The fields of a page's forms with the values the page fills in, as a browser would post
    them unchanged (checked boxes and radios, selected options, textarea text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and name != "csrf_token":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value", "y" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.removeprefix("\r\n").removeprefix("\n")


def page_form(client: Any, path: str) -> dict[str, str]:
    """What the page at ``path`` (if it has one) would post as it stands."""
    response = client.get(path)
    if response.status_code != 200 or response.mimetype != "text/html":
        return {}
    parser = _FormFields()
    parser.feed(response.get_data(as_text=True))
    return parser.fields


class Browsers:
    """One logged-in browser per user, so that no login is repeated (or throttled)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._clients: dict[int, FlaskClient] = {}

    def __call__(self, user: User) -> FlaskClient:
        if user.id not in self._clients:
            client = self.app.test_client()
            response = client.post("/login", data={"email": user.email, "password": "password"})
            assert response.status_code == 302, response.data[:300]
            self._clients[user.id] = client
        return self._clients[user.id]


def browser_form(data: dict[str, Any]) -> MultiDict[str, str]:
    """What a browser could post: text only, and no lone surrogates (it cannot encode them)."""
    form = as_formdata(data)
    return MultiDict(
        [
            (k.encode("utf-8", "replace").decode(), v.encode("utf-8", "replace").decode())
            for k, v in form.items(multi=True)
        ]
    )
