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
    allowed = flow_for(case_type).states if case_type else {s for t in types for s in flow_for(t).states}
    return case_type, state if state in allowed else ""


@bp.route("/arenden")
@login_required
def case_list() -> str:
    session = db.session()
    user = me()
    if not (queries.can_list_cases(session, user) or user.has_role("sas", "mas", "chair")):
        abort(403)
    types = queries.listable_types(session, user)
    case_type, state = _filter_values(types)
    unit_id = request.args.get("enhet", type=int)
    page = request.args.get("sida", default=1, type=int)
    result = queries.case_list(session, user, case_type=case_type or None, state=state or None,
                               unit_id=unit_id, page=page, page_size=current_app.config["PAGE_SIZE"])
    return render_template(
        "cases/list.html", result=result, types=types, flows={t: flow_for(t) for t in types},
        case_type=case_type, state=state, unit_id=unit_id, units=records.unit_choices(session),
    )
