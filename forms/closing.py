from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from app.labels import CASE_TYPE_LABELS, PERSON_INFORMED_AT_CLOSE

from .base import StepForm, options, required, required_choice


class CloseForm(StepForm):
    # The feedback to the reporter is its own step (forms/feedback.py), recorded before closing.
    person_informed = SelectField(
        _l("Har den enskilde informerats om utredningens resultat?"),
        choices=options(PERSON_INFORMED_AT_CLOSE.items()),
        validators=[required_choice()],
    )


class ReopenForm(StepForm):
    comment = TextAreaField(_l("Motivering"), validators=[required(), Length(max=10000)])


class ReclassifyForm(StepForm):
    target_type = SelectField(_l("Ny ärendetyp"), validators=[required_choice()])
    comment = TextAreaField(_l("Motivering"), validators=[required(), Length(max=10000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = getattr(self.case, "case_type", None)
        # A report is never reclassified into a complaint: that is what someone else sends.
        self.target_type.choices = options(
            (k, v) for k, v in CASE_TYPE_LABELS.items() if k not in (own, "complaint")
        )
