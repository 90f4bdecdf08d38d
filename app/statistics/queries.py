"""The annual figures of DOMAIN.md §8, counted in the database with GROUP BY.

Every figure covers the chosen year and the two before. A year is a Swedish calendar year: the
bounds are midnight in Europe/Stockholm, so a report at 23:30 on 31 December belongs to that year
even though it is stored as UTC. A case that changed type (reclassified or converted) is counted
once, as a report of its new type; the change itself is counted in its own table.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Date, and_, case, cast, func, select, true
from sqlalchemy.orm import Session, aliased

from app.deadline_labels import DEADLINE_LABELS
from app.labels import (
    CASE_TYPE_LABELS,
    CAUSE_AREA_LABELS,
    EVENT_TYPE_LABELS,
    IVO_OUTCOME_LABELS,
    SEVERITY_LABELS,
)
from app.models import (
    Case,
    Category,
    Deadline,
    DeviationAssessment,
    Filing,
    Investigation,
    IvoResponse,
    Unit,
)
from workflows.workdays import STOCKHOLM

MASK_BELOW = 5
MASKED = "< 5"
RECURRING_AT_LEAST = 3
IVO_TYPES = ("lex_sarah", "lex_maria")
# Deadline outcomes in the order the table shows them.
COMPLIANCE = ("on_time", "late", "overdue", "not_due", "waived")


@dataclass
class Row:
    label: str
    values: list[Any]


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    # "count" (a chart is drawn), "days" or "percent".
    kind: str = "count"
    note: str = ""
    masked: bool = False


@dataclass
class Statistics:
    year: int
    years: list[int]
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=STOCKHOLM).astimezone(UTC)


def bucket(column: Any, years: list[int]) -> ColumnElement[Any]:
    """The (Swedish) year a timestamp or date falls in, or NULL outside the years."""
    if column.type.python_type is date:
        bounds = [(y, date(y, 1, 1), date(y + 1, 1, 1)) for y in years]
    else:
        bounds = [(y, year_start(y), year_start(y + 1)) for y in years]
    return case(*[(and_(column >= lo, column < hi), y) for y, lo, hi in bounds], else_=None)


def in_years(column: Any, years: list[int]) -> ColumnElement[bool]:
    if column.type.python_type is date:
        return and_(column >= date(years[0], 1, 1), column < date(years[-1] + 1, 1, 1))
    return and_(column >= year_start(years[0]), column < year_start(years[-1] + 1))


def mask(value: int) -> int | str:
    """Small counts per unit could point out a person (DOMAIN.md §8)."""
    return MASKED if 0 < value < MASK_BELOW else value


def _counted(rows: Iterable[Any]) -> dict[tuple[Any, int], int]:
    """{(key, year): count} from rows of (year, key, count)."""
    return {(key, year): count for year, key, count in rows if year is not None}


def _table(
    key: str,
    title: str,
    years: list[int],
    labels: list[tuple[Any, str]],
    counts: dict[tuple[Any, int], int],
    *,
    masked: bool = False,
    note: str = "",
) -> Table:
    rows = []
    for k, label in labels:
        values = [counts.get((k, y), 0) for y in years]
        rows.append(Row(label, [mask(v) for v in values] if masked else values))
    return Table(key, title, [str(y) for y in years], rows, masked=masked, note=note)


def _labels(mapping: dict[Any, Any], seen: Iterable[Any] = ()) -> list[tuple[Any, str]]:
    """Every known value in its order, then any stored value the labels do not know."""
    extra = sorted({k for k in seen if k not in mapping and k is not None}, key=str)
    return [(k, str(v)) for k, v in mapping.items()] + [(k, str(k)) for k in extra]


def current_cases() -> ColumnElement[bool]:
    """Cases that still stand: one that changed type lives on as its successor."""
    return Case.successor_case_id.is_(None)


def compute(session: Session, year: int, now: datetime | None = None) -> Statistics:
    years = [year - 2, year - 1, year]
    now = now or datetime.now(UTC)
    stats = Statistics(year, years)
    stats.tables += [
        reports_per_type(session, years),
        type_changes(session, years),
        filed_per_type(session, years),
        ivo_outcomes(session, years),
    ]
    by_unit = reports_per_unit(session, years)
    by_category = per_category(session, years)
    stats.tables += [
        by_unit,
        *investigation_lists(session, years),
        by_category,
        *severity(session, years),
        *deadline_compliance(session, years, now),
        durations(session, years),
        recurring(session, years),
    ]
    return stats


def reports_per_type(session: Session, years: list[int]) -> Table:
    y = bucket(Case.received_at, years)
    rows = session.execute(
        select(y, Case.case_type, func.count(Case.id))
        .where(in_years(Case.received_at, years), current_cases())
        .group_by(y, Case.case_type)
    )
    return _table(
        "reports",
        _("Rapporter per ärendetyp"),
        years,
        _labels(CASE_TYPE_LABELS),
        _counted(rows),
        note=_(
            "Ett ärende som bytt ärendetyp räknas en gång, under sin nya ärendetyp och det år "
            "bytet gjordes."
        ),
    )


def type_changes(session: Session, years: list[int]) -> Table:
    origin = aliased(Case)
    y = bucket(Case.received_at, years)
    rows = session.execute(
        select(y, origin.case_type, Case.case_type, func.count(func.distinct(Case.id)))
        .join(origin, Case.origin_case_id == origin.id)
        .where(in_years(Case.received_at, years))
        .group_by(y, origin.case_type, Case.case_type)
    )
    counts = {((old, new), yr): n for yr, old, new, n in rows if yr is not None}
    pairs = [
        (("deviation", "lex_sarah"), _("Avvikelse som gjorts om till lex Sarah")),
        (("deviation", "lex_maria"), _("Avvikelse som gjorts om till lex Maria")),
        (("lex_sarah", "deviation"), _("Lex Sarah omklassificerad till avvikelse")),
        (("lex_maria", "deviation"), _("Lex Maria omklassificerad till avvikelse")),
        (("lex_sarah", "lex_maria"), _("Lex Sarah omklassificerad till lex Maria")),
        (("lex_maria", "lex_sarah"), _("Lex Maria omklassificerad till lex Sarah")),
    ]
    return _table("type_changes", _("Omklassificerade och omgjorda ärenden"), years, pairs, counts)


def filed_per_type(session: Session, years: list[int]) -> Table:
    y = bucket(Filing.filed_on, years)
    rows = session.execute(
        select(y, Case.case_type, func.count(func.distinct(Filing.case_id)))
        .join(Case, Filing.case_id == Case.id)
        .where(in_years(Filing.filed_on, years))
        .group_by(y, Case.case_type)
    )
    labels = [(t, str(CASE_TYPE_LABELS[t])) for t in IVO_TYPES]
    return _table(
        "filed",
        _("Anmälda till IVO per ärendetyp"),
        years,
        labels,
        _counted(rows),
        note=_("Räknat på det år anmälan gjordes."),
    )


def ivo_outcomes(session: Session, years: list[int]) -> Table:
    y = bucket(IvoResponse.received_on, years)
    counts = _counted(
        session.execute(
            select(y, IvoResponse.outcome, func.count(IvoResponse.id))
            .where(in_years(IvoResponse.received_on, years))
            .group_by(y, IvoResponse.outcome)
        )
    )
    return _table(
        "ivo_outcomes",
        _("IVO:s beslut"),
        years,
        _labels(IVO_OUTCOME_LABELS, (k for k, _y in counts)),
        counts,
        note=_("Räknat på det år beskedet från IVO kom."),
    )


def reports_per_unit(session: Session, years: list[int]) -> Table:
    y = bucket(Case.received_at, years)
    counts = _counted(
        session.execute(
            select(y, Case.unit_id, func.count(Case.id))
            .where(in_years(Case.received_at, years), current_cases())
            .group_by(y, Case.unit_id)
        )
    )
    unit_ids = {k for k, _y in counts}
    units = session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)).order_by(Unit.name)
    ).all()
    return _table(
        "units",
        _("Rapporter per enhet"),
        years,
        [(uid, name) for uid, name in units],
        counts,
        masked=True,
        note=_("Antal under 5 visas som ”< 5” för att ingen enskild ska kunna pekas ut."),
    )


def investigation_lists(session: Session, years: list[int]) -> list[Table]:
    """Event types and cause areas are lists kept as JSON; they are counted here, over the
    investigations of the three years' cases only."""
    events = _list_counts(session, years, Investigation.event_types)
    causes = _list_counts(session, years, Investigation.cause_areas)
    return [
        _table(
            "event_types",
            _("Per händelsetyp"),
            years,
            _labels(EVENT_TYPE_LABELS, (k for k, _y in events)),
            dict(events),
            note=_("Ur utredningarna; en utredning kan ange flera händelsetyper."),
        ),
        _table(
            "cause_areas",
            _("Per orsaksområde"),
            years,
            _labels(CAUSE_AREA_LABELS, (k for k, _y in causes)),
            dict(causes),
            note=_("Ur utredningarna; en utredning kan ange flera orsaksområden."),
        ),
    ]


