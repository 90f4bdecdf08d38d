"""Retention (gallring, DOMAIN.md §9): closed cases past their limit lose their personal data and
free text; what the annual statistics count stays.

Decided field by field over app/models:

- removed: the report's free text and the reporter (name, title, employer, the link to the user),
  affected persons (rows deleted), attachments (rows and files), stored PDFs (they hold it all),
  every free-text field of the immediate measures, the investigation, actions, decisions, IVO's
  response, the feedback to the reporter, patient information and a waived deadline's reason, the
  investigation items' sources and authors and the analysis team's participants; the history
  rows' comments and data (redacted in place, see ``_redact_history``).
- kept: type, unit, dates, states and the links between cases; codes and figures (cause areas,
  event types, severity, likelihood, grades, categories, IVO's outcome, filing dates and channels,
  deadlines and their outcomes); IVO's and the committee's case numbers, which point at records
  kept elsewhere; the staff who handled the case (investigator, decider, action owners), who are
  named in the hash-chained history anyway; notifications and mails, which carry no content.

A text that held something now reads ``[gallrad]``: CHECK constraints want some texts non-empty,
and a reader sees that something was removed rather than never written; empty texts stay empty.
Files are deleted before the caller commits: should the commit fail, the case is still due and
the next run finishes it, so no file outlives a purged case.

Archive before purge (rev. 2): a case whose type the document management plan keeps ("bevaras")
is purged only once it has been delivered to the e-archive (app/archive/); until then a run
skips it and says why, and the purge records the delivery it relied on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session

from app.audit.purges import seal_history
from app.models import (
    Action,
    AffectedPerson,
    AnalysisParticipant,
    ArchiveDelivery,
    Attachment,
    Base,
    Case,
    CaseEvent,
    CaseMessage,
    Complaint,
    Deadline,
    Decision,
    Feedback,
    ImmediateMeasures,
    Investigation,
    InvestigationItem,
    IvoResponse,
    PatientInformation,
    Receipt,
    RecordsRelease,
    RetentionRecord,
    RetentionRun,
    RetentionSkip,
    StoredDocument,
    get_setting,
)
from app.models.cases import CASE_TYPES

from .registry import flow_for

PLACEHOLDER = "[gallrad]"
# What the plan may say of a case type (app/models/settings.py: retention_plan.*).
KEEP, PURGE = "keep", "purge"
# Why a due case was left alone.
NOT_DELIVERED = "not_delivered"

CASE_TEXT = (
    "reporter_name",
    "reporter_title",
    "reporter_employer",
    "location",
    "description",
    "reporter_actions",
)
# The free text of the rows that hang on a case, by model.
RELATED_TEXT: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (ImmediateMeasures, ("measures", "none_needed_reason")),
    (
        Investigation,
        (
            "what_happened",
            "how_noticed",
            "when_occurred",
            "causes_text",
            "happened_before",
            "measures_text",
            "other_findings",
            "grade_motivation",
            "purpose",
            "commissioner",
            "method",
            "contributing_factors",
            "other_risks",
            "analysis_evaluation",
            "commissioner_comment",
        ),
    ),
    (Action, ("description", "effect_evaluation", "handed_over_note")),
    (Decision, ("motivation",)),
    (IvoResponse, ("text",)),
    (Feedback, ("text",)),
    # The messages with a sender without an account (DOMAIN.md §3.5 rev. 2).
    (CaseMessage, ("text",)),
    (PatientInformation, ("informed_by", "recipient_name", "patient_account")),
    (Deadline, ("status_reason",)),
    (Complaint, ("sender_name", "sender_contact", "findings", "answer_text")),
)
# The free text of the rows that hang on a case's investigation: each item's source and the
# name and title of who wrote it, and the analysis team's participants.
INVESTIGATION_TEXT: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (InvestigationItem, ("source", "written_by_name", "written_by_title")),
    (AnalysisParticipant, ("name", "role", "unit")),
)
# A records release's PDF is masked but still holds the case's free text (its history row keeps
# that it was released).
# A public sender's receipt goes too: nothing is left for it to open.
DELETED: tuple[Any, ...] = (
    AffectedPerson,
    StoredDocument,
    Attachment,
    RecordsRelease,
    Receipt,
)


@dataclass(frozen=True)
class Due:
    case: Case
    # When the case ended: its closing, or for one that changed type, the closing of the case
    # it became (its content lived on there until then).
    ended_at: datetime
    years: int


@dataclass(frozen=True)
class Skipped:
    due: Due
    reason: str


@dataclass(frozen=True)
class Sorted:
    """The due cases a run may purge (with the delivery each relied on, if any) and those it
    must skip."""

    purge: list[tuple[Due, ArchiveDelivery | None]]
    skip: list[Skipped]


@dataclass
class Purged:
    run: RetentionRun
    records: list[RetentionRecord]
    skipped: list[Skipped]


def limits(session: Session) -> dict[str, int]:
    return {t: int(get_setting(session, f"retention.{t}")) for t in CASE_TYPES}


def plan(session: Session) -> dict[str, str]:
    """Keep or purge per case type, per the document management plan."""
    return {t: str(get_setting(session, f"retention_plan.{t}")) for t in CASE_TYPES}


def kept_types(session: Session) -> list[str]:
    return [t for t, says in plan(session).items() if says == KEEP]


def sort_due(session: Session, now: datetime, *, lock: bool = False) -> Sorted:
    due = due_for_retention(session, now, lock=lock)
    kept = set(kept_types(session))
    ids = [d.case.id for d in due]
    deliveries = {
        d.case_id: d
        for d in session.scalars(select(ArchiveDelivery).where(ArchiveDelivery.case_id.in_(ids)))
    }
    purge, skip = [], []
    for item in due:
        delivery = deliveries.get(item.case.id)
        if item.case.case_type in kept and delivery is None:
            skip.append(Skipped(item, NOT_DELIVERED))
        else:
            purge.append((item, delivery))
    return Sorted(purge, skip)


def years_before(moment: datetime, years: int) -> datetime:
    """The same day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _final_successor(case: Case) -> Case | None:
    seen = {case.id}
    current = case.successor_case
    while current is not None and current.successor_case is not None:
        if current.id in seen:
            return None
        seen.add(current.id)
        current = current.successor_case
    return current


