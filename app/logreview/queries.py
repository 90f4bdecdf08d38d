"""What the log reviewer's pages read. Rows leave here as plain data holding only who, when,
which case reference, which view and from where: never a case, and never the free-text
``detail`` (it can hold an attachment's file name, which is case content)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, select, true
from sqlalchemy.orm import Session

from app.cases.queries import bounded_count
from app.models import AccessLogEntry, LogReview, LogReviewItem, User

from .labels import VIEW_LABELS, view_label
from .period import end_of, first_day, last_day, start_of
from .relations import GONE, NONE, relations

# Offset paging stays cheap only so far back; beyond it the reviewer narrows the search.
MAX_PAGES = 200


@dataclass(frozen=True)
class Filters:
    user_text: str = ""
    user_id: int | None = None
    reference: str = ""
    view: str = ""
    first: date | None = None
    last: date | None = None

    def args(self) -> dict[str, Any]:
        """The search's query string, for links to it and to its other pages."""
        pairs = {
            "namn": self.user_text,
            "anvandare": self.user_id,
            "referens": self.reference,
            "vy": self.view,
            "fran": self.first.isoformat() if self.first else None,
            "till": self.last.isoformat() if self.last else None,
        }
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class LogRow:
    at: datetime
    user_id: int | None
    user_name: str
    case_reference: str
    view: str
    view_label: str
    address: str


@dataclass
class LogPage:
    rows: list[LogRow]
    total: int
    page: int
    pages: int
    # More rows match than the shown pages reach.
    capped: bool = False


_COLUMNS = (
    AccessLogEntry.at,
    AccessLogEntry.user_id,
    AccessLogEntry.user_name,
    AccessLogEntry.case_reference,
    AccessLogEntry.view,
    AccessLogEntry.address,
)
_NEWEST_FIRST = (AccessLogEntry.at.desc(), AccessLogEntry.id.desc())


def _row(r: Any) -> LogRow:
    return LogRow(
        r.at, r.user_id, r.user_name, r.case_reference, r.view, view_label(r.view), r.address
    )


def matching_user_ids(session: Session, text: str) -> list[int]:
    """Users whose name or e-mail contains ``text``. Compared in Python: SQLite's lower() leaves
    Å, Ä and Ö alone, and the users table is small."""
    needle = text.casefold()
    return [
        uid
        for uid, name, email in session.execute(select(User.id, User.name, User.email))
        if needle in name.casefold() or needle in email.casefold()
    ]


def _where(session: Session, f: Filters) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [true()]
    if f.user_text:
        ids = matching_user_ids(session, f.user_text)
        clauses.append(AccessLogEntry.user_id.in_(ids) if ids else false())
    if f.user_id is not None:
        clauses.append(AccessLogEntry.user_id == f.user_id)
    if f.reference:
        # References are ASCII capitals, so upper() means the same on both databases.
        clauses.append(
            func.upper(AccessLogEntry.case_reference).contains(f.reference.upper(), autoescape=True)
        )
    if f.view:
        clauses.append(AccessLogEntry.view == f.view)
    if f.first:
        clauses.append(AccessLogEntry.at >= start_of(f.first))
    if f.last:
        clauses.append(AccessLogEntry.at < end_of(f.last))
    return and_(*clauses)


