from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app import db
from app.audit.access import record_reads
from app.deadline_labels import DEADLINE_LABELS
from app.models import User, unit_tree
from app.routing import whole_number
from notifications import inbox as notices
from workflows import workdays
from workflows.registry import flow_for
from workflows.visibility import overseen
from workflows.workdays import STOCKHOLM

from . import bp, clock, queries
from .views import me
from .waiting import card_for, waiting_count, waiting_for


@bp.route("/")
@login_required
def inbox() -> str:
    session = db.session()
    user = me()
    waiting = waiting_for(session, user)
    items = waiting.items
    now = workdays.now()
    notifications = notices.inbox(session, user)
    record_reads(user, [item.case for item in items])
    return render_template(
        "cases/inbox.html",
        items=items,
        cards={item.case.id: card_for(session, user, item, now) for item in items},
        count=waiting_count(session, user),
        more=waiting.more,
        more_exact=waiting.more_exact,
        may_list=_may_list(session, user),
        unit_paths=unit_tree.unit_paths(session, {item.case.unit_id for item in items}),
        notifications=notifications,
        references=clock.references(session, [n.case_id for n in notifications]),
        unread=sum(n.read_at is None for n in notifications),
        now=now,
        time_left=clock.time_left,
    )


@bp.post("/notiser/<int:notification_id>/last")
@login_required
def mark_read(notification_id: int) -> Response:
    changed = notices.mark_read(db.session(), me(), [notification_id], workdays.now())
    if changed:
        flash(_("Notisen är markerad som läst."), "success")
    return redirect(url_for("cases.inbox", _anchor="notiser"))


@bp.post("/notiser/lasta")
@login_required
def mark_all_read() -> Response:
    session = db.session()
    user = me()
    changed = notices.mark_read(session, user, clock.unread_ids(session, user), workdays.now())
    flash(
        ngettext(
            "%(num)d notis är markerad som läst.",
            "%(num)d notiser är markerade som lästa.",
            changed,
        )
        if changed
        else _("Du har inga olästa notiser."),
        "success",
    )
    return redirect(url_for("cases.inbox", _anchor="notiser"))


@bp.route("/tidsfrister")
@login_required
def deadline_overview() -> str:
    """Open and overdue deadlines by unit and kind, for the SAS and the MAS (DOMAIN.md §2, §4)."""
    user = me()
    if not user.has_role("sas", "mas"):
        abort(403)
    now = workdays.now()
    data = clock.overview(db.session(), overseen(user), now)
    return render_template(
        "cases/deadline_overview.html", overview=data, now=now, labels=DEADLINE_LABELS
    )


def _filter_values(types: list[str]) -> tuple[str, str]:
    """The chosen case type and state. The state list is the chosen type's; with no type chosen
    a state is given as "type:state" (one option per type's state), or as a plain state name
    that any listed type has."""
    case_type = request.args.get("typ", "")
    case_type = case_type if case_type in types else ""
    state = request.args.get("status", "")
    if ":" in state:
        state_type, state = state.split(":", 1)
        if state_type not in types or (case_type and case_type != state_type):
            return case_type, ""
        case_type = state_type
    allowed = (
        flow_for(case_type).states if case_type else {s for t in types for s in flow_for(t).states}
    )
    return case_type, state if state in allowed else ""


def _statistics_filters() -> tuple[tuple[datetime, datetime] | None, int | None]:
    """The period (``fran``, ``till``: days, both included, Swedish time) and the deviation
    category (``kategori``) the statistics link a recurring pattern's cases by. A value that is
    not a day or an id filters nothing, as any other unknown value here does."""
    try:
        first = date.fromisoformat(request.args.get("fran", ""))
        last = date.fromisoformat(request.args.get("till", ""))
        after = last + timedelta(days=1)
        received = (
            datetime(first.year, first.month, first.day, tzinfo=STOCKHOLM),
            datetime(after.year, after.month, after.day, tzinfo=STOCKHOLM),
        )
    except ValueError:
        received = None
    raw = request.args.get("kategori", "")
    return received, int(raw) if whole_number(raw) else None


def _may_list(session: Session, user: User) -> bool:
    return queries.can_list_cases(session, user) or user.has_role("sas", "mas", "chair")


@bp.route("/arenden")
@login_required
def case_list() -> str:
    session = db.session()
    user = me()
    if not _may_list(session, user):
        abort(403)
    types = queries.listable_types(session, user)
    case_type, state = _filter_values(types)
    # A unit id no unit can have filters nothing, as any other unknown value here does.
    raw_unit = request.args.get("enhet", "")
    unit_id = int(raw_unit) if whole_number(raw_unit) else None
    page = request.args.get("sida", default=1, type=int)
    deadline = request.args.get("tidsfrist", "")
    deadline = deadline if deadline == "all" or deadline in DEADLINE_LABELS else ""
    overdue = request.args.get("forsenad") == "1"
    received, category_id = _statistics_filters()
    result = queries.case_list(
        session,
        user,
        case_type=case_type or None,
        state=state or None,
        unit_id=unit_id,
        page=page,
        page_size=current_app.config["PAGE_SIZE"],
        count_limit=current_app.config["COUNT_LIMIT"],
        depth_limit=current_app.config["PAGE_DEPTH_LIMIT"],
        deadline=deadline or None,
        overdue=overdue,
        received=received,
        category_id=category_id,
    )
    record_reads(user, result.cases)
    return render_template(
        "cases/list.html",
        result=result,
        types=types,
        flows={t: flow_for(t) for t in types},
        case_type=case_type,
        state=state,
        unit_id=unit_id,
        units=unit_tree.unit_choices(session),
        unit_paths=unit_tree.unit_paths(session, {case.unit_id for case in result.cases}),
        deadline=deadline,
        overdue=overdue,
        deadline_labels=DEADLINE_LABELS,
        received=received,
        category_id=category_id,
        first_day=request.args.get("fran", ""),
        last_day=request.args.get("till", ""),
    )
