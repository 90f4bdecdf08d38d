"""The sampled review of the access log (Lag 2001:454, Patientdatalagen 4 kap.): draw users at
random among those who read case content in a period, record for each whether every read had a
need, and conclude. Each operation checks the role, validates through the form class, changes
rows and flushes; the request commits."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import LogReview, LogReviewItem, User, utcnow
from forms.logreview import DEFAULT_SAMPLE_PERCENT, ConclusionForm, NewReviewForm, OutcomeForm
from workflows.engine import validate_form
from workflows.errors import NotAllowed, WrongState

from .period import end_of, start_of
from .queries import items_of, readers

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def require_log_reviewer(actor: User) -> None:
    if not actor.is_active or not actor.has_role("log_reviewer"):
        raise NotAllowed(_("Endast logggranskare kan granska åtkomstloggen."))


def sample_size(population: int, percent: int) -> int:
    """``percent`` of the population rounded up, and never nobody when anyone read anything."""
    if population == 0:
        return 0
    return min(population, max(1, -(-population * percent // 100)))


def start_review(session: Session, actor: User, data: Data) -> LogReview:
    require_log_reviewer(actor)
    d = validate_form(NewReviewForm, data).data
    percent = d["sample_percent"] or DEFAULT_SAMPLE_PERCENT
    start, end = start_of(d["period_start"]), end_of(d["period_end"])
    population = readers(session, start, end)
    # SystemRandom: the draw must not be predictable to the users it may pick.
    sample = secrets.SystemRandom().sample(population, sample_size(len(population), percent))
    review = LogReview(
        reviewer_id=actor.id,
        period_start=start,
        period_end=end,
        sample_percent=percent,
        population=len(population),
    )
    session.add(review)
    session.flush()
    session.add_all(LogReviewItem(review_id=review.id, user_id=uid) for uid in sample)
    session.flush()
    return review


def _require_open(session: Session, actor: User, review: LogReview) -> None:
    require_log_reviewer(actor)
    # Locked so that an outcome and the conclusion cannot cross each other (PostgreSQL).
    session.refresh(review, with_for_update=True)
    if review.completed_at is not None:
        raise WrongState(_("Granskningen är avslutad och kan inte ändras."))
    # The tables keep who drew the sample, not who recorded each outcome: so the one who drew
    # it carries it out, and the record of who did the review stays true.
    if review.reviewer_id != actor.id:
        raise NotAllowed(_("Bara den som startade granskningen kan föra in resultat i den."))


def record_outcome(
    session: Session, actor: User, review: LogReview, item: LogReviewItem, data: Data
) -> LogReviewItem:
    _require_open(session, actor, review)
    if item.review_id != review.id:
        raise NotAllowed(_("Användaren ingår inte i den här granskningen."))
    d = validate_form(OutcomeForm, data).data
    item.outcome = d["outcome"]
    item.comment = (d["comment"] or "").strip()
    item.reviewed_at = utcnow()
    session.flush()
    return item


def complete_review(session: Session, actor: User, review: LogReview, data: Data) -> LogReview:
    _require_open(session, actor, review)
    if any(item.outcome == "pending" for item in items_of(session, review)):
        raise WrongState(
            _("Alla användare i urvalet måste ha ett resultat innan granskningen kan avslutas.")
        )
    d = validate_form(ConclusionForm, data).data
    review.conclusion = d["conclusion"].strip()
    review.completed_at = utcnow()
    session.flush()
    return review
