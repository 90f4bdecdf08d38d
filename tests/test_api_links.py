"""Linked cases through the API: reclassification, conversion and one report about both laws
show their links both ways (never the other case's content), and a new case carries the history
of the case it came from, as far as the caller may see it."""

from __future__ import annotations

import pytest

from tests.api_client import Api
from tests.factories import case_in, case_of, hsl_unit, report_data
from workflows.engine import fire


@pytest.fixture
def api(client, session):
    return Api(client, session)


def detail(api, user, case_id: int) -> dict:
    response = api.get(user, f"cases/{case_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def link(case, may_open: bool) -> dict:
    return {
        "id": case.id,
        "reference": case.reference,
        "case_type": case.case_type,
        "url": f"/api/v1/cases/{case.id}",
        "may_open": may_open,
    }


def test_reclassified_lex_sarah_to_lex_maria_links_both_ways(api, session, world):
    old = case_in(session, world, "under_investigation")
    fire(
        session,
        old,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Gäller hälso- och sjukvården."},
    )
    session.flush()
    new = old.successor_case
    assert new.case_type == "lex_maria"

    old_body = detail(api, world.sas, old.id)
    # The SAS sees where the case went, but may not open a lex Maria case.
    assert old_body["links"]["successor"] == link(new, False)
    assert old_body["links"]["origin"] is None
    new_body = detail(api, world.mas, new.id)
    assert new_body["links"]["origin"] == link(old, False)
    assert new_body["links"]["successor"] is None
    assert new_body["state"] == "submitted"
    # A link is a reference only: nothing of the other case's content.
    assert set(new_body["links"]["origin"]) == {"id", "reference", "case_type", "url", "may_open"}


def test_converted_deviation_links_both_ways(api, session, world):
    deviation = case_of(session, world, "deviation", "converted")
    lex_sarah = deviation.successor_case
    assert detail(api, world.sas, deviation.id)["links"]["successor"] == link(lex_sarah, True)
    body = detail(api, world.sas, lex_sarah.id)
    assert body["links"]["origin"] == link(deviation, True)
    assert body["case_type"] == "lex_sarah"
    # The unit's manager follows the link to the deviation they assessed.
    assert detail(api, world.manager, lex_sarah.id)["links"]["origin"]["may_open"] is True


def test_one_report_about_both_laws_links_the_pair(api, session, world):
    response = api.post(world.reporter, "cases", report_data(world.solgarden, affected="both"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["created"]
    assert [c["case_type"] for c in created] == ["lex_sarah", "lex_maria"]
    sarah_id, maria_id = created[0]["id"], created[1]["id"]

    sarah = detail(api, world.sas, sarah_id)
    assert sarah["links"]["related"]["id"] == maria_id
    assert sarah["links"]["related"]["may_open"] is False
    maria = detail(api, world.mas, maria_id)
    assert maria["links"]["related"]["id"] == sarah_id
    assert maria["links"]["related"]["may_open"] is False
    # The reporter may open both: they reported both.
    assert detail(api, world.reporter, sarah_id)["links"]["related"]["may_open"] is True
    assert {sarah["links"]["origin"], sarah["links"]["successor"]} == {None}


def events(api, user, case_id: int) -> list[dict]:
    response = api.get(user, f"cases/{case_id}/events")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_events_of_a_converted_case_include_the_deviation_s_history(api, session, world):
    deviation = case_of(session, world, "deviation", "converted")
    lex_sarah = deviation.successor_case
    fire(session, lex_sarah, world.sas, "start_investigation", {})
    session.flush()

    items = events(api, world.sas, lex_sarah.id)
    assert [(e["case_reference"], e["trigger"]) for e in items] == [
        (deviation.reference, "submit"),
        (deviation.reference, "assess"),
        (deviation.reference, "convert_to_lex_sarah"),
        (lex_sarah.reference, "converted_from"),
        (lex_sarah.reference, "start_investigation"),
    ]
    assert {e["case_id"] for e in items[:3]} == {deviation.id}
    assert items[1]["data"]["severity"] == 3
    assert items[2]["comment"] == "Missförhållande."
    # The deviation's own history is unchanged by the new case.
    assert [e["case_reference"] for e in events(api, world.sas, deviation.id)] == [
        deviation.reference
    ] * 3


def test_the_origin_s_history_is_left_out_for_whoever_may_not_see_it(api, session, world):
    old = case_in(session, world, "under_investigation")
    fire(
        session,
        old,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Gäller hälso- och sjukvården."},
    )
    session.flush()
    new = old.successor_case

    # The MAS may not see the lex Sarah case, so sees only the new case's history.
    assert {e["case_reference"] for e in events(api, world.mas, new.id)} == {new.reference}
    # The SAS may see the old one but not the new one at all.
    assert api.get(world.sas, f"cases/{new.id}/events").status_code == 403
    # The unit's manager sees both histories, the investigation's rows redacted.
    items = events(api, world.manager, new.id)
    assert [e["case_reference"] for e in items][:1] == [old.reference]
    assert items[-1]["case_reference"] == new.reference
    redacted = {e["trigger"]: e["redacted"] for e in items if e["case_id"] == old.id}
    assert redacted["record_immediate_measures"] is False
    assert redacted["start_investigation"] is True
    assert redacted["reclassify"] is True


def test_a_chain_of_cases_carries_every_visible_history(api, session, world):
    """HSL deviation → lex Maria (MAS) → reclassified lex Sarah (MAS): the SAS sees what it may."""
    unit = hsl_unit(session, world)
    deviation = case_of(
        session,
        world,
        "deviation",
        "escalated",
        unit=unit,
        legal_area="HSL",
        manager=world.area_manager,
    )
    fire(session, deviation, world.mas, "convert_to_lex_maria", {"comment": "Vårdskada."})
    lex_maria = deviation.successor_case
    fire(
        session,
        lex_maria,
        world.mas,
        "reclassify",
        {"target_type": "lex_sarah", "comment": "Gäller omsorgen."},
    )
    lex_sarah = lex_maria.successor_case
    session.flush()

    mas_view = {e["case_reference"] for e in events(api, world.mas, lex_maria.id)}
    assert mas_view == {deviation.reference, lex_maria.reference}
    sas_view = [e["case_reference"] for e in events(api, world.sas, lex_sarah.id)]
    # The SAS oversees neither the HSL deviation nor the lex Maria case.
    assert set(sas_view) == {lex_sarah.reference}
    area = [e["case_reference"] for e in events(api, world.area_manager, lex_sarah.id)]
    assert area[0] == deviation.reference
    assert set(area) == {deviation.reference, lex_maria.reference, lex_sarah.reference}
