"""Importing counts for the years before go-live from a CSV (DOMAIN.md §8 rev. 2): all rows or
none. The CLI (`flask statistics import-history`) and the admin page call the same operation.

The file: a header row and one row per year, case type and unit, separated by semicolons (what
Excel with Swedish settings saves) or commas:

    år;ärendetyp;enhet;antal
    2022;lex_sarah;;44
    2022;avvikelse;Solgårdens särskilda boende;310

The case type is its code or its Swedish name; the unit is its name, its full path or its id, or
empty for the whole municipality.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app.admin.operations import require_admin
from app.audit.admin_trail import current_actor, record
from app.labels import CASE_TYPE_LABELS
from app.models import CASE_TYPES, ImportedCount, Unit, User, utcnow
from workflows.errors import InvalidData

from .imported import years_with_cases

FIRST_YEAR = 2000
MAX_BYTES = 1_000_000
# Accepted header names per column, lower case.
COLUMNS = {
    "year": ("år", "ar", "year"),
    "case_type": ("ärendetyp", "typ", "case_type"),
    "unit": ("enhet", "unit"),
    "count": ("antal", "count"),
}


@dataclass(frozen=True)
class Line:
    number: int
    year: int
    case_type: str
    unit_id: int | None
    unit_label: str
    count: int


def decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's byte order mark), else Windows-1252, which Excel on a
    Swedish Windows may still save."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _type_lookup() -> dict[str, str]:
    names = {t.casefold(): t for t in CASE_TYPES}
    names |= {str(CASE_TYPE_LABELS[t]).casefold(): t for t in CASE_TYPES if t in CASE_TYPE_LABELS}
    # The Swedish names whatever the page's language is, for a file made in Swedish.
    names |= {"avvikelse": "deviation", "lex sarah": "lex_sarah", "lex maria": "lex_maria"}
    return {k: v for k, v in names.items() if v in CASE_TYPES}


def _unit_lookup(session: Session) -> tuple[dict[str, list[Unit]], dict[int, Unit]]:
    units = list(session.scalars(select(Unit)))
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        by_name.setdefault(unit.name.strip().casefold(), []).append(unit)
        by_name.setdefault(unit.path.strip().casefold(), []).append(unit)
    return by_name, {u.id: u for u in units}


def _where(number: int, field: str, message: str) -> str:
    return _("Rad %(line)s, %(field)s: %(message)s", line=number, field=field, message=message)


def parse(session: Session, text: str, *, this_year: int | None = None) -> list[Line]:
    """Every row read and checked; InvalidData naming each bad line and field if any is bad."""
    this_year = this_year or datetime.now(UTC).year
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors: list[str] = []
    rows = [(n, row) for n, row in enumerate(reader, start=1) if any(c.strip() for c in row)]
    if not rows:
        raise _refused([_("Filen är tom.")])
    header_line, header = rows[0]
    positions = _positions(header)
    if isinstance(positions, str):
        raise _refused([_where(header_line, _("rubrikraden"), positions)])

    types = _type_lookup()
    by_name, by_id = _unit_lookup(session)
    lines: list[Line] = []
    seen: dict[tuple[int, str, int | None], int] = {}
    for number, row in rows[1:]:
        values = {k: (row[i].strip() if i < len(row) else "") for k, i in positions.items()}
        line_errors: list[str] = []
        year = _year(values["year"], this_year)
        if isinstance(year, str):
            line_errors.append(_where(number, _("år"), year))
        case_type = types.get(values["case_type"].casefold())
        if case_type is None:
            line_errors.append(
                _where(
                    number,
                    _("ärendetyp"),
                    _("Okänd ärendetyp ”%(value)s”.", value=values["case_type"]),
                )
            )
        unit = _unit(values["unit"], by_name, by_id)
        if isinstance(unit, str):
            line_errors.append(_where(number, _("enhet"), unit))
        count = _count(values["count"])
        if isinstance(count, str):
            line_errors.append(_where(number, _("antal"), count))
        # (The type checks repeat what line_errors says, for mypy.)
        if (
            line_errors
            or isinstance(year, str)
            or case_type is None
            or isinstance(unit, str)
            or isinstance(count, str)
        ):
            errors += line_errors
            continue
        unit_id = None if unit is None else unit.id
        key = (year, case_type, unit_id)
        if key in seen:
            errors.append(
                _where(
                    number,
                    _("enhet"),
                    _(
                        "Samma år, ärendetyp och enhet finns redan på rad %(line)s.",
                        line=seen[key],
                    ),
                )
            )
            continue
        seen[key] = number
        label = unit.name if unit is not None else ""
        lines.append(Line(number, year, case_type, unit_id, label, count))
    errors += _years_in_use(session, lines)
    if errors:
        raise _refused(errors)
    if not lines:
        raise _refused([_("Filen har inga rader med antal.")])
    return lines


def _refused(errors: list[str]) -> InvalidData:
    return InvalidData(
        _("Ingenting importerades. Rätta raderna nedan och försök igen."), {"file": errors}
    )


def _positions(header: list[str]) -> dict[str, int] | str:
    names = [h.strip().casefold() for h in header]
    positions = {}
    for key, accepted in COLUMNS.items():
        found = [i for i, n in enumerate(names) if n in accepted]
        if not found:
            return _(
                "Kolumnen ”%(column)s” saknas. Rubrikerna ska vara år, ärendetyp, enhet och antal.",
                column=accepted[0],
            )
        positions[key] = found[0]
    return positions


def _year(value: str, this_year: int) -> int | str:
    if not value.isdigit():
        return _("”%(value)s” är inte ett årtal.", value=value)
    year = int(value)
    if not FIRST_YEAR <= year < this_year:
        return _(
            "Året måste vara mellan %(first)s och %(last)s.", first=FIRST_YEAR, last=this_year - 1
        )
    return year


def _unit(value: str, by_name: dict[str, list[Unit]], by_id: dict[int, Unit]) -> Unit | None | str:
    if not value:
        return None
    if value.isdigit() and int(value) in by_id:
        return by_id[int(value)]
    found = {u.id: u for u in by_name.get(value.casefold(), [])}
    if not found:
        return _("Okänd enhet ”%(value)s”.", value=value)
    if len(found) > 1:
        return _("Flera enheter heter ”%(value)s”; ange hela sökvägen.", value=value)
    return next(iter(found.values()))


def _count(value: str) -> int | str:
    text = value.replace(" ", "").replace("\u00a0", "")
    try:
        count = int(text)
    except ValueError:
        return _("”%(value)s” är inte ett heltal.", value=value)
    if count < 0:
        return _("Antalet kan inte vara negativt.")
    return count


def _years_in_use(session: Session, lines: Iterable[Line]) -> list[str]:
    """A year the system already holds cases of that type for is counted from the cases; an
    import for it would be ignored (app/statistics/imported.py), so it is refused here."""
    wanted: dict[str, set[int]] = {}
    for line in lines:
        wanted.setdefault(line.case_type, set()).add(line.year)
    in_use = {t: years_with_cases(session, t, sorted(ys)) for t, ys in wanted.items()}
    return [
        _where(
            line.number,
            _("år"),
            _(
                "Systemet har redan ärenden av den typen %(year)s; importerade antal gäller "
                "bara åren före.",
                year=line.year,
            ),
        )
        for line in lines
        if line.year in in_use[line.case_type]
    ]


def _key(line_or_row: Line | ImportedCount, unit_label: str) -> str:
    return f"{line_or_row.year} {line_or_row.case_type} {unit_label or '–'}"


def import_history(session: Session, raw: bytes) -> list[ImportedCount]:
    """Reads the file and stores its counts, replacing any imported before for the same year,
    case type and unit; one row on the administrative trail says what changed. The caller
    commits."""
    if len(raw) > MAX_BYTES:
        raise _refused([_("Filen är för stor (högst 1 MB).")])
    lines = parse(session, decode(raw))
    _actor_id, actor_name = current_actor()
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    stored = []
    for line in lines:
        unit_match = (
            ImportedCount.unit_id.is_(None)
            if line.unit_id is None
            else ImportedCount.unit_id == line.unit_id
        )
        row = session.scalar(
            select(ImportedCount).where(
                ImportedCount.year == line.year,
                ImportedCount.case_type == line.case_type,
                unit_match,
            )
        )
        key = _key(line, line.unit_label)
        if row is None:
            row = ImportedCount(
                year=line.year, case_type=line.case_type, unit_id=line.unit_id, count=line.count
            )
            session.add(row)
        else:
            before[key] = row.count
            row.count = line.count
        row.imported_at = utcnow()
        row.imported_by = actor_name
        after[key] = line.count
        stored.append(row)
    session.flush()
    years = sorted({line.year for line in lines})
    label = _(
        "Importerade antal %(first)s–%(last)s, %(rows)s rader",
        first=years[0],
        last=years[-1],
        rows=len(lines),
    )
    record(session, "imported_counts", "imported_counts", None, label, before, after)
    session.flush()
    return stored


def import_upload(session: Session, actor: User, upload: FileStorage | None) -> list[ImportedCount]:
    """The admin page's upload: only the system administrator imports."""
    require_admin(actor)
    if upload is None or not upload.filename:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."), {"file": [_("Välj en CSV-fil.")]}
        )
    return import_history(session, upload.read(MAX_BYTES + 1))


def imported(session: Session) -> list[ImportedCount]:
    return list(
        session.scalars(
            select(ImportedCount).order_by(
                ImportedCount.year.desc(), ImportedCount.case_type, ImportedCount.unit_id
            )
        )
    )
