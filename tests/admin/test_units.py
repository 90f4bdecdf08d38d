"""/admin/enheter: the tree of units förvaltning → verksamhetsområde → enhet (DOMAIN.md §2), kept
by the administrator: added, edited, moved without cycles, switched off only when no case in the
unit is open."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from app.models import Unit
from tests.factories import case_of, new_case

from .conftest import signed_in


def unit_data(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Gruppbostaden Eken",
        "kind": "unit",
        "parent_id": str(world.disability.id),
        "legal_areas": ["LSS"],
        "managers": [str(world.other_manager.id)],
    }
    data.update(overrides)
    return data


def edit_data(unit: Unit, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": str(unit.parent_id or ""),
        "legal_areas": unit.legal_areas,
        "managers": [str(u.id) for u in unit.managers],
    }
    data.update(overrides)
    return data


def by_name(session, name: str) -> Unit | None:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(Unit).where(Unit.name == name))


def count(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Unit))


def element(html: str, element_id: str) -> str:
    match = re.search(rf'<[^<>]*\bid="{element_id}"[^<>]*>', html)
    assert match, element_id
    return match.group(0)


# --- the tree -----------------------------------------------------------------------------------


def test_the_tree_is_nested_lists_with_the_kind_in_text(admin, world, session):
    world.linden.active = False
    session.flush()
    html = admin.get("/admin/enheter").get_data(as_text=True)
    assert "<h1>Enheter</h1>" in html
    main = html[html.index("<h1>") :]
    # Förvaltningen › Äldreomsorg › Solgården: three lists deep.
    before = main[: main.index(">Solgården<")]
    assert before.count("<ul>") - before.count("</ul>") == 3
    assert "(Förvaltning)" in main
    assert "(Verksamhetsområde, SoL, HSL)" in main
    assert "(Enhet, SoL, HSL)" in main
    linden = main[main.index(">Linden<") :].split("</li>", 1)[0]
    assert "inaktiv" in linden
    assert "Chef: Other.Manager" in linden
    assert "Ingen enhetschef" in main  # Förvaltningen has none
    assert 'style="' not in html
    assert "<script" not in html


# --- adding ---------------------------------------------------------------------------------------


def test_adding_a_unit_with_its_manager(admin, app, world, session, caplog):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    form = admin.get(
        "/admin/enheter/ny", query_string={"under": world.disability.id, "typ": "unit"}
    ).get_data(as_text=True)
    assert "<h1>Ny enhet</h1>" in form
    assert f'<option value="{world.disability.id}" selected>' in form
    assert 'checked id="kind-2"' in form
    response = admin.post("/admin/enheter/ny", data=unit_data(world))
    assert response.status_code == 302
    unit = by_name(session, "Gruppbostaden Eken")
    assert (unit.kind, unit.parent_id, unit.legal_areas, unit.active) == (
        "unit",
        world.disability.id,
        ["LSS"],
        True,
    )
    assert [u.email for u in unit.managers] == ["other.manager@test.se"]
    [record] = [r for r in caplog.records if r.name == "lexflode.admin"]
    assert "admin@test.se" in record.getMessage()
    assert "created unit 'Gruppbostaden Eken'" in record.getMessage()
    # The manager now answers for the new unit's cases, and a reporter can choose it.
    case = new_case(session, world, unit=unit)
    assert signed_in(app, world.other_manager.email).get(f"/arenden/{case.id}").status_code == 200
    reporting = signed_in(app, world.reporter.email).get("/rapportera").get_data(as_text=True)
    assert "Gruppbostaden Eken" in reporting


def test_a_forvaltning_has_no_parent_and_needs_no_legal_area(admin, world, session):
    response = admin.post(
        "/admin/enheter/ny",
        data={"name": "Barn- och utbildningsförvaltningen", "kind": "administration"},
    )
    assert response.status_code == 302
    unit = by_name(session, "Barn- och utbildningsförvaltningen")
    assert (unit.parent_id, unit.legal_areas, unit.managers) == (None, [], [])


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Fältet måste fyllas i."),
        ({"kind": ""}, "kind", "Gör ett val."),
        ({"parent_id": ""}, "parent_id", "Välj vilken enhet den ligger under."),
        ({"legal_areas": []}, "legal_areas", "Välj minst en lag som enheten arbetar enligt."),
        ({"kind": "administration"}, "parent_id", "En förvaltning ligger högst upp"),
        ({"parent_id": "{linden}"}, "parent_id", "Linden är en enhet och kan inte ha en enhet"),
        (
            {"kind": "area", "parent_id": "{disability}"},
            "parent_id",
            "Funktionsstöd är ett verksamhetsområde och kan inte ha ett verksamhetsområde",
        ),
        ({"parent_id": "999999"}, "parent_id", "Den valda enheten finns inte."),
        ({"name": "linden"}, "name", "Det finns redan en enhet med det namnet"),
        ({"managers": [str(0)]}, "managers", "är inte ett giltigt val"),
        ({"managers": ["{sas}"]}, "managers", "är inte ett giltigt val"),
        ({"legal_areas": ["IVO"]}, "legal_areas", "är inte ett giltigt val"),
    ],
)
def test_a_refused_unit_is_422_in_swedish_with_what_was_typed(
    admin, world, session, overrides, field, message
):
    ids = {"linden": world.linden.id, "disability": world.disability.id, "sas": world.sas.id}
    data = unit_data(world, **overrides)
    data = {
        k: [x.format(**ids) for x in v] if isinstance(v, list) else v.format(**ids)
        for k, v in data.items()
    }
    before = count(session)
    response = admin.post("/admin/enheter/ny", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Fel: Ny enhet" in html
    assert message in html
    assert f'href="#{field}"' in html
    assert f"{field}-error" in element(html, field)
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    assert count(session) == before


# --- editing --------------------------------------------------------------------------------------


def test_editing_a_unit_renames_and_gives_it_another_manager(admin, app, world, session, caplog):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    case = new_case(session, world)  # at Solgården
    assert signed_in(app, world.other_manager.email).get(f"/arenden/{case.id}").status_code == 403
    page = admin.get(f"/admin/enheter/{world.solgarden.id}").get_data(as_text=True)
    assert 'value="Solgården"' in page
    assert "Enheten har 1 öppet ärende." in page
    assert "badrummet" not in page
    response = admin.post(
        f"/admin/enheter/{world.solgarden.id}",
        data=edit_data(
            world.solgarden,
            name="Solgårdens boende",
            managers=[str(world.manager.id), str(world.other_manager.id)],
        ),
    )
    assert response.status_code == 302
    unit = by_name(session, "Solgårdens boende")
    assert unit.id == world.solgarden.id
    assert {u.email for u in unit.managers} == {"manager@test.se", "other.manager@test.se"}
    assert any("changed unit 'Solgårdens boende'" in r.getMessage() for r in caplog.records)
    assert signed_in(app, world.other_manager.email).get(f"/arenden/{case.id}").status_code == 200


def test_moving_a_unit_to_another_area(admin, world, session):
    response = admin.post(
        f"/admin/enheter/{world.linden.id}",
        data=edit_data(world.linden, parent_id=str(world.elder_care.id)),
    )
    assert response.status_code == 302
    assert by_name(session, "Linden").path == "Förvaltningen › Äldreomsorg › Linden"


@pytest.mark.parametrize("new_parent", ["elder_care", "solgarden"])
def test_no_unit_lies_under_itself_or_below_itself(admin, world, session, new_parent):
    # Förvaltningen made an area under one of its own: a cycle, refused before anything else.
    response = admin.post(
        f"/admin/enheter/{world.admin_unit.id}",
        data=edit_data(world.admin_unit, kind="area", parent_id=str(getattr(world, new_parent).id)),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "kan inte ligga under sig själv eller under någon av sina underenheter" in html
    assert by_name(session, "Förvaltningen").parent_id is None


def test_a_unit_is_not_its_own_parent(admin, world, session):
    response = admin.post(
        f"/admin/enheter/{world.elder_care.id}",
        data=edit_data(world.elder_care, parent_id=str(world.elder_care.id)),
    )
    assert response.status_code == 422
    assert "kan inte ligga under sig själv" in response.get_data(as_text=True)


def test_a_kind_its_sub_units_cannot_lie_under_is_refused(admin, world, session):
    response = admin.post(
        f"/admin/enheter/{world.elder_care.id}",
        data=edit_data(world.elder_care, kind="unit"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enheten har underenheter som inte kan ligga under en enhet: Solgården." in html
    assert by_name(session, "Äldreomsorg").kind == "area"


def test_taking_away_a_managers_only_unit_is_refused(admin, world, session):
    response = admin.post(
        f"/admin/enheter/{world.solgarden.id}",
        data=edit_data(world.solgarden, managers=[]),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Manager leder ingen annan enhet." in html
    assert 'href="#managers"' in html
    assert [u.email for u in by_name(session, "Solgården").managers] == ["manager@test.se"]


# --- switching off and on -----------------------------------------------------------------------


def test_a_unit_with_open_cases_cannot_be_switched_off(admin, world, session):
    new_case(session, world)
    new_case(session, world)
    response = admin.post(f"/admin/enheter/{world.solgarden.id}/aktiv", data={"active": "0"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Solgården har 2 öppna ärenden." in html
    assert "badrummet" not in html
    assert by_name(session, "Solgården").active is True


def test_a_unit_whose_cases_are_all_finished_can_be_switched_off(
    admin, app, world, session, caplog
):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    case_of(session, world, "deviation", "closed", unit=world.linden, manager=world.other_manager)
    response = admin.post(f"/admin/enheter/{world.linden.id}/aktiv", data={"active": "0"})
    assert response.status_code == 302
    assert by_name(session, "Linden").active is False
    assert any("deactivated unit 'Linden'" in r.getMessage() for r in caplog.records)
    reporting = signed_in(app, world.reporter.email).get("/rapportera").get_data(as_text=True)
    assert "Linden" not in reporting
    assert admin.post(
        f"/admin/enheter/{world.linden.id}/aktiv", data={"active": "1"}
    ).status_code == (302)
    assert by_name(session, "Linden").active is True


def test_an_area_with_active_units_below_cannot_be_switched_off(admin, world, session):
    response = admin.post(f"/admin/enheter/{world.disability.id}/aktiv", data={"active": "0"})
    assert response.status_code == 409
    assert "Funktionsstöd har 1 aktiv underenhet." in response.get_data(as_text=True)
    assert by_name(session, "Funktionsstöd").active is True


def test_a_unit_below_an_inactive_one_cannot_be_switched_on(admin, world, session):
    world.linden.active = False
    world.disability.active = False
    session.flush()
    response = admin.post(f"/admin/enheter/{world.linden.id}/aktiv", data={"active": "1"})
    assert response.status_code == 409
    assert "ligger under Funktionsstöd, som är inaktiv" in response.get_data(as_text=True)
    assert by_name(session, "Linden").active is False


# --- who may --------------------------------------------------------------------------------------

GETS = ["/admin/enheter", "/admin/enheter/ny", "/admin/enheter/{id}"]
POSTS = ["/admin/enheter/ny", "/admin/enheter/{id}", "/admin/enheter/{id}/aktiv"]


@pytest.mark.parametrize("who", ["reporter", "manager", "sas", "mas", "chair", "log_reviewer"])
def test_no_one_but_the_admin_may(app, world, session, who):
    client = signed_in(app, getattr(world, who).email)
    target = world.linden
    for path in GETS:
        assert client.get(path.format(id=target.id)).status_code == 403, path
    for path in POSTS:
        response = client.post(path.format(id=target.id), data={"active": "0", **unit_data(world)})
        assert response.status_code == 403, path
    assert by_name(session, "Linden").active is True
    assert by_name(session, "Gruppbostaden Eken") is None


def test_the_admin_still_reads_no_case(admin, world, session):
    case = new_case(session, world)
    assert admin.post("/admin/enheter/ny", data=unit_data(world)).status_code == 302
    assert admin.get(f"/arenden/{case.id}").status_code == 403
    for path in ("/admin/enheter", f"/admin/enheter/{world.solgarden.id}"):
        assert "badrummet" not in admin.get(path).get_data(as_text=True)
