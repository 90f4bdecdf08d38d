"""What a write must name and may not name: only the fields the operation takes (422 naming the
others), and the version of the case it was made against (expected_version or If-Match; missing
422, stale 409 or 412), with the case's version sent back as a weak ETag; and a partial write of
the investigation never empties what it did not name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.api.sections import INVESTIGATION_ITEMS
from app.models import Case, Unit
from tests.api_client import Api, error_of
from tests.factories import action_for, case_of, investigation_data, report_data
from tests.fuzz.support import rolled_back
from tests.fuzz.targets import api_targets
from workflows.records import add_action, save_investigation


@pytest.fixture
def api(client, session):
    return Api(client, session)


def case_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Case))


# --- unknown fields ------------------------------------------------------------------------------


def test_a_misspelt_field_is_refused_not_dropped(api, session, world):
    before = case_count(session)
    body = {**report_data(world.solgarden), "place": "Matsalen"}
    body.pop("location")
    response = api.post(world.reporter, "cases", body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "unknown_fields"
    assert set(error["fields"]) == {"place"}
    assert case_count(session) == before


def test_unknown_fields_nested_and_in_a_steps_data_are_named(api, session, world):
    persons = [{"name": "Anna", "nickname": "A"}]
    response = api.post(
        world.reporter, "cases", {**report_data(world.solgarden), "persons": persons}
    )
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"persons.0.nickname"}

    case = case_of(session, world, "lex_sarah", "under_investigation")
    data = {"proposed_grade": "serious_misconduct", "grade_motivation": "M.", "grade": "x"}
    response = api.fire(world.sas, case.id, "propose_early_filing", data)
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"data.grade"}
    # A step without a form takes no data at all.
    response = api.fire(world.sas, case.id, "complete_investigation", {"anything": 1})
    assert response.status_code == 422
    assert "data.anything" in error_of(response)["fields"]
    assert api.snapshot(case.id)[0] == "under_investigation"


def test_every_write_refuses_an_unknown_field_by_name(api, session, world):
    targets = api_targets(session, world)
    for target in targets.values():
        api.token(target.user)
    for name, target in targets.items():
        if target.method == "GET":
            continue
        with rolled_back(session):
            response = api.request(
                target.method, target.user, target.path, json={**target.body, "place": "x"}
            )
        assert response.status_code == 422, (name, response.get_json())
        assert "place" in error_of(response)["fields"], name


def test_an_unknown_field_is_named_along_with_the_forms_own_errors(api, session, world):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    body = {"description": "", "owner_id": world.manager.id, "due": "2027-01-01"}
    response = api.post(world.sas, f"cases/{case.id}/actions", body)
    assert response.status_code == 422
    fields = error_of(response)["fields"]
    assert {"due", "description", "due_on"} <= set(fields)


def test_who_may_write_is_answered_before_the_body_is_judged(api, session, world):
    """The reporter may not investigate: 403, whatever the body names or leaves out."""
    case = case_of(session, world, "lex_sarah", "under_investigation", reporter=world.reporter)
    body = {"what_happened": "x", "place": "y"}
    response = api.patch(world.reporter, f"cases/{case.id}/investigation", body, versioned=False)
    assert response.status_code == 403


# --- versions: expected_version, If-Match, ETag -------------------------------------------------


def test_a_case_read_carries_its_version_as_a_weak_etag(api, session, world):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    response = api.get(world.sas, f"cases/{case.id}")
    assert response.headers["ETag"] == f'W/"{case.version}"'
    assert response.get_json()["version"] == case.version
    # A write answers with the new version, which the next read gives too.
    written = api.patch(
        world.sas,
        f"cases/{case.id}/investigation",
        {"what_happened": "Ny text.", "expected_version": case.version},
    )
    assert written.status_code == 200, written.get_json()
    new = written.get_json()["case"]["version"]
    assert new > case.version
    assert written.headers["ETag"] == f'W/"{new}"'
    assert api.get(world.sas, f"cases/{case.id}").headers["ETag"] == f'W/"{new}"'


def test_a_write_without_a_version_is_refused_naming_the_field(api, session, world):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    before = api.snapshot(case.id)
    response = api.patch(
        world.sas, f"cases/{case.id}/investigation", {"what_happened": "x"}, versioned=False
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "version_required"
    assert set(error["fields"]) == {"expected_version"}
    assert api.snapshot(case.id) == before
    session.refresh(case.investigation)
    assert case.investigation.what_happened == ""


def test_stale_versions_are_refused_and_nothing_is_kept(api, session, world):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    save_investigation(session, case, world.sas, investigation_data())
    session.flush()
    path = f"cases/{case.id}/transitions"
    body = {"trigger": "complete_investigation"}
    stale = case.version - 1
    before = api.snapshot(case.id)

    response = api.post(world.sas, path, {**body, "expected_version": stale})
    assert (response.status_code, error_of(response)["code"]) == (409, "stale_version")
    response = api.post(world.sas, path, body, headers={"If-Match": f'W/"{stale}"'})
    assert (response.status_code, error_of(response)["code"]) == (412, "precondition_failed")
    both = {**body, "expected_version": case.version}
    response = api.post(world.sas, path, both, headers={"If-Match": f'"{stale}"'})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"expected_version", "If-Match"}
    for header in ("*", "3", 'W/"x"'):
        response = api.post(world.sas, path, body, headers={"If-Match": header})
        assert response.status_code == 422, header
        assert "If-Match" in error_of(response)["fields"]
    assert api.snapshot(case.id) == before

    # The right version, either way, and both when they agree (strong or weak).
    session.add(case)
    for headers in ({"If-Match": f'"{case.version}"'},):
        response = api.post(world.sas, path, both, headers=headers)
        assert response.status_code == 200, response.get_json()
    assert api.snapshot(case.id)[0] == "awaiting_decision"


def test_every_write_refuses_a_stale_version(api, session, world):
    targets = api_targets(session, world)
    for target in targets.values():
        api.token(target.user)
    versioned = {n: t for n, t in targets.items() if t.body and "expected_version" in t.body}
    assert set(versioned) == {
        "fire_transition",
        "save_investigation",
        "patch_investigation",
        "add_action",
        "update_action",
        "investigation_sent",
        "record_patient_information",
        "record_medical_device_report",
        "add_co_investigator",
        "remove_co_investigator",
        "record_feedback",
    }
    for name, target in versioned.items():
        case_id = int(target.path.split("/cases/")[1].split("/")[0])
        before = api.snapshot(case_id)
        with rolled_back(session):
            body = {**target.body, "expected_version": target.body["expected_version"] - 1}
            response = api.request(target.method, target.user, target.path, json=body)
            assert response.status_code == 409, (name, response.get_json())
            assert error_of(response)["code"] == "stale_version"
            assert api.snapshot(case_id) == before, name
        with rolled_back(session):
            body = {k: v for k, v in target.body.items() if k != "expected_version"}
            headers = {"If-Match": f'W/"{target.body["expected_version"]}"'}
            response = api.request(
                target.method, target.user, target.path, json=body, headers=headers
            )
            assert response.status_code in (200, 201), (name, response.get_json())
            assert response.headers["ETag"] == f'W/"{api.version(case_id)}"', name


# --- the investigation: PATCH, and PUT as PATCH --------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_an_empty_or_partial_write_never_empties_what_it_did_not_name(api, session, world, method):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    path = f"cases/{case.id}/investigation"
    full = investigation_data()
    assert api.request(method, world.sas, path, json=full).status_code == 200
    written = api.get(world.sas, f"cases/{case.id}").get_json()["investigation"]
    before = api.snapshot(case.id)

    response = api.request(method, world.sas, path, json={})
    assert response.status_code == 200, response.get_json()
    after = api.get(world.sas, f"cases/{case.id}").get_json()["investigation"]
    assert after == written
    assert after["what_happened"] == full["what_happened"]
    # Nothing changed, so no history row and no new version.
    assert api.snapshot(case.id) == before

    response = api.request(method, world.sas, path, json={"how_noticed": "Vid nattillsyn."})
    assert response.status_code == 200
    after = response.get_json()["case"]["investigation"]
    assert after["how_noticed"] == "Vid nattillsyn."
    for name in INVESTIGATION_ITEMS:
        if name != "how_noticed":
            assert after[name] == written[name], name
    assert set(after["item_authors"]) == set(written["item_authors"])

    # Named with null or "": emptied, and only that one.
    response = api.request(method, world.sas, path, json={"severity": None, "causes_text": ""})
    after = response.get_json()["case"]["investigation"]
    assert (after["severity"], after["causes_text"]) == (None, "")
    assert after["what_happened"] == full["what_happened"]
    assert after["likelihood"] == written["likelihood"]


def test_a_read_investigation_can_be_sent_back_changed(api, session, world):
    case = case_of(session, world, "lex_maria", "under_investigation")
    path = f"cases/{case.id}/investigation"
    assert api.patch(world.mas, path, {"purpose": "Förstå felet."}).status_code == 200
    read = api.get(world.mas, f"cases/{case.id}")
    investigation = read.get_json()["investigation"]
    # Sent back with one change and the read-only parts as read, under the read's ETag.
    response = api.put(
        world.mas,
        path,
        {**investigation, "what_happened": "Två tabletter."},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    inv = session.get(Case, case.id).investigation
    assert inv.what_happened == "Två tabletter."
    # Fields the read does not show (lex Maria's analysis) kept their values.
    assert inv.purpose == "Förstå felet."


# --- actions: read by their owner, reported on with the case's version --------------------------


def test_an_owner_who_does_not_see_the_case_reads_and_reports_on_the_action(api, session, world):
    case = case_of(session, world, "lex_sarah", "under_investigation")
    action = add_action(
        session,
        case,
        world.sas,
        {
            "description": "Ny rutin.",
            "owner_id": world.manager.id,
            "due_on": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    # Owners are chosen among those who can act on the case (permissions.may_own_actions); one
    # who has since moved to another unit still owns the action and reports on it.
    action.owner_id = world.other_manager.id
    session.flush()
    assert api.get(world.other_manager, f"cases/{case.id}").status_code == 403
    read = api.get(world.other_manager, f"cases/{case.id}/actions/{action.id}")
    assert read.status_code == 200
    body = read.get_json()
    assert body["action"]["id"] == action.id
    assert read.headers["ETag"] == f'W/"{body["case_version"]}"'
    report = {
        "status": "completed",
        "completed_on": date.today().isoformat(),
        "effect_achieved": "yes",
        "effect_evaluation": "Fungerar.",
    }
    response = api.patch(
        world.other_manager,
        f"cases/{case.id}/actions/{action.id}",
        report,
        headers={"If-Match": read.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["case"] is None
    assert response.get_json()["action"]["status"] == "completed"
    # Nobody else reads it: not the reporter, not another unit's manager with no part in it.
    session.expire_all()
    other = action_for(session, world, case)
    for user in (world.reporter, world.other_manager):
        assert api.get(user, f"cases/{case.id}/actions/{other.id}").status_code == 403


# --- units --------------------------------------------------------------------------------------


def test_units_for_report_clients_a_page_at_a_time(api, session, world):
    closed = Unit(name="Nedlagda hemmet", kind="unit", parent=world.elder_care, active=False)
    closed.legal_areas = ["SoL"]
    session.add(closed)
    session.flush()
    assert api.get(None, "units").status_code == 401
    every = session.scalar(select(func.count()).select_from(Unit))
    seen: list[dict] = []
    url = "units?per_page=2"
    while url:
        response = api.get(world.reporter, url)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        url = page["next"]
    assert len(seen) == every
    assert [u["id"] for u in seen] == sorted(u["id"] for u in seen)
    by_id = {u["id"]: u for u in seen}
    solgarden = by_id[world.solgarden.id]
    assert solgarden["name"] == world.solgarden.name
    assert solgarden["path"].endswith(" › " + world.solgarden.name)
    assert solgarden["legal_areas"] == world.solgarden.legal_areas
    assert solgarden["active"] is True
    assert by_id[closed.id]["active"] is False
    active = api.get(world.reporter, "units?active=true&per_page=100").get_json()["items"]
    assert closed.id not in {u["id"] for u in active}
    assert world.solgarden.id in {u["id"] for u in active}
    assert len(api.get(world.reporter, "units?per_page=1000").get_json()["items"]) <= 100
    for bad in ("per_page=0", "after=-1", "active=ja", "after=99999999999"):
        response = api.get(world.reporter, f"units?{bad}")
        assert response.status_code == 422, bad
        assert error_of(response)["fields"], bad
