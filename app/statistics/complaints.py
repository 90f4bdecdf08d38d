"""Complaints and views (synpunkter och klagomål) in the statistics: DOMAIN.md §3.4 and §8
(rev. 2).

A complaint may concern several units and is answered once, jointly. The tables per unit, area
and administration count it once for every unit (or area) it concerns; every total counts it
once. A complaint marked as spam is never counted. Tables that do not apply to complaints
(severity, grades, IVO, event types and causes) leave them out by counting named types only."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session, aliased

from app.labels import CASE_TYPE_LABELS
from app.models import Case, Complaint, ComplaintTheme, complaint_units
from app.models.complaint import complaint_theme_links

from .imported import imported_totals
from .tables import Frame, Row, Table, bucket, in_units, not_spam, table_of, within
from .units import LEVELS, TYPE_NAMES, ancestor_of_kind, unit_tree

# The Nässjö table's columns after the total: Beröm | Fråga | Förslag | Klagomål.
KIND_COLUMNS = ("praise", "question", "suggestion", "complaint")
ESCALATED_TO = ("lex_sarah", "lex_maria", "deviation")


def counted_complaints() -> ColumnElement[bool]:
    """Complaints that count: every one not marked as spam, escalated or not (an escalated
    complaint is still answered as a complaint)."""
    return (Case.case_type == "complaint") & not_spam()


def _unit_in_scope(units: set[int] | None) -> ColumnElement[bool]:
    return true() if units is None else complaint_units.c.unit_id.in_(units)


def _per_unit_rows(session: Session, frame: Frame, spans: Any) -> list[tuple[Any, ...]]:
    """(year, unit id, case id, kind) for every unit in scope each counted complaint concerns."""
    y = bucket(Case.received_at, spans)
    return [
        tuple(r)
        for r in session.execute(
            select(y, complaint_units.c.unit_id, Case.id, Complaint.kind)
            .join(complaint_units, complaint_units.c.case_id == Case.id)
            .join(Complaint, Complaint.case_id == Case.id)
            .where(
                within(Case.received_at, spans),
                counted_complaints(),
                _unit_in_scope(frame.units),
            )
        )
        if r[0] is not None
    ]


def per_unit_tables(session: Session, frame: Frame) -> list[Table]:
    """Seed 000's reports per unit, for complaints: each complaint once per unit (or area, or
    administration) it concerns."""
    tree = unit_tree(session)
    rows = _per_unit_rows(session, frame, frame.spans)
    name = str(TYPE_NAMES["complaint"])
    titles = {
        "unit": _("%(type)s per enhet", type=name),
        "area": _("%(type)s per verksamhetsområde", type=name),
        "administration": _("%(type)s per förvaltning", type=name),
    }
    imported: dict[tuple[int, int], int] = {}
    if frame.period.kind == "year":
        for (year, unit_id), n in imported_totals(
            session, case_type="complaint", years=frame.years, unit_ids=frame.units
        ).items():
            if unit_id is not None and (frame.units is None or unit_id in frame.units):
                imported[(unit_id, year)] = n
    tables = []
    for level in LEVELS:
        cases: dict[tuple[int | None, int], set[int]] = {}
        for year, unit_id, case_id, _kind in rows:
            where = unit_id if level == "unit" else ancestor_of_kind(tree, unit_id, level)
            cases.setdefault((where, year), set()).add(case_id)
        counts = {k: len(v) for k, v in cases.items()}
        for (unit_id, year), n in imported.items():
            where = unit_id if level == "unit" else ancestor_of_kind(tree, unit_id, level)
            counts[(where, year)] = counts.get((where, year), 0) + n
        seen = {k for k, _y in counts}
        labels: list[tuple[int | None, str]] = sorted(
            ((uid, tree[uid].name) for uid in seen if uid is not None), key=lambda p: p[1]
        )
        if None in seen:
            outside = _("Utan verksamhetsområde") if level == "area" else _("Utan förvaltning")
            labels.append((None, outside))
        several = _(
            "Ett ärende som gäller flera enheter räknas en gång för varje enhet det gäller, men "
            "bara en gång i totalerna."
        )
        note = (
            _("Antal under 5 visas som ”< 5” för att ingen enskild ska kunna pekas ut.")
            if level == "unit"
            else _("Enheternas ärenden summerade uppåt i organisationen.")
        )
        key = f"{'units' if level == 'unit' else level + 's'}_complaint"
        tables.append(
            table_of(
                key,
                titles[level],
                frame,
                labels,
                counts,
                masked=level == "unit",
                note=f"{note} {several}",
            )
        )
    return tables


def kinds_by_area(session: Session, frame: Frame) -> Table:
    """Nässjö's table: "Antal synpunkter | Beröm | Fråga | Förslag | Klagomål" per
    verksamhetsområde in the chosen period, with a total row that counts each complaint once."""
    tree = unit_tree(session)
    cells: dict[tuple[int | None, str], set[int]] = {}
    every: dict[str, set[int]] = {}
    for _year, unit_id, case_id, kind in _per_unit_rows(session, frame, [frame.current]):
        area = ancestor_of_kind(tree, unit_id, "area")
        cells.setdefault((area, kind), set()).add(case_id)
        every.setdefault(kind, set()).add(case_id)
    areas = sorted({a for a, _k in cells if a is not None}, key=lambda a: tree[a].name)
    labelled: list[tuple[int | None, str]] = [(a, tree[a].name) for a in areas]
    if any(a is None for a, _k in cells):
        labelled.append((None, _("Utan verksamhetsområde")))

    def values(counts: dict[str, int]) -> list[Any]:
        return [sum(counts.values()), *(counts.get(k, 0) for k in KIND_COLUMNS)]

    rows = [
        Row(label, values({k: len(cells.get((a, k), ())) for k in KIND_COLUMNS}))
        for a, label in labelled
    ]
    rows.append(Row(_("Totalt"), values({k: len(every.get(k, ())) for k in KIND_COLUMNS})))
    return Table(
        "complaint_kinds_areas",
        _(
            "Synpunkter och klagomål per slag och verksamhetsområde %(period)s",
            period=frame.current.label,
        ),
        [_("Antal synpunkter"), _("Beröm"), _("Fråga"), _("Förslag"), _("Klagomål")],
        rows,
        kind="cross",
        row_header=_("Verksamhetsområde"),
        note=_(
            "Ett ärende som gäller flera verksamhetsområden räknas en gång i varje, men bara "
            "en gång i totalen."
        ),
    )


def themes(session: Session, frame: Frame) -> Table:
    y = bucket(Case.received_at, frame.spans)
    counts = {
        (theme_id, year): n
        for year, theme_id, n in session.execute(
            select(y, complaint_theme_links.c.theme_id, func.count(func.distinct(Case.id)))
            .join(Complaint, Complaint.case_id == Case.id)
            .join(complaint_theme_links, complaint_theme_links.c.complaint_id == Complaint.id)
            .where(
                within(Case.received_at, frame.spans), counted_complaints(), in_units(frame.units)
            )
            .group_by(y, complaint_theme_links.c.theme_id)
        )
        if year is not None
    }
    used = {t for t, _y in counts}
    labels = [
        (tid, name)
        for tid, name, active in session.execute(
            select(ComplaintTheme.id, ComplaintTheme.name, ComplaintTheme.active).order_by(
                ComplaintTheme.sort_order, ComplaintTheme.name
            )
        )
        if active or tid in used
    ]
    return table_of(
        "complaint_themes",
        _("Synpunkter och klagomål per område de gällde"),
        frame,
        labels,
        counts,
        note=_("Ett ärende som gällde flera områden räknas en gång för varje område."),
    )


def escalations(session: Session, frame: Frame) -> Table:
    """Complaints that revealed a misconduct, a care injury or a deviation, counted the year
    the new case was opened."""
    new = aliased(Case)
    y = bucket(new.received_at, frame.spans)
    counts = {
        (target, year): n
        for year, target, n in session.execute(
            select(y, new.case_type, func.count(Case.id))
            .join(new, Case.successor_case_id == new.id)
            .where(
                within(new.received_at, frame.spans), counted_complaints(), in_units(frame.units)
            )
            .group_by(y, new.case_type)
        )
        if year is not None
    }
    labels = [(t, str(CASE_TYPE_LABELS[t])) for t in ESCALATED_TO]
    return table_of(
        "complaint_escalations",
        _("Synpunkter och klagomål som gått vidare som lex Sarah, lex Maria eller avvikelse"),
        frame,
        labels,
        counts,
        note=_("Räknat på det år det nya ärendet öppnades."),
    )
