"""Co-investigators (workflows/co_investigators.py, DOMAIN.md §2 rev. 2): the SAS or MAS adds a
named user who may read and write the case's investigation, and removes them."""

from __future__ import annotations

from flask import Response, jsonify

from app import db
from forms.co_investigator import CoInvestigatorForm
from workflows import co_investigators

from . import bp
from .auth import caller
from .payload import checked_write, fields_of, visible_case, with_etag
from .sections import case_json


@bp.post("/cases/<int:case_id>/co-investigators")
def add_co_investigator(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(CoInvestigatorForm)) as body:
        co_investigators.add_co_investigator(session, case, user, body)
    return with_etag(jsonify({"case": case_json(session, user, case)}), case)


@bp.post("/cases/<int:case_id>/co-investigators/remove")
def remove_co_investigator(case_id: int) -> Response:
    """Takes the user's access to the case away at once; the history keeps who had it."""
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(CoInvestigatorForm)) as body:
        co_investigators.remove_co_investigator(session, case, user, body)
    return with_etag(jsonify({"case": case_json(session, user, case)}), case)