def _list_counts(session: Session, years: list[int], column: Any) -> dict[tuple[str, int], int]:
    """{(item, year): investigations naming it}, the JSON list unnested by the database."""
    if session.get_bind().dialect.name == "postgresql":
        items = func.json_array_elements_text(column).table_valued("value").alias("item")
    else:
        items = func.json_each(column).table_valued("value").alias("item")
    y = bucket(Case.received_at, years)
    return _counted(
        session.execute(
            select(y, items.c.value, func.count(func.distinct(Investigation.id)))
            .select_from(Investigation)
            .join(Case, Investigation.case_id == Case.id)
            .join(items, true())
            .where(in_years(Case.received_at, years), current_cases())
            .group_by(y, items.c.value)
        )
    )


def per_category(session: Session, years: list[int]) -> Table:
    y = bucket(Case.received_at, years)
    counts = _counted(
        session.execute(
            select(y, Category.name, func.count(Case.id))
            .join(DeviationAssessment, DeviationAssessment.case_id == Case.id)
            .join(Category, DeviationAssessment.category_id == Category.id)
            .where(in_years(Case.received_at, years))
            .group_by(y, Category.name)
        )
    )
    names = sorted({k for k, _y in counts})
    return _table(
        "categories",
        _("Avvikelser per kategori"),
        years,
        [(n, n) for n in names],
        counts,
        note=_("Enhetschefens bedömning av avvikelsen."),
    )