def search(session: Session, f: Filters, page: int, page_size: int) -> LogPage:
    where = _where(session, f)
    # Counted no further than the pages reach: the log of a nation holds millions of rows.
    count = bounded_count(session, select(AccessLogEntry.id).where(where), MAX_PAGES * page_size)
    total = count.value
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    rows = session.execute(
        select(*_COLUMNS)
        .where(where)
        .order_by(*_NEWEST_FIRST)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return LogPage([_row(r) for r in rows], total, page, pages, capped=not count.exact)


def user_choices(session: Session) -> list[tuple[str, str]]:
    """Everyone, inactive too: a user who has left still has reads in the log."""
    users = session.execute(select(User.id, User.name, User.email).order_by(User.name, User.id))
    return [(str(uid), f"{name} ({email})") for uid, name, email in users]


def view_choices(session: Session) -> list[tuple[str, str]]:
    """The views the application logs under (labels.VIEW_LABELS): asking the log for its
    distinct views would read every row of it."""
    return sorted(((v, view_label(v)) for v in VIEW_LABELS), key=lambda pair: pair[1].casefold())


# --- Reviews ------------------------------------------------------------------------------------


def readers(session: Session, start: datetime, end: datetime) -> list[int]:
    """The users who read case content in [start, end): the population a review samples."""
    return sorted(
        session.scalars(
            select(AccessLogEntry.user_id)
            .where(
                AccessLogEntry.at >= start,
                AccessLogEntry.at < end,
                AccessLogEntry.user_id.is_not(None),
            )
            .distinct()
        )
    )


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    first: date
    last: date
    sample_percent: int
    population: int
    sampled: int
    pending: int
    reviewer: str
    created_at: datetime
    completed_at: datetime | None


def review_summaries(session: Session) -> list[ReviewSummary]:
    counts = (
        select(
            LogReviewItem.review_id,
            func.count().label("sampled"),
            func.sum(case((LogReviewItem.outcome == "pending", 1), else_=0)).label("pending"),
        )
        .group_by(LogReviewItem.review_id)
        .subquery()
    )
    rows = session.execute(
        select(LogReview, User.name, counts.c.sampled, counts.c.pending)
        .join(User, User.id == LogReview.reviewer_id)
        .outerjoin(counts, counts.c.review_id == LogReview.id)
        .order_by(LogReview.created_at.desc(), LogReview.id.desc())
    )
    return [
        ReviewSummary(
            review.id,
            first_day(review.period_start),
            last_day(review.period_end),
            review.sample_percent,
            review.population,
            sampled or 0,
            pending or 0,
            reviewer,
            review.created_at,
            review.completed_at,
        )
        for review, reviewer, sampled, pending in rows
    ]


@dataclass
class CaseReads:
    """A sampled user's reads of one case in the period, and their relation to it now."""

    case_id: int | None
    reference: str
    count: int
    first: datetime
    last: datetime
    # Which parts were read: each view in words with its number of reads, most read first.
    views: list[tuple[str, int]]
    relations: tuple[str, ...] = ()

    @property
    def unrelated(self) -> bool:
        return NONE in self.relations


@dataclass
class SampledUser:
    item: LogReviewItem
    name: str
    email: str
    total: int
    cases: int
    rows: list[LogRow] = field(default_factory=list)
    # Per case, the unrelated first; at most ``groups_per_user`` of them.
    groups: list[CaseReads] = field(default_factory=list)
    unrelated: int = 0


def items_of(session: Session, review: LogReview) -> list[LogReviewItem]:
    return list(session.scalars(select(LogReviewItem).where(LogReviewItem.review_id == review.id)))


def reads_per_case(
    session: Session, user: User | None, where: tuple[ColumnElement[bool], ...]
) -> list[CaseReads]:
    """The reads ``where`` selects, grouped per case by the database (a user with thousands
    of reads is a few hundred rows: one per case and view), each with the user's relation to
    the case (relations.py). Unrelated cases first, then the most recently read."""
    rows = session.execute(
        select(
            AccessLogEntry.case_id,
            AccessLogEntry.case_reference,
            AccessLogEntry.view,
            func.count().label("reads"),
            func.min(AccessLogEntry.at).label("first"),
            func.max(AccessLogEntry.at).label("last"),
        )
        .where(*where)
        .group_by(AccessLogEntry.case_id, AccessLogEntry.case_reference, AccessLogEntry.view)
    )
    groups: dict[tuple[int | None, str], CaseReads] = {}
    for r in rows:
        key = (r.case_id, r.case_reference)
        group = groups.get(key)
        if group is None:
            groups[key] = CaseReads(r.case_id, r.case_reference, 0, r.first, r.last, [])
            group = groups[key]
        group.count += r.reads
        group.first = min(group.first, r.first)
        group.last = max(group.last, r.last)
        group.views.append((view_label(r.view), r.reads))
    related = relations(session, user, [cid for cid, _ref in groups if cid is not None])
    for group in groups.values():
        group.views.sort(key=lambda pair: (-pair[1], pair[0]))
        group.relations = related.get(group.case_id, (GONE,)) if group.case_id else (GONE,)
    return sorted(
        groups.values(),
        key=lambda g: (not g.unrelated, GONE not in g.relations, -g.last.timestamp()),
    )


def sampled_users(
    session: Session, review: LogReview, rows_per_user: int, groups_per_user: int = 200
) -> list[SampledUser]:
    """Each sampled user, by name, with their reads in the period per case and, the newest
    first, row by row."""
    found = []
    for item in items_of(session, review):
        user = session.get(User, item.user_id)
        in_period = (
            AccessLogEntry.user_id == item.user_id,
            AccessLogEntry.at >= review.period_start,
            AccessLogEntry.at < review.period_end,
        )
        total, cases = session.execute(
            select(func.count(), func.count(AccessLogEntry.case_reference.distinct())).where(
                *in_period
            )
        ).one()
        rows = session.execute(
            select(*_COLUMNS).where(*in_period).order_by(*_NEWEST_FIRST).limit(rows_per_user)
        )
        groups = reads_per_case(session, user, in_period)
        found.append(
            SampledUser(
                item,
                user.name if user else "",
                user.email if user else "",
                total,
                cases,
                [_row(r) for r in rows],
                groups[:groups_per_user],
                sum(1 for g in groups if g.unrelated),
            )
        )
    return sorted(found, key=lambda s: (s.name.casefold(), s.item.id))
