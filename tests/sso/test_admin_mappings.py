"""Administration → Grupper och roller: the administrator's list of group mappings."""

from __future__ import annotations

from sqlalchemy import select

from app.models import DirectoryGroup, GroupMapping


def mappings(session) -> list[tuple[str, str, int | None]]:  # type: ignore[no-untyped-def]
    rows = session.scalars(select(GroupMapping)).all()
    return sorted((m.group_key, m.role, m.unit_id) for m in rows)


def test_the_administrator_adds_and_removes_mappings(client, auth, world, session) -> None:  # type: ignore[no-untyped-def]
    auth.login(world.admin.email)

    added = client.post("/admin/grupper", data={"group_key": " sg-sas ", "role": "sas"})
    chef = client.post(
        "/admin/grupper",
        data={"group_key": "sg-chefer", "role": "manager", "unit_id": str(world.solgarden.id)},
    )

    assert added.status_code == 302
    assert chef.status_code == 302
    assert mappings(session) == [
        ("sg-chefer", "manager", world.solgarden.id),
        ("sg-sas", "sas", None),
    ]
    page = client.get("/admin/grupper").get_data(as_text=True)
    assert "sg-sas" in page
    assert world.solgarden.name in page

    sas = session.scalar(select(GroupMapping).where(GroupMapping.group_key == "sg-sas"))
    removed = client.post(f"/admin/grupper/{sas.id}/ta-bort")

    assert removed.status_code == 302
    assert mappings(session) == [("sg-chefer", "manager", world.solgarden.id)]


def test_a_wrong_mapping_is_shown_again_with_its_errors(client, auth, world, session) -> None:  # type: ignore[no-untyped-def]
    auth.login(world.admin.email)
    client.post("/admin/grupper", data={"group_key": "sg-sas", "role": "sas"})

    twice = client.post("/admin/grupper", data={"group_key": "sg-sas", "role": "sas"})
    unit_for_sas = client.post(
        "/admin/grupper",
        data={"group_key": "sg-x", "role": "sas", "unit_id": str(world.solgarden.id)},
    )
    nothing = client.post("/admin/grupper", data={"group_key": "", "role": ""})

    assert twice.status_code == 422
    assert "Gruppen ger redan den rollen." in twice.get_data(as_text=True)
    assert unit_for_sas.status_code == 422
    assert "Bara rollen Enhetschef leder en enhet" in unit_for_sas.get_data(as_text=True)
    assert nothing.status_code == 422
    assert mappings(session) == [("sg-sas", "sas", None)]


def test_no_one_maps_their_own_group_to_a_case_reading_role(client, auth, world, session) -> None:  # type: ignore[no-untyped-def]
    session.add(DirectoryGroup(display_name="sg-it", external_id="0f3c-it", members=[world.admin]))
    session.flush()
    auth.login(world.admin.email)

    own = client.post("/admin/grupper", data={"group_key": "0f3c-it", "role": "sas"})
    harmless = client.post("/admin/grupper", data={"group_key": "sg-it", "role": "reporter"})

    assert own.status_code == 422
    assert "Du är själv med i gruppen" in own.get_data(as_text=True)
    assert harmless.status_code == 302
    assert mappings(session) == [("sg-it", "reporter", None)]


def test_only_the_administrator_reaches_the_page(client, auth, world, session) -> None:  # type: ignore[no-untyped-def]
    auth.login(world.sas.email)

    assert client.get("/admin/grupper").status_code == 403
    assert client.post("/admin/grupper", data={"group_key": "g", "role": "sas"}).status_code == 403
    assert mappings(session) == []


def test_adding_and_removing_a_mapping_is_on_the_administrative_trail(session, world) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from app.admin.group_mappings import add_mapping, remove_mapping
    from app.models import AdminEvent

    mapping = add_mapping(session, world.admin, {"group_key": "sg-sas", "role": "sas"})
    remove_mapping(session, world.admin, mapping)
    rows = session.scalars(
        select(AdminEvent).where(AdminEvent.kind == "group_mapping").order_by(AdminEvent.id)
    ).all()
    assert [(r.before, r.after) for r in rows] == [
        ({}, {"group": "sg-sas", "role": "sas", "unit": ""}),
        ({"group": "sg-sas", "role": "sas", "unit": ""}, {}),
    ]
