"""Feedback to the reporter (workflows/feedback.py): its own step, recorded from the
investigation's completion on; closing the case checks that there is some."""

from __future__ import annotations

from flask import Response, jsonify

from app import db
from forms.feedback import FeedbackForm
from workflows.feedback import record_feedback as record

from . import bp
from .auth import caller
from .payload import checked_write, fields_of, visible_case, with_etag
from .sections import case_json, feedback_json


@bp.post("/cases/<int:case_id>/feedback")
def record_feedback(case_id: int) -> tuple[Response, int]:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(FeedbackForm)) as body:
        feedback = record(session, case, user, body)
    payload = {"feedback": feedback_json(feedback), "case": case_json(session, user, case)}
    return with_etag(jsonify(payload), case), 201