def severity(session: Session, years: list[int]) -> list[Table]:
    y = bucket(Case.received_at, years)
    level = func.coalesce(DeviationAssessment.severity, Investigation.severity)
    counts = _counted(
        session.execute(
            select(y, level, func.count(Case.id))
            .outerjoin(DeviationAssessment, DeviationAssessment.case_id == Case.id)
            .outerjoin(Investigation, Investigation.case_id == Case.id)
            .where(in_years(Case.received_at, years), current_cases())
            .group_by(y, level)
        )
    )
    labels: list[tuple[Any, str]] = [(k, str(v)) for k, v in SEVERITY_LABELS.items()]
    labels.append((None, _("Ingen allvarlighetsgrad noterad")))
    table = _table(
        "severity",
        _("Per allvarlighetsgrad"),
        years,
        labels,
        counts,
        note=_(
            "Avvikelsens bedömning, annars utredningens. Gäller alla rapporter året, "
            "oavsett ärendetyp."
        ),
    )
    totals = [sum(n for (_k, yr), n in counts.items() if yr == y_) for y_ in years]
    missing = [counts.get((None, y_), 0) for y_ in years]
    share = Table(
        "severity_missing",
        _("Andel utan noterad allvarlighetsgrad"),
        [str(y_) for y_ in years],
        [Row(_("Andel (procent)"), [percent(m, t) for m, t in zip(missing, totals, strict=True)])],
        kind="percent",
    )
    return [table, share]


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def deadline_compliance(session: Session, years: list[int], now: datetime) -> list[Table]:
    y = bucket(Deadline.due_at, years)
    outcome = case(
        (Deadline.status == "waived", "waived"),
        (and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at), "on_time"),
        (Deadline.met_at.is_not(None), "late"),
        (Deadline.due_at <= now, "overdue"),
        else_="not_due",
    )
    rows = session.execute(
        select(y, Deadline.key, outcome, func.count(Deadline.id))
        .where(in_years(Deadline.due_at, years))
        .group_by(y, Deadline.key, outcome)
    ).all()
    counts = {(yr, key, out): n for yr, key, out, n in rows if yr is not None}
    keys = [k for k in DEADLINE_LABELS if any(key == k for _y, key, _o in counts)]
    keys += sorted({key for _y, key, _o in counts} - set(keys))
    columns = [
        _("I tid"),
        _("Sent uppfyllda"),
        _("Försenade, ej uppfyllda"),
        _("Öppna, ännu inte passerade"),
        _("Undantagna"),
    ]
    tables = []
    for yr in years:
        rows_ = [
            Row(str(DEADLINE_LABELS.get(k, k)), [counts.get((yr, k, o), 0) for o in COMPLIANCE])
            for k in keys
        ]
        tables.append(
            Table(
                f"deadlines_{yr}",
                _("Tidsfrister med sista dag %(year)s", year=yr),
                columns,
                rows_,
                kind="compliance",
            )
        )
    return tables


