"""Bearer tokens only, and JSON errors everywhere under /api."""

from __future__ import annotations

import pytest

from app.models import ApiToken
from tests.api_client import Api, error_of
from tests.factories import case_in


@pytest.fixture
def api(client, session):
    return Api(client, session)


def test_no_token_is_401(api, world):
    response = api.get(None, "cases")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer lxf_not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "lxf_x"]
)
def test_invalid_token_is_401(api, world, header):
    response = api.get(None, "cases", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_revoked_token_and_inactive_user_are_401(api, session, world):
    row, token = ApiToken.issue(world.sas)
    session.add(row)
    session.flush()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get(None, "cases", headers=headers).status_code == 200

    row.revoked = True
    session.flush()
    assert api.get(None, "cases", headers=headers).status_code == 401

    row.revoked = False
    world.sas.active = False
    session.flush()
    assert api.get(None, "cases", headers=headers).status_code == 401


def test_session_cookie_does_not_authenticate(api, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login(world.sas.email)
    assert api.get(None, f"cases/{case.id}").status_code == 401
    assert api.fire(world.sas, case.id, "start_investigation").status_code == 200


def test_token_wins_over_a_session_cookie(api, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login(world.sas.email)
    # The reporter's token, sent by a browser logged in as the SAS: the API acts as the reporter.
    response = api.fire(world.reporter, case.id, "start_investigation")
    assert response.status_code == 403
    assert api.snapshot(case.id)[0] == "submitted"


def test_writes_need_no_csrf_token(api, app, world, session):
    app.config["WTF_CSRF_ENABLED"] = True
    case = case_in(session, world, "submitted")
    response = api.fire(world.sas, case.id, "start_investigation")
    assert response.status_code == 200, response.get_json()


def test_unknown_address_is_json_404(api, world):
    response = api.get(world.sas, "no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_unknown_case_is_404(api, world):
    response = api.get(world.sas, "cases/999999")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert api.fire(world.sas, 999999, "close").status_code == 404


def test_wrong_method_is_json_405(api, world):
    response = api.request("DELETE", world.sas, "cases")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_paths_outside_the_api_keep_their_own_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response.is_json


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_bad_json_is_400(api, world, session, body):
    case = case_in(session, world, "submitted")
    response = api.request(
        "POST",
        world.sas,
        f"cases/{case.id}/transitions",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_json"
    assert api.snapshot(case.id)[0] == "submitted"


def test_messages_are_swedish(api, world, session):
    case = case_in(session, world, "submitted")
    response = api.fire(world.reporter, case.id, "start_investigation")
    assert (
        error_of(response)["message"] == "Du har inte behörighet att utföra detta steg i ärendet."
    )
