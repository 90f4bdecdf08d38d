"""Counts from the years before go-live (DOMAIN.md §8 rev. 2): imported from a CSV through the
CLI or the admin page, all rows or none, each bad row named by line and field; re-importing
replaces and is on the administrative trail; the statistics read them only for years the system
has no cases of that type for."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from sqlalchemy import func, select

from app.models import AdminEvent, ImportedCount
from app.statistics.imported import imported_totals
from tests.factories import case_of
from workflows.workdays import STOCKHOLM

THIS_YEAR = datetime.now(STOCKHOLM).year
Y1, Y2 = THIS_YEAR - 3, THIS_YEAR - 2


def csv_text(*rows: str) -> bytes:
    return ("\ufeffår;ärendetyp;enhet;antal\r\n" + "".join(f"{r}\r\n" for r in rows)).encode()


def counts(session) -> dict:  # type: ignore[no-untyped-def]
    session.expire_all()
    return {
        (r.year, r.case_type, r.unit_id): r.count for r in session.scalars(select(ImportedCount))
    }


def trail_rows(session) -> list[AdminEvent]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(
        session.scalars(
            select(AdminEvent)
            .where(AdminEvent.kind == "imported_counts")
            .order_by(AdminEvent.chain_seq)
        )
    )


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def write(tmp_path, data: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "historik.csv"
    path.write_bytes(data)
    return str(path)


def test_the_cli_imports_and_a_second_import_replaces(runner, session, world, tmp_path):
    first = csv_text(
        f"{Y1};lex_sarah;;44",
        f"{Y2};Lex Sarah;;44",
        f"{Y2};Avvikelse;Solgården;310",
        f"{Y2};avvikelse;{world.linden.id};12",
    )
    result = runner.invoke(args=["statistics", "import-history", write(tmp_path, first)])
    assert result.exit_code == 0, result.output
    assert "4 rader importerade" in result.output
    assert counts(session) == {
        (Y1, "lex_sarah", None): 44,
        (Y2, "lex_sarah", None): 44,
        (Y2, "deviation", world.solgarden.id): 310,
        (Y2, "deviation", world.linden.id): 12,
    }
    again = csv_text(f"{Y2};Lex Sarah;;45")
    result = runner.invoke(args=["statistics", "import-history", write(tmp_path, again)])
    assert result.exit_code == 0, result.output
    after = counts(session)
    assert after[(Y2, "lex_sarah", None)] == 45
    assert len(after) == 4
    [_first, second] = trail_rows(session)
    assert second.actor_name.startswith("CLI")
    assert second.before == {f"{Y2} lex_sarah –": 44}
    assert second.after == {f"{Y2} lex_sarah –": 45}
    stored = session.scalar(select(ImportedCount).where(ImportedCount.count == 45))
    assert stored.imported_by.startswith("CLI")


def test_a_bad_row_imports_nothing_and_every_bad_line_is_named(runner, session, world, tmp_path):
    data = csv_text(
        f"{Y1};lex_sarah;;44",
        f"{Y1};lex_sarah;Månskenet;3",
        f"{Y1};lex_pelle;;3",
        "nittonhundra;lex_maria;;3",
        f"{THIS_YEAR + 1};lex_maria;;3",
        f"{Y1};deviation;Solgården;-4",
        f"{Y1};lex_sarah;;7",
    )
    result = runner.invoke(args=["statistics", "import-history", write(tmp_path, data)])
    assert result.exit_code != 0
    out = result.output
    assert "Ingenting importerades" in out
    assert "Rad 3, enhet: Okänd enhet ”Månskenet”." in out
    assert "Rad 4, ärendetyp: Okänd ärendetyp ”lex_pelle”." in out
    assert "Rad 5, år: ”nittonhundra” är inte ett årtal." in out
    assert "Rad 6, år: Året måste vara mellan" in out
    assert "Rad 7, antal: Antalet kan inte vara negativt." in out
    assert "Rad 8, enhet: Samma år, ärendetyp och enhet finns redan på rad 2." in out
    assert "Rad 2," not in out
    assert counts(session) == {}
    assert trail_rows(session) == []


def test_a_year_the_system_has_cases_for_is_refused(runner, session, world, tmp_path):
    case = case_of(session, world, "lex_sarah", "submitted")
    case.received_at = datetime(Y2, 3, 1, 12, tzinfo=STOCKHOLM)
    session.commit()
    data = csv_text(f"{Y2};lex_sarah;;44", f"{Y2};lex_maria;;2")
    result = runner.invoke(args=["statistics", "import-history", write(tmp_path, data)])
    assert result.exit_code != 0
    assert f"Rad 2, år: Systemet har redan ärenden av den typen {Y2}" in result.output
    assert "Rad 3" not in result.output
    assert counts(session) == {}


def test_imported_totals_skip_years_with_real_cases_and_other_units(session, world):
    for year, case_type, unit_id, n in [
        (Y1, "lex_sarah", None, 44),
        (Y1, "lex_sarah", world.solgarden.id, 5),
        (Y2, "lex_sarah", None, 40),
        (Y2, "deviation", world.linden.id, 9),
    ]:
        session.add(
            ImportedCount(
                year=year, case_type=case_type, unit_id=unit_id, count=n, imported_by="test"
            )
        )
    session.flush()
    years = [Y1, Y2, Y2 + 1]
    assert imported_totals(session, case_type="lex_sarah", years=years, unit_ids=None) == {
        (Y1, None): 44,
        (Y1, world.solgarden.id): 5,
        (Y2, None): 40,
    }
    # A manager's own units: no count for the whole municipality, no other unit's.
    assert imported_totals(
        session, case_type="lex_sarah", years=years, unit_ids={world.solgarden.id}
    ) == {(Y1, world.solgarden.id): 5}
    assert (
        imported_totals(session, case_type="deviation", years=years, unit_ids={world.solgarden.id})
        == {}
    )
    # Once the system holds a lex Sarah case in Y2 (any unit), Y2's import no longer counts.
    case = case_of(session, world, "lex_sarah", "submitted", unit=world.linden)
    case.received_at = datetime(Y2, 12, 31, 23, 30, tzinfo=STOCKHOLM)
    session.flush()
    assert imported_totals(session, case_type="lex_sarah", years=years, unit_ids=None) == {
        (Y1, None): 44,
        (Y1, world.solgarden.id): 5,
    }
    assert imported_totals(session, case_type="deviation", years=years, unit_ids=None) == {
        (Y2, world.linden.id): 9
    }


def _upload(client, data: bytes, name: str = "historik.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/tidigare-ar",
        data={"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_admin_page_imports_and_shows_the_counts(client, auth, session, world):
    auth.login(world.admin.email)
    page = client.get("/admin/tidigare-ar")
    assert page.status_code == 200
    assert "Inga antal är importerade." in page.get_data(as_text=True)
    response = _upload(client, csv_text(f"{Y1};Lex Sarah;Solgården;6"))
    assert response.status_code == 302
    html = client.get("/admin/tidigare-ar").get_data(as_text=True)
    assert "1 rad importerad." in html
    assert "Solgården" in html
    assert counts(session) == {(Y1, "lex_sarah", world.solgarden.id): 6}
    [event] = trail_rows(session)
    assert event.actor_id == world.admin.id
    assert event.after == {f"{Y1} lex_sarah Solgården": 6}


def test_the_admin_page_names_each_bad_line_and_imports_nothing(client, auth, session, world):
    auth.login(world.admin.email)
    response = _upload(client, csv_text(f"{Y1};Lex Sarah;;6", f"{Y1};lex_maria;Okänd;-1"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ingenting importerades" in html
    assert "Rad 3, enhet: Okänd enhet ”Okänd”." in html
    assert "Rad 3, antal: Antalet kan inte vara negativt." in html
    assert counts(session) == {}
    empty = client.post("/admin/tidigare-ar", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "Välj en CSV-fil." in empty.get_data(as_text=True)


@pytest.mark.parametrize("who", ["sas", "manager", "reporter"])
def test_only_the_administrator_imports(client, auth, session, world, who):
    auth.login(getattr(world, who).email)
    assert _upload(client, csv_text(f"{Y1};Lex Sarah;;6")).status_code == 403
    assert session.scalar(select(func.count(ImportedCount.id))) == 0
