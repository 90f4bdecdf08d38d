"""Deadline compliance as rates (DOMAIN.md §8 rev. 2: "not only counts"), and the days from
report to completed investigation and to filing. A deadline counts in the period it fell due."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Date, and_, case, cast, func, select
from sqlalchemy.orm import Session

from app.deadline_labels import DEADLINE_LABELS
from app.models import Case, Deadline, Filing, Investigation
from workflows.workdays import STOCKHOLM

from .tables import Frame, Row, Table, bucket, in_units, not_spam, percent, within
from .units import TYPE_NAMES

# Deadline outcomes in the order the table shows them.
COMPLIANCE = ("on_time", "late", "overdue", "not_due", "waived")


def deadline_tables(session: Session, frame: Frame, case_type: str) -> list[Table]:
    """Per deadline kind: the share met in time per period, and the chosen period's counts. The
    share is of the deadlines that fell due and were not waived: met in time, met late, or
    still not met."""
    y = bucket(Deadline.due_at, frame.spans)
    outcome = case(
        (Deadline.status == "waived", "waived"),
        (and_(Deadline.met_at.is_not(None), Deadline.met_at <= Deadline.due_at), "on_time"),
        (Deadline.met_at.is_not(None), "late"),
        (Deadline.due_at <= frame.now, "overdue"),
        else_="not_due",
    )
    rows = session.execute(
        select(y, Deadline.key, outcome, func.count(Deadline.id))
        .join(Case, Deadline.case_id == Case.id)
        .where(
            within(Deadline.due_at, frame.spans),
            Case.case_type == case_type,
            in_units(frame.units),
            # Marking spam closes its deadlines; it must not read as answered in time.
            not_spam(),
        )
        .group_by(y, Deadline.key, outcome)
    ).all()
    counts = {(yr, key, out): n for yr, key, out, n in rows if yr is not None}
    seen = {key for _y, key, _o in counts}
    keys = [k for k in DEADLINE_LABELS if k in seen] + sorted(seen - set(DEADLINE_LABELS))
    name = str(TYPE_NAMES[case_type])

    def rate(yr: int, key: str) -> float | None:
        met = counts.get((yr, key, "on_time"), 0)
        due = met + counts.get((yr, key, "late"), 0) + counts.get((yr, key, "overdue"), 0)
        return percent(met, due)

    current = frame.current.year
    return [
        Table(
            f"deadline_rates_{case_type}",
            _("%(type)s: tidsfrister uppfyllda i tid, andel (procent)", type=name),
            frame.columns,
            [
                Row(str(DEADLINE_LABELS.get(k, k)), [rate(yr, k) for yr in frame.years])
                for k in keys
            ],
            kind="percent",
            note=_(
                "Andelen av de tidsfrister som löpte ut under perioden och inte undantogs som "
                "uppfylldes i tid."
            ),
        ),
        Table(
            f"deadlines_{case_type}",
            _(
                "%(type)s: tidsfrister med sista dag %(period)s",
                type=name,
                period=frame.current.label,
            ),
            [
                _("I tid"),
                _("Sent uppfyllda"),
                _("Försenade, ej uppfyllda"),
                _("Öppna, ännu inte passerade"),
                _("Undantagna"),
                _("Andel i tid (procent)"),
            ],
            [
                Row(
                    str(DEADLINE_LABELS.get(k, k)),
                    [counts.get((current, k, o), 0) for o in COMPLIANCE] + [rate(current, k)],
                )
                for k in keys
            ],
            kind="compliance",
        ),
    ]


def local_date(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()


def median_p90(days: list[int]) -> tuple[float | None, int | None]:
    """The median and the 90th percentile by the nearest-rank method (a value that occurred)."""
    if not days:
        return None, None
    ordered = sorted(days)
    return statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]


Figures = dict[tuple[str, str], dict[int, tuple[float | None, int | None, int]]]


def durations(session: Session, frame: Frame) -> Table:
    """Calendar days from the report to the completed investigation (counted in the period it
    was completed) and to the filing with IVO (in the period it was filed)."""
    if session.get_bind().dialect.name == "postgresql":
        figures = _duration_figures_in_db(session, frame)
    else:
        figures = _duration_figures_in_python(session, frame)
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
        stats = [per_year.get(yr, (None, None, 0)) for yr in frame.years]
        rows.append(Row(_("%(what)s – median", what=label), [s[0] for s in stats]))
        rows.append(Row(_("%(what)s – 90:e percentilen", what=label), [s[1] for s in stats]))
        rows.append(Row(_("%(what)s – antal ärenden", what=label), [s[2] for s in stats]))
    return Table(
        "durations",
        _("Dagar från rapport till avslutad utredning och till anmälan, per ärendetyp"),
        frame.columns,
        rows,
        kind="days",
        note=_(
            "Kalenderdagar. Utredningar räknas det år de avslutades, anmälningar det år de "
            "gjordes. 90:e percentilen: nio av tio ärenden tog högst så många dagar."
        ),
    )


def _duration_figures_in_db(session: Session, frame: Frame) -> Figures:
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
    y = bucket(Investigation.completed_at, frame.spans)
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
            .where(within(Investigation.completed_at, frame.spans), in_units(frame.units))
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
        .where(in_units(frame.units))
        .group_by(Case.id, Case.case_type, Case.received_at)
        .subquery()
    )
    filed_days = first.c.filed_on - first.c.received
    filed_in = bucket(first.c.filed_on, frame.spans)
    figures(
        "filing",
        session.execute(
            select(
                filed_in,
                first.c.case_type,
                func.percentile_cont(0.5).within_group(filed_days),
                func.percentile_disc(0.9).within_group(filed_days),
                func.count(),
            )
            .where(within(first.c.filed_on, frame.spans))
            .group_by(filed_in, first.c.case_type)
        ),
        result,
    )
    return result


def _whole(value: float | None) -> float | int | None:
    """12.0 reads as 12, as Python's median gives it for an odd count."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _duration_figures_in_python(session: Session, frame: Frame) -> Figures:
    """SQLite has no percentile aggregates; an embedded installation is one municipality."""
    y = bucket(Investigation.completed_at, frame.spans)
    completed = session.execute(
        select(y, Case.case_type, Case.received_at, Investigation.completed_at)
        .join(Case, Investigation.case_id == Case.id)
        .where(within(Investigation.completed_at, frame.spans), in_units(frame.units))
    ).all()
    first_filed = func.min(Filing.filed_on)
    filed = session.execute(
        select(Case.case_type, Case.received_at, first_filed)
        .join(Case, Filing.case_id == Case.id)
        .where(in_units(frame.units))
        .group_by(Case.id, Case.case_type, Case.received_at)
        .having(within(first_filed, frame.spans))
    ).all()
    spans: dict[tuple[str, str], dict[int, list[int]]] = {}
    for yr, case_type, received, done in completed:
        days = (local_date(done) - local_date(received)).days
        spans.setdefault(("investigation", case_type), {}).setdefault(yr, []).append(days)
    for case_type, received, filed_on in filed:
        year = next(s.year for s in frame.spans if s.start <= filed_on < s.end)
        days = (filed_on - local_date(received)).days
        spans.setdefault(("filing", case_type), {}).setdefault(year, []).append(days)
    return {
        key: {yr: (*median_p90(values), len(values)) for yr, values in per_year.items()}
        for key, per_year in spans.items()
    }
