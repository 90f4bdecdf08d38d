"""GET /api/v1/cases: only what the caller may see, filtered in SQL so that pages are right."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from app.models import Case
from tests.api_client import Api, error_of
from tests.factories import case_in, new_case
from workflows.engine import fire
from workflows.permissions import can_view


@pytest.fixture
def api(client, session):
    return Api(client, session)


@pytest.fixture
def cases(session, world):
    """Cases in Solgården in several states, two in Linden, one the manager reported."""
    made = {
        state: case_in(session, world, state)
        for state in (
            "submitted",
            "under_investigation",
            "awaiting_decision",
            "awaiting_filing",
            "closed",
        )
    }
    returned = case_in(session, world, "awaiting_decision")
    fire(
        session,
        returned,
        world.chair,
        "return_to_investigator",
        {"comment": "Komplettera punkt 4."},
    )
    made["returned"] = returned
    made["linden"] = new_case(session, world, reporter=world.other_reporter, unit=world.linden)
    made["linden_started"] = new_case(session, world, unit=world.linden)
    fire(session, made["linden_started"], world.sas, "start_investigation", {})
    made["by_manager"] = new_case(session, world, reporter=world.manager)
    session.flush()
    return made


def ids(response) -> set[int]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_sas_sees_every_lex_sarah_case(api, world, cases):
    assert ids(api.get(world.sas, "cases?per_page=100")) == {c.id for c in cases.values()}


def test_list_items_are_summaries(api, world, cases):
    item = next(
        i for i in api.get(world.sas, "cases").get_json()["items"] if i["id"] == cases["closed"].id
    )
    assert item["reference"] == cases["closed"].reference
    assert item["state"] == "closed"
    assert item["state_label"] == "Avslutad"
    assert item["unit"]["name"] == "Solgården"
    assert item["closed_at"].endswith("Z")
    assert item["url"] == f"/api/v1/cases/{cases['closed'].id}"
    assert "report" not in item
    assert "description" not in item


def test_filters(api, world, cases):
    assert ids(api.get(world.sas, "cases?state=submitted")) == {
        cases["submitted"].id,
        cases["linden"].id,
        cases["by_manager"].id,
    }
    assert ids(api.get(world.sas, "cases?state=closed&state=awaiting_filing")) == {
        cases["closed"].id,
        cases["awaiting_filing"].id,
    }
    assert ids(api.get(world.sas, f"cases?unit_id={world.linden.id}")) == {
        cases["linden"].id,
        cases["linden_started"].id,
    }
    assert ids(api.get(world.sas, f"cases?unit={world.linden.id}&state=under_investigation")) == {
        cases["linden_started"].id
    }
    assert len(ids(api.get(world.sas, "cases?type=lex_sarah&per_page=100"))) == len(cases)
    assert ids(api.get(world.sas, "cases?type=deviation")) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=parking_ticket", "type"),
        ("state=lost", "state"),
        ("unit_id=x", "unit_id"),
        ("page=0", "page"),
        ("per_page=-1", "per_page"),
        ("page=two", "page"),
    ],
)
def test_bad_filters_are_422(api, world, cases, query, field):
    response = api.get(world.sas, f"cases?{query}")
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_pagination(api, world, cases):
    total = len(cases)
    first = api.get(
        world.sas,
        "cases?per_page=3&state=submitted&state=closed&state=awaiting_filing"
        "&state=under_investigation&state=awaiting_decision",
    ).get_json()
    assert first["page"] == 1
    assert first["per_page"] == 3
    assert (first["total"], first["total_exact"]) == (total, True)
    assert len(first["items"]) == 3
    assert first["prev"] is None
    seen = [i["id"] for i in first["items"]]
    page, pages = first, 1
    while page["next"]:
        # The links keep the filters and go on by a cursor, not a page number.
        assert page["next"].count("state=") == 5
        assert "after=" in page["next"]
        assert "page=" not in page["next"].replace("per_page=", "")
        page = api.get(world.sas, page["next"]).get_json()
        pages += 1
        seen += [i["id"] for i in page["items"]]
        assert page["prev"] is not None
        assert page["page"] is None
        assert page["total"] == total
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 3)
    # Newest first.
    received = [c.received_at for c in sorted(cases.values(), key=lambda c: seen.index(c.id))]
    assert received == sorted(received, reverse=True)
    # And back again by the prev links, through the same cases.
    back = [i["id"] for i in page["items"]]
    while page["prev"]:
        assert "before=" in page["prev"]
        page = api.get(world.sas, page["prev"]).get_json()
        back = [i["id"] for i in page["items"]] + back
    assert back == seen
    assert page["next"] is not None


def test_page_numbers_reach_only_so_deep(api, app, world, cases):
    app.config["PAGE_DEPTH_LIMIT"] = 4
    assert ids(api.get(world.sas, "cases?per_page=2&page=2"))
    response = api.get(world.sas, "cases?per_page=2&page=3")
    assert response.status_code == 422
    assert "page" in error_of(response)["fields"]
    # The cursor goes on where the page numbers stop.
    second = api.get(world.sas, "cases?per_page=2&page=2").get_json()
    assert ids(api.get(world.sas, second["next"]))


def test_the_total_stops_counting(api, app, world, cases):
    app.config["COUNT_LIMIT"] = 3
    body = api.get(world.sas, "cases?per_page=100").get_json()
    assert (body["total"], body["total_exact"]) == (3, False)
    assert len(body["items"]) == len(cases)
    app.config["COUNT_LIMIT"] = len(cases)
    body = api.get(world.sas, "cases").get_json()
    assert (body["total"], body["total_exact"]) == (len(cases), True)


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("after=x", {"after"}),
        ("before=%%%", {"before"}),
        (f"after={_cursor(['2026-01-01T00:00:00', 1])}", {"after"}),  # no time zone
        (f"after={_cursor(['2026-01-01T00:00:00+00:00', '1'])}", {"after"}),
        (f"after={_cursor(['2026-01-01T00:00:00+00:00', 2**63])}", {"after"}),
        (f"after={_cursor({'at': 1})}", {"after"}),
        (f"after={_cursor([[[[[[[[[[1]]]]]]]]]])}", {"after"}),
        ("after=" + "A" * 5000, {"after"}),
        (f"page=2&after={_cursor(['2026-01-01T00:00:00+00:00', 1])}", {"page", "after"}),
    ],
)
def test_bad_cursors_are_422(api, world, cases, query, fields):
    response = api.get(world.sas, f"cases?{query}")
    assert response.status_code == 422
    assert fields <= set(error_of(response)["fields"])


def test_a_cursor_past_the_end_is_an_empty_page(api, world, cases):
    oldest = min(cases.values(), key=lambda c: (c.received_at, c.id))
    cursor = _cursor([oldest.received_at.isoformat(), oldest.id])
    body = api.get(world.sas, f"cases?after={cursor}").get_json()
    assert body["items"] == []
    assert body["next"] is None


def test_per_page_is_capped(api, world, cases):
    body = api.get(world.sas, "cases?per_page=500").get_json()
    assert body["per_page"] == 100
    assert body["next"] is None


def test_page_past_the_end_is_empty(api, world, cases):
    body = api.get(world.sas, "cases?page=50").get_json()
    assert body["items"] == []
    assert body["total"] == len(cases)
    assert body["prev"] is not None


def test_managers_see_their_units(api, world, cases):
    linden = {cases["linden"].id, cases["linden_started"].id}
    assert ids(api.get(world.other_manager, "cases")) == linden
    solgarden = {c.id for c in cases.values()} - linden
    assert ids(api.get(world.manager, "cases")) == solgarden
    # A manager higher up sees the units below.
    assert ids(api.get(world.area_manager, "cases")) == solgarden


def test_reporters_see_their_own(api, world, cases):
    own = {c.id for c in cases.values() if c.reporter_id == world.reporter.id}
    assert ids(api.get(world.reporter, "cases")) == own
    assert ids(api.get(world.other_reporter, "cases")) == {cases["linden"].id}


def test_chair_sees_proposals_and_decided_cases(api, world, cases):
    assert ids(api.get(world.chair, "cases")) == {
        cases["awaiting_decision"].id,
        cases["awaiting_filing"].id,
        cases["closed"].id,
        cases["returned"].id,
    }


@pytest.mark.parametrize("who", ["admin", "log_reviewer", "mas"])
def test_no_case_content_roles_see_nothing(api, world, cases, who):
    body = api.get(getattr(world, who), "cases").get_json()
    assert body["items"] == []
    assert body["total"] == 0


def test_the_list_agrees_with_can_view_for_everyone(api, session, world, cases):
    every = session.scalars(select(Case)).all()
    for name, user in world.users().items():
        expected = {c.id for c in every if can_view(session, user, c)}
        assert ids(api.get(user, "cases?per_page=100")) == expected, name


def test_the_deciding_role_follows_the_setting(api, session, world, cases):
    from app.models import set_setting

    set_setting(session, "deciding_role.lex_sarah", "mas")
    session.flush()
    assert ids(api.get(world.chair, "cases")) == set()
    assert ids(api.get(world.mas, "cases")) == {
        cases["awaiting_decision"].id,
        cases["awaiting_filing"].id,
        cases["closed"].id,
        cases["returned"].id,
    }
