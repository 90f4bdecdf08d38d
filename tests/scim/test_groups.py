"""SCIM Groups: membership is what gives roles, and a change gives or takes them at once."""

from __future__ import annotations

from sqlalchemy import select

from app.models import DirectoryGroup, GroupMapping, User

from .conftest import GROUP


def _user(session, scim_id: str) -> User:
    session.expire_all()
    user = session.scalar(select(User).where(User.scim_id == scim_id))
    assert user is not None
    return user


def _sas_page(client, auth, email: str) -> int:
    """What /arenden (the SAS's case list) answers the user, signed in afresh."""
    client.post("/logout")
    assert auth.login(email).status_code == 302
    return client.get("/arenden").status_code  # type: ignore[no-any-return]


def test_joining_a_mapped_group_gives_the_role_and_leaving_takes_it(
    scim, session, client, auth, world
):
    session.add(GroupMapping(group_key="sg-lexflode-sas", role="sas"))
    session.flush()
    # A user here before provisioning (with a password, so the test can sign in as them).
    found = scim.get("/Users", query_string={"filter": 'userName eq "reporter@test.se"'})
    member = found.get_json()["Resources"][0]["id"]
    assert _sas_page(client, auth, "reporter@test.se") == 403

    group = scim.create_group("sg-lexflode-sas", members=[member], externalId="0f3c-oid")
    assert group["members"][0]["value"] == member
    user = _user(session, member)
    assert user.roles == {"sas"}
    assert user.directory_managed
    assert _sas_page(client, auth, "reporter@test.se") == 200
    listed = scim.get(f"/Users/{member}").get_json()
    assert listed["groups"][0]["value"] == group["id"]

    # Entra ID removes a member with the member in the value, not in a path filter.
    response = scim.patch(
        f"/Groups/{group['id']}",
        {"op": "Remove", "path": "members", "value": [{"value": member}]},
    )
    assert response.status_code == 204, response.get_data(as_text=True)
    assert _user(session, member).roles == set()
    # The session signed in while the role was held has lost it too.
    assert client.get("/arenden").status_code == 403

    response = scim.patch(
        f"/Groups/{group['id']}", {"op": "Add", "path": "members", "value": [{"value": member}]}
    )
    assert response.status_code == 204
    assert _user(session, member).roles == {"sas"}

    response = scim.patch(
        f"/Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{member}"]'}
    )
    assert response.status_code == 204
    assert _user(session, member).roles == set()


def test_mapping_by_external_id_renaming_and_deleting_a_group(scim, session):
    session.add(GroupMapping(group_key="a1b2-c3", role="mas"))
    session.add(GroupMapping(group_key="Chefer Solgården", role="manager"))
    session.flush()
    ids = [scim.create_user(f"m{n}@exempelby.se")["id"] for n in range(2)]
    group = scim.create_group("MAS", members=ids, externalId="a1b2-c3")
    assert [_user(session, i).roles for i in ids] == [{"mas"}, {"mas"}]

    # Replaced by PUT with another name and no external id: the mapping follows the name.
    response = scim.put(
        f"/Groups/{group['id']}",
        {"schemas": [GROUP], "displayName": "Chefer Solgården", "members": [{"value": ids[0]}]},
    )
    assert response.status_code == 200, response.get_json()
    assert _user(session, ids[0]).roles == {"manager"}
    assert _user(session, ids[1]).roles == set()

    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert _user(session, ids[0]).roles == set()
    assert scim.get(f"/Groups/{group['id']}").status_code == 404
    assert (
        session.scalar(select(DirectoryGroup).where(DirectoryGroup.scim_id == group["id"])) is None
    )


def test_group_filters_and_errors(scim, session):
    first = scim.create_group("Alla i Solgården", externalId="oid-1")
    scim.create_group("MAS-gruppen", externalId="oid-2")

    def names(expression: str) -> set[str]:
        body = scim.get("/Groups", query_string={"filter": expression}).get_json()
        return {g["displayName"] for g in body.get("Resources") or []}

    assert names('displayName eq "alla i solgården"') == {"Alla i Solgården"}
    assert names('displayName eq "MAS-GRUPPEN"') == {"MAS-gruppen"}
    assert names('externalId eq "oid-1" or externalId eq "oid-2"') == {
        "Alla i Solgården",
        "MAS-gruppen",
    }
    assert names(f'id eq "{first["id"]}"') == {"Alla i Solgården"}

    duplicate = scim.post("/Groups", {"schemas": [GROUP], "displayName": "MAS-gruppen"})
    assert duplicate.status_code == 409
    assert duplicate.get_json()["scimType"] == "uniqueness"
    unknown = scim.post(
        "/Groups",
        {"schemas": [GROUP], "displayName": "Ny", "members": [{"value": "no-such-user"}]},
    )
    assert unknown.status_code == 400
    assert unknown.get_json()["scimType"] == "invalidValue"