def due_for_retention(session: Session, now: datetime, *, lock: bool = False) -> list[Due]:
    """Cases that ended more than their type's years before ``now`` and are not yet purged."""
    years = limits(session)
    cutoff = {t: years_before(now, n) for t, n in years.items()}
    closed = select(Case).where(
        Case.state == "closed",
        Case.purged_at.is_(None),
        or_(*(and_(Case.case_type == t, Case.closed_at < c) for t, c in cutoff.items())),
    )
    changed_states = {s for t in CASE_TYPES for s in flow_for(t).final if s != "closed"}
    changed = select(Case).where(Case.state.in_(changed_states), Case.purged_at.is_(None))
    if lock:
        # On PostgreSQL two runs at once share the cases instead of purging one twice.
        closed = closed.with_for_update(skip_locked=True, of=Case)
        changed = changed.with_for_update(skip_locked=True, of=Case)
    fresh = {"populate_existing": lock}
    due = [
        Due(c, c.closed_at, years[c.case_type])
        for c in session.scalars(closed, execution_options=fresh)
        if c.closed_at is not None
    ]
    for case in session.scalars(changed, execution_options=fresh):
        end = _final_successor(case)
        if end is not None and end.closed_at is not None and end.closed_at < cutoff[case.case_type]:
            due.append(Due(case, end.closed_at, years[case.case_type]))
    return sorted(due, key=lambda d: (d.ended_at, d.case.id))


