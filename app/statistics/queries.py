"""The figures of DOMAIN.md §8, counted in the database with GROUP BY, in the shape the seeds
publish (rev. 2): each table one case type unless its title says it combines them, per unit and
rolled up, for any period compared over every year the data holds.

A case that changed type is counted once in the combined table, as a report of its new type; a
deviation made into a lex Sarah or lex Maria case also stays in the deviations' tables, and the
new case is shown as converted beside those reported directly."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.labels import CASE_TYPE_LABELS, IVO_OUTCOME_LABELS
from app.models import CASE_TYPES, Case, Filing, IvoResponse
from workflows.workdays import STOCKHOLM

from . import complaints
from .breakdowns import category_by_area, investigation_lists, per_category, severity
from .compliance import deadline_tables, durations, median_p90
from .imported import first_imported_year, imported_totals
from .patterns import recurring
from .periods import Period
from .tables import (
    MASK_BELOW,
    MASKED,
    Frame,
    Row,
    Statistics,
    Table,
    bucket,
    counted,
    current_cases,
    in_units,
    labels_of,
    mask,
    not_spam,
    percent,
    table_of,
    within,
)
from .units import TYPE_NAMES, per_unit_tables

IVO_TYPES = ("lex_sarah", "lex_maria")

__all__ = [
    "MASKED",
    "MASK_BELOW",
    "Row",
    "Statistics",
    "Table",
    "compute",
    "mask",
    "median_p90",
    "percent",
]


def first_report(session: Session) -> datetime | None:
    """When the first report the system holds was received."""
    first = session.scalar(select(func.min(Case.received_at)))
    if first is not None and first.tzinfo is None:  # SQLite hands back naive UTC
        first = first.replace(tzinfo=UTC)
    return first


def first_year(session: Session, first: datetime | None = None) -> int | None:
    """The first year the system holds a report from (Swedish time)."""
    first = first or first_report(session)
    imported = first_imported_year(session)
    if first is None:
        return imported
    # A report at 23:30 on New Year's Eve belongs to the year it was made in Sweden.
    year = first.astimezone(STOCKHOLM).year
    return year if imported is None else min(year, imported)


def compute(
    session: Session,
    period: Period | int,
    now: datetime | None = None,
    *,
    units: set[int] | None = None,
) -> Statistics:
    """The statistics of ``period`` (a year given as a number is the calendar year), for the
    ``units`` given (None: the whole municipality)."""
    if isinstance(period, int):
        period = Period("year", period)
    first = first_report(session)
    frame = Frame(
        period, period.spans(first_year(session, first)), units, now or datetime.now(UTC), first
    )
    stats = Statistics(period.year, frame.years, period=period, units=units)
    stats.tables += [
        reports_per_type(session, frame),
        *(origins(session, frame, t) for t in IVO_TYPES),
        type_changes(session, frame),
        filed_per_type(session, frame),
        *(ivo_outcomes(session, frame, t) for t in IVO_TYPES),
    ]
    for case_type in ("deviation", *IVO_TYPES):
        stats.tables += per_unit_tables(session, frame, case_type)
    # Complaints have their own tables; severity, grades, IVO and the investigation's lists
    # do not apply to them and count the other types by name.
    stats.tables += complaints.per_unit_tables(session, frame)
    stats.tables += [
        complaints.kinds_by_area(session, frame),
        complaints.themes(session, frame),
        complaints.escalations(session, frame),
    ]
    stats.tables += [per_category(session, frame), category_by_area(session, frame)]
    for case_type in ("deviation", *IVO_TYPES):
        stats.tables += severity(session, frame, case_type)
    for case_type in IVO_TYPES:
        stats.tables += investigation_lists(session, frame, case_type)
    for case_type in ("deviation", *IVO_TYPES, "complaint"):
        stats.tables += deadline_tables(session, frame, case_type)
    stats.tables.append(durations(session, frame))
    titles = {
        "deviation": _("Återkommande mönster: avvikelser"),
        "lex_sarah": _("Återkommande mönster: lex Sarah"),
        "lex_maria": _("Återkommande mönster: lex Maria"),
    }
    stats.tables += [recurring(session, frame, t, titles[t]) for t in ("deviation", *IVO_TYPES)]
    return stats


def reports_per_type(session: Session, frame: Frame) -> Table:
    y = bucket(Case.received_at, frame.spans)
    counts = counted(
        session.execute(
            select(y, Case.case_type, func.count(Case.id))
            .where(
                within(Case.received_at, frame.spans),
                # An escalated complaint is still answered as a complaint: it stays one.
                current_cases() | (Case.case_type == "complaint"),
                not_spam(),
                in_units(frame.units),
            )
            .group_by(y, Case.case_type)
        )
    )
    if frame.period.kind == "year":
        for case_type in CASE_TYPES:
            for year, n in _imported_per_year(session, frame, case_type).items():
                counts[(case_type, year)] = counts.get((case_type, year), 0) + n
    return table_of(
        "reports",
        _("Rapporter per ärendetyp (alla ärendetyper)"),
        frame,
        labels_of(CASE_TYPE_LABELS),
        counts,
        note=_(
            "Ett ärende som bytt ärendetyp räknas en gång, under sin nya ärendetyp och det år "
            "bytet gjordes. Ett klagomål som gått vidare som lex Sarah, lex Maria eller "
            "avvikelse räknas både som klagomål och som det nya ärendet. Ett klagomål som "
            "gäller flera enheter räknas en gång."
        ),
    )


def _imported_per_year(session: Session, frame: Frame, case_type: str) -> dict[int, int]:
    """The imported count of each year: the municipality's total where it was imported (and the
    whole municipality is seen), else the sum over the units seen."""
    imported = imported_totals(
        session, case_type=case_type, years=frame.years, unit_ids=frame.units
    )
    totals: dict[int, int] = {}
    whole = {y for (y, unit_id) in imported if unit_id is None and frame.units is None}
    for (year, unit_id), n in imported.items():
        if year in whole:
            if unit_id is None:
                totals[year] = n
        elif unit_id is not None and (frame.units is None or unit_id in frame.units):
            totals[year] = totals.get(year, 0) + n
    return totals


def origins(session: Session, frame: Frame, case_type: str) -> Table:
    """Seed 001: "76 … ytterligare c:a 10 … klassificerades om": the reports of one type made as
    such, beside those converted from a deviation or reclassified from the other type."""
    origin = aliased(Case)
    y = bucket(Case.received_at, frame.spans)
    how = func.coalesce(origin.case_type, "direct")
    counts = counted(
        session.execute(
            select(y, how, func.count(Case.id))
            .outerjoin(origin, Case.origin_case_id == origin.id)
            .where(
                within(Case.received_at, frame.spans),
                Case.case_type == case_type,
                current_cases(),
                in_units(frame.units),
            )
            .group_by(y, how)
        )
    )
    other = "lex_maria" if case_type == "lex_sarah" else "lex_sarah"
    name = str(TYPE_NAMES[case_type])
    labels = [
        ("direct", _("Rapporterade direkt")),
        ("deviation", _("Omgjorda från avvikelse")),
        (other, _("Omklassificerade från %(type)s", type=str(CASE_TYPE_LABELS[other]))),
        ("complaint", _("Från synpunkter och klagomål")),
    ]
    table = table_of(
        f"origin_{case_type}",
        _("%(type)s: rapporterade direkt och omgjorda från avvikelser", type=name),
        frame,
        labels,
        counts,
        note=_("Ett omgjort ärende räknas det år det gjordes om."),
    )
    totals = [sum(row.values[i] for row in table.rows) for i in range(len(frame.years))]
    table.rows.append(Row(_("Totalt"), totals))
    return table


def type_changes(session: Session, frame: Frame) -> Table:
    origin = aliased(Case)
    y = bucket(Case.received_at, frame.spans)
    rows = session.execute(
        select(y, origin.case_type, Case.case_type, func.count(func.distinct(Case.id)))
        .join(origin, Case.origin_case_id == origin.id)
        .where(within(Case.received_at, frame.spans), in_units(frame.units))
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
    return table_of(
        "type_changes",
        _("Omklassificerade och omgjorda ärenden (alla ärendetyper)"),
        frame,
        pairs,
        counts,
    )


def filed_per_type(session: Session, frame: Frame) -> Table:
    y = bucket(Filing.filed_on, frame.spans)
    rows = session.execute(
        select(y, Case.case_type, func.count(func.distinct(Filing.case_id)))
        .join(Case, Filing.case_id == Case.id)
        .where(within(Filing.filed_on, frame.spans), in_units(frame.units))
        .group_by(y, Case.case_type)
    )
    labels = [(t, str(CASE_TYPE_LABELS[t])) for t in IVO_TYPES]
    return table_of(
        "filed",
        _("Anmälda till IVO, lex Sarah och lex Maria"),
        frame,
        labels,
        counted(rows),
        note=_("Räknat på det år anmälan gjordes."),
    )


def ivo_outcomes(session: Session, frame: Frame, case_type: str) -> Table:
    y = bucket(IvoResponse.received_on, frame.spans)
    counts = counted(
        session.execute(
            select(y, IvoResponse.outcome, func.count(IvoResponse.id))
            .join(Case, IvoResponse.case_id == Case.id)
            .where(
                within(IvoResponse.received_on, frame.spans),
                Case.case_type == case_type,
                in_units(frame.units),
            )
            .group_by(y, IvoResponse.outcome)
        )
    )
    return table_of(
        f"ivo_outcomes_{case_type}",
        _("IVO:s beslut, %(type)s", type=str(CASE_TYPE_LABELS[case_type])),
        frame,
        labels_of(IVO_OUTCOME_LABELS, (k for k, _y in counts)),
        counts,
        note=_("Räknat på det år beskedet från IVO kom."),
    )
