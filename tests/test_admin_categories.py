"""/admin/kategorier: the deviation categories are data the admin edits (DOMAIN.md §3.3)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.admin import operations
from app.models import Category
from forms.deviation import AssessmentForm
from tests.factories import report_data
from workflows.engine import fire
from workflows.errors import InvalidData, NotAllowed
from workflows.records import submit_report

NEW = {"name": "Nutrition", "sort_order": "20", "active": "y"}


@pytest.fixture
def admin(client, auth, world):
    auth.login(world.admin.email)
    return client


def by_name(session, name: str) -> Category | None:
    session.expire_all()
    return session.scalar(select(Category).where(Category.name == name))


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Category))


def test_the_list_shows_the_seeded_categories(admin):
    html = admin.get("/admin/kategorier").get_data(as_text=True)
    assert "Stöld/ekonomiska övergrepp" in html
    assert "Medicintekniska produkter" in html
    assert html.count("Inaktivera") == 15


def test_adding_a_category(admin, session):
    response = admin.post("/admin/kategorier/ny", data=NEW)
    assert response.status_code == 302
    category = by_name(session, "Nutrition")
    assert (
        category.active,
        category.sort_order,
        category.always_escalate,
        category.escalate_to,
        category.police_report,
    ) == (True, 20, False, None, False)
    assert "Kategorin Nutrition är tillagd." in admin.get("/admin/kategorier").get_data(
        as_text=True
    )


def test_the_edit_form_shows_the_stored_values(admin, session):
    theft = by_name(session, "Stöld/ekonomiska övergrepp")
    html = admin.get(f"/admin/kategorier/{theft.id}").get_data(as_text=True)
    assert '<option selected value="lex_sarah">' in html
    assert 'checked id="always_escalate"' in html
    assert 'checked id="police_report"' in html


def test_editing_a_category_keeps_its_id(admin, session):
    category = by_name(session, "Hot och våld")
    form = admin.get(f"/admin/kategorier/{category.id}").get_data(as_text=True)
    assert 'value="Hot och våld"' in form
    response = admin.post(
        f"/admin/kategorier/{category.id}",
        data={
            "name": "Hot och våld",
            "always_escalate": "y",
            "escalate_to": "lex_sarah",
            "police_report": "y",
            "active": "y",
            "sort_order": "5",
        },
    )
    assert response.status_code == 302
    edited = by_name(session, "Hot och våld")
    assert edited.id == category.id
    assert (
        edited.always_escalate,
        edited.escalate_to,
        edited.police_report,
        edited.sort_order,
    ) == (True, "lex_sarah", True, 5)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Fältet måste fyllas i."),
        ({"name": "fall"}, "name", "Det finns redan en kategori med det namnet."),
        (
            {"name": "STÖLD/EKONOMISKA ÖVERGREPP"},
            "name",
            "Det finns redan en kategori med det namnet.",
        ),
        ({"name": "Ny", "escalate_to": "lex_maria"}, "escalate_to", "Välj ”Eskaleras alltid”"),
        (
            {"name": "Ny", "escalate_to": "deviation", "always_escalate": "y"},
            "escalate_to",
            "Inte ett giltigt val",
        ),
        ({"name": "Ny", "sort_order": "-1"}, "sort_order", "Ange ett heltal från 0 till 9999."),
        ({"name": "Ny", "sort_order": "först"}, "sort_order", "Ange ett heltal."),
        ({"name": "x" * 121}, "name", "120"),
    ],
)
def test_invalid_categories_are_422_with_what_was_typed(admin, session, data, field, message):
    before = count(session)
    response = admin.post("/admin/kategorier/ny", data={"active": "y", **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    assert count(session) == before


def test_a_refused_edit_changes_nothing(admin, session):
    category = by_name(session, "Fall")
    response = admin.post(f"/admin/kategorier/{category.id}", data={"name": "Läkemedel"})
    assert response.status_code == 422
    assert by_name(session, "Fall") is not None


def test_deactivating_and_activating(admin, session, world):
    fall = by_name(session, "Fall")
    assert admin.post(f"/admin/kategorier/{fall.id}/aktiv", data={"active": "0"}).status_code == 302
    assert by_name(session, "Fall").active is False
    html = admin.get("/admin/kategorier").get_data(as_text=True)
    assert "Kategorin Fall är inaktiverad." in html
    assert "Aktivera<span" in html

    # Not offered to the manager, and refused if posted anyway; the row stays for older cases.
    choices = [c.data for c in AssessmentForm(formdata=None, meta={"csrf": False}).category_id]
    assert fall.id not in choices
    case = submit_report(
        session, world.reporter, report_data(world.solgarden), case_type="deviation"
    )
    with pytest.raises(InvalidData) as refused:
        fire(
            session,
            case,
            world.manager,
            "assess",
            {"legal_area": "SoL", "category_id": fall.id, "severity": 1, "likelihood": 1},
        )
    assert "category_id" in refused.value.field_errors

    assert admin.post(f"/admin/kategorier/{fall.id}/aktiv", data={"active": "1"}).status_code == 302
    assert by_name(session, "Fall").active is True


def test_a_new_always_escalating_category_escalates(admin, session, world):
    admin.post(
        "/admin/kategorier/ny",
        data={
            "name": "Övergrepp i rättssäkerhet",
            "always_escalate": "y",
            "escalate_to": "lex_sarah",
            "active": "y",
        },
    )
    category = by_name(session, "Övergrepp i rättssäkerhet")
    case = submit_report(
        session, world.reporter, report_data(world.solgarden), case_type="deviation"
    )
    fire(
        session,
        case,
        world.manager,
        "assess",
        {"legal_area": "SoL", "category_id": category.id, "severity": 1, "likelihood": 1},
    )
    assert case.state == "escalated"


def test_operations_refuse_anyone_but_the_admin(session, world):
    fall = by_name(session, "Fall")
    for who in (world.sas, world.mas, world.chair, world.manager):
        with pytest.raises(NotAllowed):
            operations.add_category(session, who, NEW)
        with pytest.raises(NotAllowed):
            operations.set_category_active(session, who, fall, False)
        with pytest.raises(NotAllowed):
            operations.save_settings(session, who, {"escalation_severity": 1})
    world.admin.active = False
    with pytest.raises(NotAllowed):
        operations.add_category(session, world.admin, NEW)
