"""Only the SCIM token opens /scim/v2; deprovisioning ends a user's access on their very next
request, in the browser and through the API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ApiToken, GroupMapping, User, rotate_scim_token

from .conftest import USER, Scim


@pytest.mark.parametrize(
    "header", [None, "Bearer scim_not-the-token", "Basic dXNlcjpwYXNz", "Bearer"]
)
def test_without_the_token_nothing_but_the_configuration(client, scim_token, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/scim/v2/Users", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["status"] == "401"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="SCIM"'
    created = client.post(
        "/scim/v2/Users",
        json={"schemas": [USER], "userName": "intruder@exempelby.se"},
        headers=headers,
    )
    assert created.status_code == 401
    # RFC 7643 §5: the configuration is not a secret.
    assert client.get("/scim/v2/ServiceProviderConfig", headers=headers).status_code == 200


def test_an_admin_session_or_api_token_does_not_open_scim(client, auth, session, world):
    assert auth.login("admin@test.se").status_code == 302
    assert client.get("/scim/v2/Users").status_code == 401
    row, token = ApiToken.issue(world.admin)
    session.add(row)
    session.flush()
    response = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_rotating_ends_the_old_token(client, session, scim_token):
    old = Scim(client, scim_token)
    assert old.get("/Users").status_code == 200
    _row, new_token = rotate_scim_token(session, None)
    session.flush()
    assert old.get("/Users").status_code == 401
    assert Scim(client, new_token).get("/Users").status_code == 200


def test_rate_limited(app, scim):
    app.config["SCIM_RATE_LIMIT_PER_ADDRESS"] = 3
    statuses = [scim.get("/Users").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def _signed_in_with_token(client, auth, session, user: User) -> dict[str, str]:
    assert auth.login(user.email).status_code == 302
    assert client.get("/arenden").status_code == 200
    row, token = ApiToken.issue(user)
    session.add(row)
    session.flush()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    return headers


def _scim_id(scim, email: str) -> str:
    body = scim.get("/Users", query_string={"filter": f'userName eq "{email}"'}).get_json()
    return body["Resources"][0]["id"]  # type: ignore[no-any-return]


def _locked_out(client, headers: dict[str, str]) -> None:
    page = client.get("/arenden")
    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_active_false_ends_sessions_and_tokens_at_once(scim, client, auth, session, world):
    headers = _signed_in_with_token(client, auth, session, world.sas)
    member = _scim_id(scim, "sas@test.se")

    response = scim.patch(f"/Users/{member}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 204

    _locked_out(client, headers)
    session.expire_all()
    assert session.scalars(
        select(ApiToken.revoked).where(ApiToken.user_id == world.sas.id)
    ).all() == [True]
    # Turned back on, they sign in again; the old token stays revoked.
    assert (
        scim.patch(
            f"/Users/{member}", {"op": "replace", "path": "active", "value": True}
        ).status_code
        == 204
    )
    assert auth.login("sas@test.se").status_code == 302
    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_put_with_active_false_deprovisions_too(scim, client, auth, session, world):
    headers = _signed_in_with_token(client, auth, session, world.mas)
    member = _scim_id(scim, "mas@test.se")
    response = scim.put(
        f"/Users/{member}", {"schemas": [USER], "userName": "mas@test.se", "active": False}
    )
    assert response.status_code == 200, response.get_json()
    _locked_out(client, headers)


def test_delete_deactivates_detaches_and_keeps_the_row(scim, client, auth, session, world):
    session.add(GroupMapping(group_key="SAS", role="sas"))
    session.flush()
    headers = _signed_in_with_token(client, auth, session, world.sas)
    member = _scim_id(scim, "sas@test.se")
    group = scim.create_group("SAS", members=[member])
    assert scim.get("/Groups/" + group["id"]).get_json()["members"][0]["value"] == member

    assert scim.delete(f"/Users/{member}").status_code == 204

    _locked_out(client, headers)
    assert scim.get(f"/Users/{member}").status_code == 404
    assert "members" not in scim.get("/Groups/" + group["id"]).get_json()
    session.expire_all()
    user = session.get(User, world.sas.id)
    assert user is not None  # the history of cases names them
    assert not user.active
    assert user.roles == set()
