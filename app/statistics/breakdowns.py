"""What the cases were about: deviation categories (per year, and crossed with the areas as
seeds 000 and 004 publish them), severity per grade as counts and as shares of the period's
reports, and the event types and cause areas of the investigations. Each table one case type."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from app.labels import CAUSE_AREA_LABELS, EVENT_TYPE_LABELS, SEVERITY_LABELS
from app.models import Case, Category, DeviationAssessment, Investigation

from .tables import (
    Frame,
    Row,
    Table,
    bucket,
    counted,
    in_units,
    labels_of,
    percent,
    reported_as,
    table_of,
    within,
)
from .units import TYPE_NAMES, ancestor_of_kind, unit_tree


def per_category(session: Session, frame: Frame) -> Table:
    y = bucket(Case.received_at, frame.spans)
    counts = counted(
        session.execute(
            select(y, Category.name, func.count(Case.id))
            .join(DeviationAssessment, DeviationAssessment.case_id == Case.id)
            .join(Category, DeviationAssessment.category_id == Category.id)
            .where(
                within(Case.received_at, frame.spans),
                reported_as("deviation"),
                in_units(frame.units),
            )
            .group_by(y, Category.name)
        )
    )
    names = sorted({k for k, _y in counts})
    return table_of(
        "categories",
        _("Avvikelser per kategori"),
        frame,
        [(n, n) for n in names],
        counts,
        note=_("Enhetschefens bedömning av avvikelsen."),
    )


def category_by_area(session: Session, frame: Frame) -> Table:
    """Seed 004's "Antal förekomster per Avvikelsetyp och Organisation": the chosen period's
    assessed deviations per category (rows) and area (columns), with each category's total and
    its share of them all."""
    rows = session.execute(
        select(Category.name, Case.unit_id, func.count(Case.id))
        .join(DeviationAssessment, DeviationAssessment.case_id == Case.id)
        .join(Category, DeviationAssessment.category_id == Category.id)
        .where(
            within(Case.received_at, [frame.current]),
            reported_as("deviation"),
            in_units(frame.units),
        )
        .group_by(Category.name, Case.unit_id)
    ).all()
    tree = unit_tree(session)
    cells: dict[tuple[str, int | None], int] = {}
    for name, unit_id, n in rows:
        key = (name, ancestor_of_kind(tree, unit_id, "area"))
        cells[key] = cells.get(key, 0) + n
    areas = sorted({a for _c, a in cells if a is not None}, key=lambda a: tree[a].name)
    columns: list[Any] = [tree[a].name for a in areas]
    if any(a is None for _c, a in cells):
        areas_or_none: list[int | None] = [*areas, None]
        columns.append(_("Utan verksamhetsområde"))
    else:
        areas_or_none = list(areas)
    total = sum(cells.values())
    categories = sorted({c for c, _a in cells})
    table_rows = []
    for name in categories:
        values = [cells.get((name, a), 0) for a in areas_or_none]
        table_rows.append(Row(name, [*values, sum(values), percent(sum(values), total)]))
    sums = [sum(cells.get((c, a), 0) for c in categories) for a in areas_or_none]
    if table_rows:
        table_rows.append(Row(_("Totalt"), [*sums, total, percent(total, total)]))
    return Table(
        "category_areas",
        _("Avvikelser per kategori och verksamhetsområde %(period)s", period=frame.current.label),
        [*columns, _("Totalt"), _("Andel (procent)")],
        table_rows,
        kind="cross",
        note=_("Antal bedömda avvikelser under perioden; andelen är kategorins del av alla."),
    )


def severity(session: Session, frame: Frame, case_type: str) -> list[Table]:
    """Per grade, and the share of the period's reports of the type, including those with no
    severity noted (seed 000: "Ej noterad allvarlighetsgrad 38,5 %"). A deviation's grade is the
    manager's assessment, a lex Sarah or lex Maria case's the investigation's."""
    y = bucket(Case.received_at, frame.spans)
    if case_type == "deviation":
        level: Any = DeviationAssessment.severity
        source: Any = DeviationAssessment
    else:
        level, source = Investigation.severity, Investigation
    counts = counted(
        session.execute(
            select(y, level, func.count(Case.id))
            .outerjoin(source, source.case_id == Case.id)
            .where(
                within(Case.received_at, frame.spans),
                reported_as(case_type),
                in_units(frame.units),
            )
            .group_by(y, level)
        )
    )
    labels: list[tuple[Any, str]] = [(k, f"{v} ({k})") for k, v in SEVERITY_LABELS.items()]
    labels.append((None, _("Ingen allvarlighetsgrad angiven")))
    name = str(TYPE_NAMES[case_type])
    totals = {yr: sum(n for (_k, y_), n in counts.items() if y_ == yr) for yr in frame.years}
    shares = [
        Row(label, [percent(counts.get((k, yr), 0), totals[yr]) for yr in frame.years])
        for k, label in labels
    ]
    return [
        table_of(
            f"severity_{case_type}",
            _("%(type)s per allvarlighetsgrad", type=name),
            frame,
            labels,
            counts,
        ),
        Table(
            f"severity_share_{case_type}",
            _("%(type)s per allvarlighetsgrad, andel (procent)", type=name),
            frame.columns,
            shares,
            kind="percent",
            note=_("Andel av periodens rapporter av ärendetypen, även de utan angiven grad."),
        ),
    ]


def investigation_lists(session: Session, frame: Frame, case_type: str) -> list[Table]:
    """Event types and cause areas are lists kept as JSON; they are counted over the
    investigations of the periods' cases of one type."""
    events = _list_counts(session, frame, case_type, Investigation.event_types)
    causes = _list_counts(session, frame, case_type, Investigation.cause_areas)
    name = str(TYPE_NAMES[case_type])
    return [
        table_of(
            f"event_types_{case_type}",
            _("%(type)s per händelsetyp", type=name),
            frame,
            labels_of(EVENT_TYPE_LABELS, (k for k, _y in events)),
            events,
            note=_("Ur utredningarna; en utredning kan ange flera händelsetyper."),
        ),
        table_of(
            f"cause_areas_{case_type}",
            _("%(type)s per orsaksområde", type=name),
            frame,
            labels_of(CAUSE_AREA_LABELS, (k for k, _y in causes)),
            causes,
            note=_("Ur utredningarna; en utredning kan ange flera orsaksområden."),
        ),
    ]


def _list_counts(
    session: Session, frame: Frame, case_type: str, column: Any
) -> dict[tuple[Any, int], int]:
    """{(item, year): investigations naming it}, the JSON list unnested by the database."""
    if session.get_bind().dialect.name == "postgresql":
        items = func.json_array_elements_text(column).table_valued("value").alias("item")
    else:
        items = func.json_each(column).table_valued("value").alias("item")
    y = bucket(Case.received_at, frame.spans)
    return counted(
        session.execute(
            select(y, items.c.value, func.count(func.distinct(Investigation.id)))
            .select_from(Investigation)
            .join(Case, Investigation.case_id == Case.id)
            .join(items, true())
            .where(
                within(Case.received_at, frame.spans),
                reported_as(case_type),
                in_units(frame.units),
            )
            .group_by(y, items.c.value)
        )
    )