def local_date(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()


def median_p90(days: list[int]) -> tuple[float | None, int | None]:
    """The median and the 90th percentile by the nearest-rank method (a value that occurred)."""
    if not days:
        return None, None
    ordered = sorted(days)
    return statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]


Figures = dict[tuple[str, str], dict[int, tuple[float | None, int | None, int]]]


def durations(session: Session, years: list[int]) -> Table:
    """Calendar days from the report to the completed investigation (counted in the year it was
    completed) and to the filing with IVO (in the year it was filed)."""
    if session.get_bind().dialect.name == "postgresql":
        figures = _duration_figures_in_db(session, years)
    else:
        figures = _duration_figures_in_python(session, years)
    measures = [
        ("investigation", "lex_sarah", _("Rapport till avslutad utredning, lex Sarah")),
        ("investigation", "lex_maria", _("Rapport till avslutad utredning, lex Maria")),
        ("investigation", "deviation", _("Rapport till avslutad utredning, avvikelse")),
        ("filing", "lex_sarah", _("Rapport till anmälan till IVO, lex Sarah")),
        ("filing", "lex_maria", _("Rapport till anmälan till IVO, lex Maria")),
    ]
    rows = []
    for what, case_type, label in measures:
        per_year = figures.get((what, case_type), {})
        stats = [per_year.get(yr, (None, None, 0)) for yr in years]
        rows.append(Row(_("%(what)s – median", what=label), [s[0] for s in stats]))
        rows.append(Row(_("%(what)s – 90:e percentilen", what=label), [s[1] for s in stats]))
        rows.append(Row(_("%(what)s – antal ärenden", what=label), [s[2] for s in stats]))
    return Table(
        "durations",
        _("Dagar från rapport till avslutad utredning och till anmälan"),
        [str(yr) for yr in years],
        rows,
        kind="days",
        note=_(
            "Kalenderdagar. Utredningar räknas det år de avslutades, anmälningar det år de "
            "gjordes. 90:e percentilen: nio av tio ärenden tog högst så många dagar."
        ),
    )


