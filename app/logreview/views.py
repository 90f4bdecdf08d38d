"""/logg: the access log and its sampled reviews, for the log reviewer and no one else — the
admin included (DOMAIN.md §2). Thin views over queries.py and operations.py."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app import db
from app.models import LogReview, LogReviewItem, User
from app.templating import apply_errors
from forms.base import options
from forms.logreview import (
    DEFAULT_SAMPLE_PERCENT,
    OUTCOME_LABELS,
    ConclusionForm,
    LogSearchForm,
    NewReviewForm,
    OutcomeForm,
)
from workflows import workdays
from workflows.errors import WorkflowError

from . import bp, operations, queries
from .labels import RELATION_HINTS, RELATION_LABELS
from .period import first_day, last_day, previous_month

Page = str | tuple[str, int] | Response
# Enough to judge a user's reads on the review page; the search shows them all.
ROWS_PER_USER = 100
# Cases per sampled user on the review page, the unrelated first; the search has the rest.
GROUPS_PER_USER = 200


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


def _page_number() -> int:
    try:
        return int(request.args.get("sida", "1"))
    except ValueError:
        return 1


@bp.get("")
def search() -> Page:
    session = db.session()
    form = LogSearchForm(formdata=request.args, meta={"csrf": False})
    form.anvandare.choices = options([("", _("Alla användare")), *queries.user_choices(session)])
    form.vy.choices = options([("", _("Alla vyer")), *queries.view_choices(session)])
    if not form.validate():
        return render_template("logreview/search.html", form=form, result=None, filters=None), 422
    d = form.data
    filters = queries.Filters(
        user_text=d["namn"] or "",
        user_id=int(d["anvandare"]) if d["anvandare"] else None,
        reference=d["referens"] or "",
        view=d["vy"] or "",
        first=d["fran"],
        last=d["till"],
    )
    result = queries.search(session, filters, _page_number(), current_app.config["PAGE_SIZE"])
    return render_template("logreview/search.html", form=form, result=result, filters=filters)


@bp.get("/granskningar")
def reviews() -> str:
    return render_template("logreview/reviews.html", reviews=queries.review_summaries(db.session()))


@bp.route("/granskningar/ny", methods=["GET", "POST"])
def new_review() -> Page:
    if request.method == "GET":
        first, last = previous_month()
        data = {"period_start": first, "period_end": last, "sample_percent": DEFAULT_SAMPLE_PERCENT}
        form = NewReviewForm(formdata=None, data=data, meta={"csrf": False})
        return render_template("logreview/new_review.html", form=form, error=None, leftover=[])
    try:
        review = operations.start_review(db.session(), _me(), request.form)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = NewReviewForm(formdata=request.form, meta={"csrf": False})
        leftover = apply_errors(form, error.field_errors)
        return render_template(
            "logreview/new_review.html", form=form, error=error, leftover=leftover
        ), error.status
    if review.population:
        flash(_("Urvalet är draget. Granska varje användare nedan."), "success")
    else:
        flash(
            _("Ingen användare läste ärendeinnehåll under perioden, så urvalet är tomt."), "success"
        )
    return redirect(url_for("logreview.review", review_id=review.id))


def _review(review_id: int) -> LogReview:
    review = db.session().get(LogReview, review_id)
    if review is None:
        abort(404)
    return review


def _prefix(item: LogReviewItem) -> str:
    return f"urval-{item.id}"


def _item_form(item: LogReviewItem) -> OutcomeForm:
    data = {"outcome": item.outcome if item.outcome != "pending" else None, "comment": item.comment}
    return OutcomeForm(formdata=None, data=data, prefix=_prefix(item), meta={"csrf": False})


def _review_page(
    review: LogReview,
    *,
    refused: LogReviewItem | None = None,
    form: Any = None,
    error: WorkflowError | None = None,
    leftover: list[str] | None = None,
) -> str:
    session = db.session()
    sampled = queries.sampled_users(session, review, ROWS_PER_USER, GROUPS_PER_USER)
    item_forms = {s.item.id: form if s.item is refused else _item_form(s.item) for s in sampled}
    conclusion = form if refused is None and form is not None else None
    reviewer = session.get(User, review.reviewer_id)
    return render_template(
        "logreview/review.html",
        review=review,
        first=first_day(review.period_start),
        last=last_day(review.period_end),
        reviewer=reviewer.name if reviewer else "",
        sampled=sampled,
        pending=sum(1 for s in sampled if s.item.outcome == "pending"),
        item_forms=item_forms,
        conclusion_form=conclusion or ConclusionForm(formdata=None, meta={"csrf": False}),
        may_edit=review.completed_at is None and review.reviewer_id == _me().id,
        outcome_labels=OUTCOME_LABELS,
        rows_per_user=ROWS_PER_USER,
        relation_labels=RELATION_LABELS,
        relation_hints=RELATION_HINTS,
        # The relations are the permission rules' answer at this moment (relations.py).
        judged_at=workdays.now(),
        error=error,
        error_form=form,
        leftover=leftover or [],
    )


@bp.get("/granskningar/<int:review_id>")
def review(review_id: int) -> str:
    return _review_page(_review(review_id))


@bp.post("/granskningar/<int:review_id>/urval/<int:item_id>")
def record_outcome(review_id: int, item_id: int) -> Page:
    review = _review(review_id)
    item = db.session().get(LogReviewItem, item_id)
    if item is None or item.review_id != review.id:
        abort(404)
    prefix = _prefix(item) + "-"
    data = MultiDict(
        (key.removeprefix(prefix), value)
        for key, value in request.form.items(multi=True)
        if key.startswith(prefix)
    )
    try:
        operations.record_outcome(db.session(), _me(), review, item, data)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = OutcomeForm(formdata=request.form, prefix=_prefix(item), meta={"csrf": False})
        leftover = apply_errors(form, error.field_errors)
        return _review_page(
            review, refused=item, form=form, error=error, leftover=leftover
        ), error.status
    user = db.session().get(User, item.user_id)
    flash(_("Resultatet för %(name)s är sparat.", name=user.name if user else ""), "success")
    return redirect(url_for("logreview.review", review_id=review.id, _anchor=_prefix(item)))


@bp.post("/granskningar/<int:review_id>/avsluta")
def complete(review_id: int) -> Page:
    review = _review(review_id)
    try:
        operations.complete_review(db.session(), _me(), review, request.form)
    except WorkflowError as error:
        if error.status == 403:
            abort(403)
        form = ConclusionForm(formdata=request.form, meta={"csrf": False})
        leftover = apply_errors(form, error.field_errors)
        return _review_page(review, form=form, error=error, leftover=leftover), error.status
    flash(_("Granskningen är avslutad."), "success")
    return redirect(url_for("logreview.review", review_id=review.id))
