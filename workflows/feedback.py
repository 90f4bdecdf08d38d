"""Feedback to the reporter (återkoppling, DOMAIN.md §3.1 rev. 2): a step of its own, declared in
workflows/record_steps.py, taken from the investigation's completion on and as often as it is
given (directly, at the workplace meeting). It meets the ``reporter_feedback`` deadline that
completing the investigation opened; closing checks that there is at least one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, Feedback, User
from forms.feedback import FeedbackForm

from .engine import recording, validate_form

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def record_feedback(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Feedback:
    with recording(
        session,
        case,
        actor,
        "record_feedback",
        expected_version=expected_version,
        refusal=_("Endast den som handlägger ärendet kan registrera återkoppling."),
    ) as ctx:
        d = validate_form(FeedbackForm, data, case=case).data
        feedback = Feedback(
            given_on=d["feedback_on"],
            channel=d["feedback_channel"],
            text=d["feedback_text"].strip(),
            recorded_by_id=actor.id,
        )
        case.feedback.append(feedback)
        # The text is for the reporter and shown in its own section; the history keeps when and how.
        ctx.record = {"feedback_on": feedback.given_on.isoformat(), "channel": feedback.channel}
    return feedback
