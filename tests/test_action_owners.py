"""Action owners are people who can act on the case (DOMAIN.md §2): its handler, the SAS or MAS
who oversees it, and its unit's managers. The page offers only them and the operation refuses
anyone else, through the API and the page alike (an administrator once got a "Ny uppgift" that
led to 403)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Action
from tests.api_client import Api, error_of
from tests.factories import case_in, case_of
from workflows.permissions import action_owners

REFUSED = (
    "Välj som ansvarig någon som kan arbeta med ärendet: utredaren, enhetens chef eller SAS/MAS."
)


@pytest.fixture
def api(client, session):
    return Api(client, session)


def _due() -> str:
    return (date.today() + timedelta(days=10)).isoformat()


def _actions(session, case) -> int:
    return session.scalar(select(func.count()).select_from(Action).where(Action.case_id == case.id))


@pytest.mark.parametrize(
    ("case_type", "state", "eligible"),
    [
        # Solgården (SoL, HSL) in Äldreomsorg: its manager and the area's manager, and the
        # investigating role of the case's own law.
        ("lex_sarah", "under_investigation", {"manager", "area_manager", "sas"}),
        ("lex_maria", "under_investigation", {"manager", "area_manager", "mas"}),
        # A deviation assessed under SoL: the SAS oversees it; the MAS does not.
        ("deviation", "local_investigation", {"manager", "area_manager", "sas"}),
    ],
)
def test_the_eligible_owners_are_those_who_can_act_on_the_case(
    session, world, case_type, state, eligible
):
    case = case_of(session, world, case_type, state)
    names = {name for name, user in world.users().items() if user in action_owners(session, case)}
    assert names == eligible


def test_a_deactivated_user_is_not_offered(session, world):
    case = case_in(session, world, "under_investigation")
    world.area_manager.active = False
    session.flush()
    assert world.area_manager not in action_owners(session, case)
    assert world.manager in action_owners(session, case)


@pytest.mark.parametrize("who", ["admin", "chair", "reporter", "other_manager", "mas"])
def test_the_api_refuses_an_owner_who_cannot_act_on_the_case(api, session, world, who):
    case = case_in(session, world, "under_investigation")
    response = api.post(
        world.sas,
        f"cases/{case.id}/actions",
        {"description": "Ny rutin.", "owner_id": getattr(world, who).id, "due_on": _due()},
    )
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert error["code"] == "invalid_data"
    assert REFUSED in str(error["fields"]["owner_id"])
    assert _actions(session, case) == 0


def test_the_api_accepts_the_units_manager(api, session, world):
    case = case_in(session, world, "under_investigation")
    response = api.post(
        world.sas,
        f"cases/{case.id}/actions",
        {"description": "Ny rutin.", "owner_id": world.area_manager.id, "due_on": _due()},
    )
    assert response.status_code == 201, response.get_json()
    assert _actions(session, case) == 1


def test_the_page_offers_only_eligible_owners_and_refuses_another(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    select_html = re.search(r'<select class="input" id="owner_id".*?</select>', html, re.S)
    assert select_html is not None
    offered = {int(v) for v in re.findall(r'<option[^>]* value="(\d+)"', select_html.group(0))}
    assert offered == {world.manager.id, world.area_manager.id, world.sas.id}
    assert "Sas, Titel" in select_html.group(0)

    # A hand-made request for the administrator is refused with the field's own message.
    response = client.post(
        f"/arenden/{case.id}/atgarder",
        data={
            "description": "Ny rutin för tillsyn.",
            "owner_id": str(world.admin.id),
            "due_on": _due(),
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="owner_id-error"' in page
    assert REFUSED in page
    # What was typed is kept.
    assert "Ny rutin för tillsyn." in page
    assert _actions(session, case) == 0
