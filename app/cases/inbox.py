from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import login_required

from app import db
from workflows import records
from workflows.registry import flow_for

from . import bp, queries
from .views import me


@bp.route("/")
@login_required
def inbox() -> str:
    groups = queries.inbox(db.session(), me())
    return render_template("cases/inbox.html", groups=groups)


@bp.route("/arenden")
@login_required
def case_list() -> str:
    session = db.session()
    user = me()
    if not (queries.can_list_cases(session, user) or user.has_role("sas", "mas", "chair")):
        abort(403)
    flow = flow_for("lex_sarah")
    state = request.args.get("status", "")
    state = state if state in flow.states else ""
    unit_id = request.args.get("enhet", type=int)
    page = request.args.get("sida", default=1, type=int)
    result = queries.case_list(session, user, state=state or None, unit_id=unit_id, page=page,
                               page_size=current_app.config["PAGE_SIZE"])
    return render_template(
        "cases/list.html", result=result, flow=flow, state=state, unit_id=unit_id,
        units=records.unit_choices(session),
    )
