"""A test client for the JSON API that speaks as a given user, with a real bearer token."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.models import ApiToken, Case, CaseEvent, User

BASE = "/api/v1"
WRITES = ("POST", "PUT", "PATCH")
CASE_PATH = re.compile(r"^/api/v1/cases/(\d+)/")


class Api:
    def __init__(self, client: FlaskClient, session: Session) -> None:
        self.client = client
        self.session = session
        self._tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.id not in self._tokens:
            row, token = ApiToken.issue(user)
            self.session.add(row)
            self.session.flush()
            self._tokens[user.id] = token
        return self._tokens[user.id]

    def request(
        self, method: str, user: User | None, path: str, *, versioned: bool = True, **kwargs: Any
    ) -> TestResponse:
        """A write to a case names the case's current version in If-Match, as a client that
        has just read the case would, unless the body names one itself or ``versioned`` is
        False (to see what happens without)."""
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        url = path if path.startswith("/") else f"{BASE}/{path}"
        case = CASE_PATH.match(url)
        body = kwargs.get("json")
        if (
            versioned
            and case is not None
            and method in WRITES
            and "If-Match" not in headers
            and not (isinstance(body, dict) and "expected_version" in body)
        ):
            version = self.version(int(case.group(1)))
            if version is not None:
                headers["If-Match"] = f'W/"{version}"'
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def version(self, case_id: int) -> int | None:
        return self.session.scalar(select(Case.version).where(Case.id == case_id))

    def get(self, user: User | None, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", user, path, **kwargs)

    def post(self, user: User | None, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.request("POST", user, path, json=body if body is not None else {}, **kwargs)

    def put(self, user: User | None, path: str, body: Any, **kwargs: Any) -> TestResponse:
        return self.request("PUT", user, path, json=body, **kwargs)

    def patch(self, user: User | None, path: str, body: Any, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", user, path, json=body, **kwargs)

    def fire(
        self,
        user: User,
        case_id: int,
        trigger: str,
        data: dict[str, Any] | None = None,
        **extra: Any,
    ) -> TestResponse:
        return self.post(
            user, f"cases/{case_id}/transitions", {"trigger": trigger, "data": data or {}, **extra}
        )

    def snapshot(self, case_id: int) -> tuple[str, int, int]:
        """State, version and number of history rows, as stored (the request's changes included)."""
        self.session.expire_all()
        case = self.session.get(Case, case_id)
        assert case is not None
        events = self.session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        )
        return case.state, case.version, events or 0


def error_of(response: TestResponse) -> dict[str, Any]:
    body = response.get_json()
    assert body is not None, response.data
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]
