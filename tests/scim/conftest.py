"""A SCIM token, and clients that call /scim/v2 in-process: Flask's test client for the plain
HTTP tests, scim2-client over the app's WSGI callable for scim2-tester."""

from __future__ import annotations

import contextvars
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from scim2_client.engines.wsgi import WSGISCIMClient

from app.models import rotate_scim_token

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim_token(session) -> str:  # type: ignore[no-untyped-def]
    _row, token = rotate_scim_token(session, None)
    session.flush()
    return token


class Scim:
    """Requests to /scim/v2 with the token, as a directory sends them."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def _send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["data"] = __import__("json").dumps(body)
            headers["Content-Type"] = SCIM
        return self.client.open("/scim/v2" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._send("GET", path, **kwargs)

    def post(self, path: str, body: Any) -> Any:
        return self._send("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._send("PUT", path, body)

    def patch(self, path: str, *operations: dict[str, Any], **kwargs: Any) -> Any:
        body = {"schemas": [PATCH], "Operations": list(operations)}
        return self._send("PATCH", path, body, **kwargs)

    def delete(self, path: str) -> Any:
        return self._send("DELETE", path)

    def create_user(self, user_name: str, **attributes: Any) -> dict[str, Any]:
        response = self.post("/Users", {"schemas": [USER], "userName": user_name, **attributes})
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]

    def create_group(self, display_name: str, members: list[str] = (), **attributes: Any) -> dict:  # type: ignore[assignment]
        body = {
            "schemas": [GROUP],
            "displayName": display_name,
            "members": [{"value": m} for m in members],
            **attributes,
        }
        response = self.post("/Groups", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def scim(client, scim_token) -> Scim:  # type: ignore[no-untyped-def]
    return Scim(client, scim_token)


def isolated_wsgi(app: Flask) -> Any:
    """The app's WSGI callable, each request in its own context as a server runs it (the test
    holds an app context whose ``g`` would otherwise carry one request's session to the next)."""

    def call(environ: Any, start_response: Any) -> Any:
        def run() -> Any:
            _cv_app.set(None)  # type: ignore[arg-type]
            return list(app(environ, start_response))

        return contextvars.copy_context().run(run)

    return call


@pytest.fixture
def scim_client(app: Flask, scim_token: str) -> WSGISCIMClient:
    return WSGISCIMClient(
        isolated_wsgi(app),  # type: ignore[arg-type]
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {scim_token}"},
    )
