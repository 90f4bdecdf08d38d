"""Who sees which figures (DOMAIN.md §8 rev. 2): a manager the same tables for their own units
and those below them, never another unit's counts; the SAS, the MAS and the chair everything."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.models import unit_ids_managed_by
from app.statistics.access import unit_scope
from app.statistics.queries import compute
from tests.api_client import Api
from tests.factories import case_of
from tests.test_statistics_figures import at, build, values

NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture
def data(session, world):
    return build(session, world)


def labels(stats, key: str) -> list[str]:
    return [r.label for r in stats.table(key).rows]


def test_the_oversight_roles_see_every_unit(session, world):
    for user in (world.sas, world.mas, world.chair):
        assert unit_scope(session, user) is None
    assert unit_scope(session, world.admin) == set()
    assert unit_scope(session, world.reporter) == set()
    assert unit_scope(session, world.area_manager) == {world.elder_care.id, world.solgarden.id}


def test_a_manager_never_sees_another_unit_s_counts(session, world, data):
    units = unit_ids_managed_by(session, world.other_manager)  # Linden
    stats = compute(session, 2026, now=NOW, units=units)
    assert values(stats, "reports", "Avvikelse") == [0, 0, 1]
    assert values(stats, "reports", "Lex Sarah") == [0, 0, 0]
    assert labels(stats, "units_deviation") == ["Linden"]
    assert labels(stats, "areas_deviation") == ["Funktionsstöd"]
    assert values(stats, "administrations_deviation", "Förvaltningen") == [0, 0, 1]
    assert stats.table("category_areas").columns == ["Funktionsstöd", "Totalt", "Andel (procent)"]
    assert values(stats, "categories", "Fall") == [0, 0, 1]
    assert stats.table("deadlines_lex_sarah").rows == []
    assert values(stats, "filed", "Lex Sarah") == [0, 0, 0]


def test_an_area_manager_sees_the_units_below(session, world, data):
    units = unit_ids_managed_by(session, world.area_manager)
    stats = compute(session, 2026, now=NOW, units=units)
    assert labels(stats, "units_deviation") == ["Solgården"]
    assert values(stats, "areas_deviation", "Äldreomsorg") == [0, 0, 5]


def test_the_manager_s_page_csv_pdf_and_api_hold_their_units_only(
    client, auth, session, world, data
):
    auth.login(world.other_manager.email)
    response = client.get("/statistik?year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Linden" in html
    assert "Solgården" not in html
    assert "Äldreomsorg" not in html
    assert "Siffrorna gäller de enheter du är chef för" in html
    assert 'href="/statistik"' in html  # the menu link
    csv_text = client.get("/statistik.csv?year=2026").get_data().decode("utf-8-sig")
    assert "Linden" in csv_text
    assert "Solgården" not in csv_text
    auth.logout()
    body = Api(client, session).get(world.other_manager, "statistics?year=2026").get_json()
    tables = {t["key"]: t for t in body["tables"]}
    assert [r["label"] for r in tables["units_deviation"]["rows"]] == ["Linden"]


def test_a_manager_without_units_is_refused(client, auth, session, world):
    world.other_manager.managed_units.clear()
    session.flush()
    auth.login(world.other_manager.email)
    assert client.get("/statistik").status_code == 403


def test_a_sub_unit_s_cases_count_for_its_manager(session, world):
    dev = case_of(session, world, "deviation", "submitted")
    dev.received_at = at(2026, 2, 1)
    session.flush()
    units = unit_ids_managed_by(session, world.manager)
    assert values(compute(session, 2026, now=NOW, units=units), "units_deviation", "Solgården") == [
        0,
        0,
        "< 5",
    ]