def _duration_figures_in_db(session: Session, years: list[int]) -> Figures:
    """PostgreSQL: median and nearest-rank 90th percentile as ordered-set aggregates, so a
    decade of cases never travels to Python."""

    def local(moment: Any) -> Any:
        return cast(func.timezone(STOCKHOLM.key, moment), Date)

    def figures(what: str, rows: Iterable[Any], into: Figures) -> None:
        for yr, case_type, median, p90, count in rows:
            if yr is not None:
                into.setdefault((what, case_type), {})[int(yr)] = (
                    _whole(median),
                    None if p90 is None else int(p90),
                    int(count),
                )

    result: Figures = {}
    y = bucket(Investigation.completed_at, years)
    days = local(Investigation.completed_at) - local(Case.received_at)
    figures(
        "investigation",
        session.execute(
            select(
                y,
                Case.case_type,
                func.percentile_cont(0.5).within_group(days),
                func.percentile_disc(0.9).within_group(days),
                func.count(),
            )
            .join(Case, Investigation.case_id == Case.id)
            .where(in_years(Investigation.completed_at, years))
            .group_by(y, Case.case_type)
        ),
        result,
    )
    first = (
        select(
            Case.case_type.label("case_type"),
            local(Case.received_at).label("received"),
            func.min(Filing.filed_on).label("filed_on"),
        )
        .join(Case, Filing.case_id == Case.id)
        .group_by(Case.id, Case.case_type, Case.received_at)
        .having(in_years(func.min(Filing.filed_on), years))
        .subquery()
    )
    filed_days = first.c.filed_on - first.c.received
    filed_year = func.extract("year", first.c.filed_on)
    figures(
        "filing",
        session.execute(
            select(
                filed_year,
                first.c.case_type,
                func.percentile_cont(0.5).within_group(filed_days),
                func.percentile_disc(0.9).within_group(filed_days),
                func.count(),
            ).group_by(filed_year, first.c.case_type)
        ),
        result,
    )
    return result


def _whole(value: float | None) -> float | int | None:
    """12.0 reads as 12, as Python's median gives it for an odd count."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _duration_figures_in_python(session: Session, years: list[int]) -> Figures:
    """SQLite has no percentile aggregates; an embedded installation is one municipality."""
    y = bucket(Investigation.completed_at, years)
    completed = session.execute(
        select(y, Case.case_type, Case.received_at, Investigation.completed_at)
        .join(Case, Investigation.case_id == Case.id)
        .where(in_years(Investigation.completed_at, years))
    ).all()
    first_filed = func.min(Filing.filed_on)
    filed = session.execute(
        select(Case.case_type, Case.received_at, first_filed)
        .join(Case, Filing.case_id == Case.id)
        .group_by(Case.id, Case.case_type, Case.received_at)
        .having(in_years(first_filed, years))
    ).all()
    spans: dict[tuple[str, str], dict[int, list[int]]] = {}
    for yr, case_type, received, done in completed:
        days = (local_date(done) - local_date(received)).days
        spans.setdefault(("investigation", case_type), {}).setdefault(yr, []).append(days)
    for case_type, received, filed_on in filed:
        days = (filed_on - local_date(received)).days
        spans.setdefault(("filing", case_type), {}).setdefault(filed_on.year, []).append(days)
    return {
        key: {yr: (*median_p90(values), len(values)) for yr, values in per_year.items()}
        for key, per_year in spans.items()
    }


def recurring(session: Session, years: list[int]) -> Table:
    """Units and deviation categories with at least three cases in the chosen year."""
    year = years[-1]
    window = in_years(Case.received_at, [year])
    unit_rows = session.execute(
        select(Unit.name, func.count(Case.id))
        .join(Unit, Case.unit_id == Unit.id)
        .where(window, current_cases())
        .group_by(Unit.name)
        .having(func.count(Case.id) >= RECURRING_AT_LEAST)
        .order_by(func.count(Case.id).desc(), Unit.name)
    ).all()
    category_rows = session.execute(
        select(Category.name, func.count(Case.id))
        .join(DeviationAssessment, DeviationAssessment.case_id == Case.id)
        .join(Category, DeviationAssessment.category_id == Category.id)
        .where(window)
        .group_by(Category.name)
        .having(func.count(Case.id) >= RECURRING_AT_LEAST)
        .order_by(func.count(Case.id).desc(), Category.name)
    ).all()
    rows = [Row(_("Enhet: %(name)s", name=n), [mask(c)]) for n, c in unit_rows]
    rows += [Row(_("Kategori: %(name)s", name=n), [mask(c)]) for n, c in category_rows]
    return Table(
        "recurring",
        _("Återkommande mönster %(year)s", year=year),
        [str(year)],
        rows,
        masked=True,
        note=_("Enheter och avvikelsekategorier med minst tre ärenden under året."),
    )