def purge(
    session: Session, now: datetime, started_by: str, *, upload_dir: Path | None = None
) -> Purged:
    """Purges every due case the plan lets go and records the run, with the cases it skipped and
    why; flushes, the caller commits."""
    due = sort_due(session, now, lock=True)
    run = RetentionRun(
        at=now, started_by=started_by, limits=limits(session), case_count=len(due.purge)
    )
    session.add(run)
    for skipped in due.skip:
        case = skipped.due.case
        session.add(
            RetentionSkip(run=run, case_id=case.id, reference=case.reference, reason=skipped.reason)
        )
    records = []
    for item, delivery in due.purge:
        removed = _purge_case(session, item.case, now, upload_dir or _upload_dir())
        record = RetentionRecord(
            run=run,
            case_id=item.case.id,
            reference=item.case.reference,
            case_type=item.case.case_type,
            closed_at=item.ended_at,
            removed=removed,
            archive_delivery_id=delivery.id if delivery is not None else None,
        )
        session.add(record)
        records.append(record)
    session.flush()
    return Purged(run, records, due.skip)


def _upload_dir() -> Path:
    from flask import current_app

    return Path(current_app.instance_path) / str(current_app.config["UPLOAD_FOLDER"])


def _purge_case(session: Session, case: Case, now: datetime, upload_dir: Path) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    blanked = _blank(case, CASE_TEXT)
    if case.reporter_id is not None:
        case.reporter_id = None
        blanked.append("reporter_id")
    if blanked:
        fields["cases"] = blanked
    for model, names in RELATED_TEXT:
        for row in session.scalars(select(model).where(model.case_id == case.id)):
            changed = _blank(row, names)
            if isinstance(row, Investigation) and row.item_authors:
                row.item_authors = {}
                changed.append("item_authors")
            if changed:
                table = fields.setdefault(model.__tablename__, [])
                table.extend(n for n in changed if n not in table)
    for model, names in INVESTIGATION_TEXT:
        of_case = (
            select(model)
            .join(Investigation, model.investigation_id == Investigation.id)
            .where(Investigation.case_id == case.id)
        )
        for row in session.scalars(of_case):
            changed = _blank(row, names)
            if changed:
                table = fields.setdefault(model.__tablename__, [])
                table.extend(n for n in changed if n not in table)
    rows: dict[str, int] = {}
    files = []
    for model in DELETED:
        doomed = list(session.scalars(select(model).where(model.case_id == case.id)))
        files += [upload_dir / row.stored_name for row in doomed if isinstance(row, Attachment)]
        for row in doomed:
            session.delete(row)
        if doomed:
            rows[model.__tablename__] = len(doomed)
    case.purged_at = now
    session.flush()
    # The rows are gone from this transaction; now the files. A file already missing (a run
    # whose commit failed) is fine.
    for path in files:
        path.unlink(missing_ok=True)
    session.expire(case, ["persons", "attachments", "events"])
    # On the purge_seals chain: what the blanking may change and nothing else (app.audit.verify).
    seal_history(session, case, now)
    history = _redact_history(session, case.id, now)
    return {"fields": fields, "rows": rows, "history_rows": history}


def _blank(row: object, names: Iterable[str]) -> list[str]:
    """Replaces each non-empty text by the placeholder; returns the names of those it changed."""
    changed = []
    for name in names:
        value = getattr(row, name)
        if value and value != PLACEHOLDER:
            setattr(row, name, PLACEHOLDER)
            changed.append(name)
    return changed


def _redact_history(session: Session, case_id: int, now: datetime) -> int:
    """Empties comment and data of the case's history rows with a Core UPDATE (the ORM refuses
    any change to history). Their hashes stay as they were: app.audit.verify accepts a redacted
    row as the seal written just before (app.audit.purges) says the blanking leaves it."""
    table = Base.metadata.tables[CaseEvent.__tablename__]
    result = cast(
        CursorResult[Any],
        session.execute(
            update(table)
            .where(table.c.case_id == case_id, table.c.redacted_at.is_(None))
            .values(comment="", data={}, redacted_at=now)
        ),
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, CaseEvent) and obj.case_id == case_id:
            session.expire(obj)
    return int(result.rowcount)
