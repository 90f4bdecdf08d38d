"""CSRF on every state-changing request, found from the URL map so that a new route cannot
escape: every POST/PUT/PATCH/DELETE of the browser UI refuses a request without a valid token,
and the API, exempt from CSRF, refuses a request that carries only the session cookie."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from app.models import Case, CaseEvent, OutboxMail, User
from tests.factories import case_in

from .conftest import csrf_token, login_with_csrf

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "Formuläret kunde inte skickas"
# The SAML IdP posts its answer from its own site, without our token: the signed assertion,
# bound to this browser's own request by a cookie, is the check there (app/auth/sso/saml.py,
# tests/sso/test_saml.py refuses unsolicited and replayed answers).
EXEMPT = {"sso.saml_acs"}


def changing_rules(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in sorted((rule.methods or set()) & CHANGING)
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def url(app: Flask, rule: Rule, method: str, case_id: int) -> str:
    """The rule's address with a real case's id, and 1 or 'x' for every other part: the CSRF
    check runs before the view looks anything up."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        numeric = isinstance(rule._converters[name], NumberConverter)  # noqa: SLF001  (no accessor)
        converter = rule._converters[name]  # noqa: SLF001
        # An any() part takes only its own words: the first of them.
        choices = getattr(converter, "items", None)
        values[name] = (
            case_id
            if name == "case_id"
            else 1
            if numeric
            else sorted(choices)[0]
            if choices
            else "x"
        )
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=method)


def counts(session) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Case, CaseEvent, OutboxMail, User)
    )


def test_the_url_map_has_state_changing_routes_of_both_kinds(csrf_app):
    endpoints = {rule.endpoint for rule, _ in changing_rules(csrf_app)}
    assert {"auth.login", "auth.logout", "auth.forgot_password", "cases.fire_step"} <= endpoints
    assert any(e.startswith("api.") for e in endpoints)


def test_every_ui_route_refuses_a_request_without_a_valid_token(csrf_app, world, session):
    case = case_in(session, world, "submitted")
    state = case.state
    client = csrf_app.test_client()
    assert login_with_csrf(client, "sas@test.se").status_code == 302
    good = csrf_token(client, "/")
    before = counts(session)
    checked = []
    for rule, method in changing_rules(csrf_app):
        # Exempt, as the API is: SCIM answers its bearer token alone, never the session
        # (tests/scim/test_access.py).
        if rule.endpoint.startswith(("api.", "scim.")) or rule.endpoint in EXEMPT:
            continue
        target = url(csrf_app, rule, method, case.id)
        for token in (None, "inte-en-token", good + "x"):
            data = {"csrf_token": token} if token else {}
            response = client.open(target, method=method, data=data)
            assert response.status_code == 400, (method, target, token, response.status_code)
            assert REFUSED in response.get_data(as_text=True), (method, target)
        checked.append(rule.endpoint)
        # Still signed in: a refused form does not end the session.
        assert client.get("/").status_code == 200
    assert len(checked) >= 15
    assert counts(session) == before
    session.refresh(case)
    assert case.state == state


def test_a_valid_token_gets_past_the_check(csrf_app, world, session):
    # The refusals above are CSRF's, not some other failure: with the token the same post works.
    case = case_in(session, world, "submitted")
    client = csrf_app.test_client()
    login_with_csrf(client, "sas@test.se")
    token = csrf_token(client, f"/arenden/{case.id}")
    response = client.post(
        f"/arenden/{case.id}/steg/start_investigation",
        data={"csrf_token": token, "version": case.version},
    )
    assert response.status_code != 400
    assert REFUSED not in response.get_data(as_text=True)


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_api_refuses_the_session_cookie(csrf_app, world, session, signed_in):
    """Exempt from CSRF because a browser never sends a bearer token on its own: so the session
    cookie, which it does send, must not be enough to change anything there."""
    case = case_in(session, world, "submitted")
    client = csrf_app.test_client()
    if signed_in:
        login_with_csrf(client, "sas@test.se")
    before = counts(session)
    api_rules = [(r, m) for r, m in changing_rules(csrf_app) if r.endpoint.startswith("api.")]
    assert api_rules
    for rule, method in api_rules:
        target = url(csrf_app, rule, method, case.id)
        response = client.open(
            target, method=method, json={"trigger": "start_investigation"}, headers={}
        )
        assert response.status_code == 401, (method, target)
        assert response.json["error"]["code"] == "unauthorized"
    assert counts(session) == before
