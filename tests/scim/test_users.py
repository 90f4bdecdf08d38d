"""SCIM Users: create, read, replace, PATCH (Entra ID's shapes too), list, filter, page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import User

from .conftest import ERROR, USER

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _row(session, scim_id: str) -> User:
    session.expire_all()
    user = session.scalar(select(User).where(User.scim_id == scim_id))
    assert user is not None
    return user


def test_a_created_user_is_kept_by_the_directory_and_has_no_password(scim, session, auth):
    created = scim.create_user(
        "Karin.Berg@Exempelby.se",
        externalId="entra-oid-1",
        name={"givenName": "Karin", "familyName": "Berg"},
        title="Undersköterska",
        active=True,
        **{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"organization": "Bemanning AB"}},
    )
    assert created["userName"] == "karin.berg@exempelby.se"
    assert created["meta"]["resourceType"] == "User"
    assert created["meta"]["location"].endswith(f"/scim/v2/Users/{created['id']}")

    user = _row(session, created["id"])
    assert user.email == "karin.berg@exempelby.se"
    assert user.name == "Karin Berg"
    assert user.title == "Undersköterska"
    assert user.employer == "Bemanning AB"
    assert user.external_id == "entra-oid-1"
    assert user.directory_managed
    assert user.active
    assert user.roles == set()
    # No password opens it: they sign in through the identity provider.
    assert auth.login("karin.berg@exempelby.se", user.password_hash).status_code == 200

    read = scim.get(f"/Users/{created['id']}").get_json()
    assert read["name"] == {"givenName": "Karin", "familyName": "Berg"}
    assert read[ENTERPRISE] == {"organization": "Bemanning AB"}
    assert read["id"] == created["id"]


def test_put_replaces_the_whole_user(scim, session):
    created = scim.create_user("per@exempelby.se", title="Chef", displayName="Per")
    response = scim.put(
        f"/Users/{created['id']}",
        {"schemas": [USER], "userName": "per.persson@exempelby.se", "displayName": "Per P"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["userName"] == "per.persson@exempelby.se"
    assert "title" not in body
    user = _row(session, created["id"])
    assert (user.email, user.name, user.title) == ("per.persson@exempelby.se", "Per P", "")


def test_entra_patch_shapes(scim, session):
    created = scim.create_user("eva@exempelby.se", active=True, displayName="Eva")
    path = f"/Users/{created['id']}"

    # Entra ID capitalises the op and sends booleans as strings. A PATCH answers 204 unless
    # asked for attributes (RFC 7644 §3.5.2); Entra ID takes either.
    response = scim.patch(path, {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 204, response.get_data(as_text=True)
    assert scim.get(path).get_json()["active"] is False
    assert not _row(session, created["id"]).active

    # A replace without a path, keyed by attribute paths, with an attribute not kept here.
    response = scim.patch(
        path,
        {
            "op": "Replace",
            "value": {
                "active": True,
                "title": "Sjuksköterska",
                "name.formatted": "Eva Ek",
                f"{ENTERPRISE}:department": "Hemtjänst",
            },
        },
    )
    assert response.status_code == 204, response.get_data(as_text=True)
    user = _row(session, created["id"])
    assert (user.active, user.title, user.name) == (True, "Sjuksköterska", "Eva Ek")

    response = scim.patch(
        path,
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "eva.ek@exempelby.se"},
        {"op": "Remove", "path": "title"},
        query_string={"attributes": "emails,title,userName"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert {"type": "work", "value": "eva.ek@exempelby.se"}.items() <= body["emails"][0].items()
    assert "title" not in body
    assert _row(session, created["id"]).title == ""


def test_users_made_here_before_provisioning_are_found_by_user_name(scim, world):
    response = scim.get("/Users", query_string={"filter": 'userName eq "SAS@test.se"'})
    body = response.get_json()
    assert response.status_code == 200
    assert body["totalResults"] == 1
    found = body["Resources"][0]
    assert found["userName"] == "sas@test.se"
    assert found["name"]["formatted"] == world.sas.name
    assert found["id"]
    # The id stays the same from one request to the next.
    again = scim.get("/Users", query_string={"filter": f'id eq "{found["id"]}"'}).get_json()
    assert again["Resources"][0]["userName"] == "sas@test.se"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('userName eq "ann@exempelby.se"', {"ann"}),
        ('externalId eq "oid-bo"', {"bo"}),
        ('externalId eq "OID-BO"', set()),  # externalId is case exact
        ('userName sw "a" and active eq true', {"ann"}),
        ('userName eq "ann@exempelby.se" or externalId eq "oid-bo"', {"ann", "bo"}),
        ('not (userName co "ann") and userName ew "@exempelby.se"', {"bo", "cia"}),
        ('emails[type eq "work" and value eq "cia@exempelby.se"]', {"cia"}),
        ("title pr and active eq false", {"cia"}),
        ('name.formatted eq "Åsa Öberg"', {"ann"}),
    ],
)
def test_filters(scim, expression, expected):
    scim.create_user("ann@exempelby.se", name={"formatted": "Åsa Öberg"})
    scim.create_user("bo@exempelby.se", externalId="oid-bo")
    scim.create_user(
        "cia@exempelby.se",
        active=False,
        title="Chef",
        emails=[{"value": "cia@exempelby.se", "type": "work"}],
    )
    response = scim.get("/Users", query_string={"filter": expression, "count": 100})
    assert response.status_code == 200, response.get_json()
    names = {r["userName"].split("@")[0] for r in response.get_json()["Resources"] or []}
    names &= {"ann", "bo", "cia"}
    assert names == expected


def test_pages(scim, world):
    for n in range(5):
        scim.create_user(f"p{n}@exempelby.se")
    everyone = scim.get("/Users", query_string={"count": 200}).get_json()
    total = everyone["totalResults"]
    assert total >= 5 + 10

    page = scim.get("/Users", query_string={"startIndex": 3, "count": 4}).get_json()
    assert page["totalResults"] == total
    assert page["startIndex"] == 3
    assert page["itemsPerPage"] == 4
    assert [r["id"] for r in page["Resources"]] == [r["id"] for r in everyone["Resources"][2:6]]

    last = scim.get("/Users", query_string={"startIndex": total, "count": 10}).get_json()
    assert last["itemsPerPage"] == 1
    none = scim.get("/Users", query_string={"count": 0}).get_json()
    assert none["totalResults"] == total
    assert not none.get("Resources")


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    return body  # type: ignore[no-any-return]


def test_errors_in_the_scim_error_schema(scim, world):
    created = scim.create_user("dup@exempelby.se")
    assert (
        _error(scim.post("/Users", {"schemas": [USER], "userName": "DUP@exempelby.se"}), 409)[
            "scimType"
        ]
        == "uniqueness"
    )
    # A user made here before provisioning holds their e-mail address too.
    assert (
        _error(scim.post("/Users", {"schemas": [USER], "userName": "sas@test.se"}), 409)["scimType"]
        == "uniqueness"
    )
    other = scim.create_user("other@exempelby.se")
    assert (
        _error(
            scim.patch(
                f"/Users/{other['id']}",
                {"op": "replace", "path": "userName", "value": "dup@exempelby.se"},
            ),
            409,
        )["scimType"]
        == "uniqueness"
    )

    assert (
        _error(scim.get("/Users", query_string={"filter": 'userName eq "x" and'}), 400)["scimType"]
        == "invalidFilter"
    )
    assert (
        _error(scim.get("/Users", query_string={"filter": 'nosuch eq "x"'}), 400)["scimType"]
        == "invalidFilter"
    )
    assert (
        _error(
            scim.patch(
                f"/Users/{created['id']}", {"op": "replace", "path": "active", "value": "perhaps"}
            ),
            400,
        )["scimType"]
        == "invalidValue"
    )
    assert _error(scim.post("/Users", {"schemas": [USER]}), 400)["scimType"] in {
        "invalidValue",
        "invalidSyntax",
    }
    too_long = scim.post("/Users", {"schemas": [USER], "userName": "x" * 250 + "@exempelby.se"})
    assert _error(too_long, 400)["scimType"] == "invalidValue"
    assert "254" in too_long.get_json()["detail"]
    _error(scim.get("/Users/00000000-0000-0000-0000-000000000000"), 404)
    _error(scim.get("/Nothing"), 404)


def test_discovery(scim):
    config = scim.get("/ServiceProviderConfig").get_json()
    assert config["patch"]["supported"] is True
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = {t["name"]: t for t in scim.get("/ResourceTypes").get_json()["Resources"]}
    assert types["User"]["endpoint"] == "/Users"
    assert types["Group"]["endpoint"] == "/Groups"

    schemas = {s["id"]: s for s in scim.get("/Schemas").get_json()["Resources"]}
    user = schemas[USER]
    assert {a["name"] for a in user["attributes"]} == {
        "userName",
        "name",
        "displayName",
        "title",
        "active",
        "emails",
        "groups",
    }
    assert {a["name"] for a in schemas[ENTERPRISE]["attributes"]} == {"organization"}


def test_the_trail_names_scim_as_who_changed_access(session, scim):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.models import AdminEvent

    user = scim.create_user("spårbar@kommun.se", active=True)
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "replace", "path": "active", "value": False}
    )
    assert response.status_code in (200, 204)
    session.expire_all()
    rows = session.scalars(
        select(AdminEvent).where(AdminEvent.target_label.contains("spårbar"))
    ).all()
    assert rows
    assert {row.actor_name for row in rows} == {"SCIM"}
