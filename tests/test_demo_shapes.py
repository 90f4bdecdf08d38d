"""Municipality-shaped demo years (DOMAIN.md §10): the generator walks a year as a municipality
published it, and the annual statistics (app.statistics.queries.compute) give back exactly those
figures. Vänersborg 2023 (seed 001) and Nässjö 2020 (seed 000), generated for recent years.

The tables' keys and labels are read in one place, ``figures``: when the statistics tables are
reworked, that function is the only one to adjust.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.statistics.queries import Statistics, compute

YEAR = date.today().year - 1
THEFT = "Stöld/ekonomiska övergrepp"
NONE_NOTED = "Ingen allvarlighetsgrad angiven"


@pytest.fixture
def generate(app, monkeypatch):  # type: ignore[no-untyped-def]
    from tests.factories import _password_hash

    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    # Rendering each completed investigation's PDF is tested with the documents.
    monkeypatch.setattr("app.documents.store.render_document", lambda _case, _kind: b"%PDF-")
    runner = app.test_cli_runner()

    def run(profile: str, years: str) -> None:
        args = ["demo", "generate", "--years", years, "--profile", profile, "--seed", "7"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output

    return run


def _row(stats: Statistics, key: str, label: str) -> list:
    table = stats.table(key)
    return next((r.values for r in table.rows if r.label == label), [0] * len(stats.years))


def figures(stats: Statistics) -> dict[str, list]:
    """Per year (oldest first) what the seeds publish, read from the statistics tables."""
    converted = _row(stats, "type_changes", "Avvikelse som gjorts om till lex Sarah")
    lex_sarah = _row(stats, "reports", "Lex Sarah")
    severity = {r.label: r.values for r in stats.table("severity_deviation").rows}
    categories = {r.label: r.values for r in stats.table("categories").rows}
    assessed = [sum(v[i] for v in categories.values()) for i in range(len(stats.years))]
    return {
        # A converted deviation is counted under lex Sarah, in the year it was converted.
        "lex_sarah_direct": [t - c for t, c in zip(lex_sarah, converted, strict=True)],
        "lex_sarah_converted": converted,
        "lex_sarah_filed": _row(stats, "filed", "Lex Sarah"),
        "lex_maria": _row(stats, "reports", "Lex Maria"),
        "lex_maria_filed": _row(stats, "filed", "Lex Maria"),
        "deviations": _row(stats, "reports", "Avvikelse"),
        "theft": _row(stats, "categories", THEFT),
        "falls": _row(stats, "categories", "Fall"),
        "assessed_deviations": assessed,
        "no_severity": severity[NONE_NOTED],
        "all_reports": [sum(v[i] for v in severity.values()) for i in range(len(stats.years))],
        "severity_grades": [v for label, v in severity.items() if label != NONE_NOTED],
    }


@pytest.mark.slow
def test_a_vanersborg_year_gives_back_its_published_figures(session, generate):
    generate("vanersborg", f"{YEAR - 2}-{YEAR}")
    f = figures(compute(session, YEAR))
    assert f["lex_sarah_direct"] == [44, 44, 76]
    assert f["lex_sarah_converted"] == [0, 0, 10]
    assert f["lex_sarah_filed"] == [1, 6, 6]
    assert f["lex_maria"] == [0, 0, 0]
    assert f["lex_maria_filed"] == [0, 0, 0]
    assert f["deviations"][-1] == 2650
    assert f["theft"] == [0, 0, 17]


def test_a_nassjo_year_shares_per_severity_and_none_noted(session, generate):
    generate("nassjo", str(YEAR))
    f = figures(compute(session, YEAR))
    deviations = f["deviations"][-1]
    assert deviations == 195
    assert f["all_reports"][-1] == deviations  # deviations only: the shares are of them
    assert round(100 * f["no_severity"][-1] / deviations, 1) == 38.5
    assert round(100 * f["falls"][-1] / f["assessed_deviations"][-1], 1) == 65.8
    # Every assessed deviation has a grade; the grades and "none noted" make up the year.
    graded = sum(v[-1] for v in f["severity_grades"])
    assert graded == f["assessed_deviations"][-1] == deviations - f["no_severity"][-1]
    shares = [round(100 * v[-1] / deviations, 1) for v in f["severity_grades"]]
    assert sum(shares) + 38.5 == pytest.approx(100, abs=0.3)
    assert stats_share(session) == 38.5


def stats_share(session) -> float:  # type: ignore[no-untyped-def]
    """The share the statistics print themselves."""
    table = compute(session, YEAR).table("severity_share_deviation")
    return next(r.values[-1] for r in table.rows if r.label == NONE_NOTED)
