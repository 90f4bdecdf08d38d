"""The deciding role's three outcomes on a proposal to file with IVO."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from .base import StepForm, options, required, required_choice
from .investigation import grade_choices


class ApproveFilingForm(StepForm):
    motivation = TextAreaField(_l("Motivering"), validators=[required(), Length(max=20000)])


class DeclineFilingForm(StepForm):
    # The proposal is always serious here, so declining takes the decider's own grade.
    decider_grade = SelectField(
        _l("Det rapporterade utgjorde enligt beslutsfattaren"), validators=[required_choice()]
    )
    motivation = TextAreaField(
        _l("Motivering till att inte anmäla"), validators=[required(), Length(max=20000)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No grade preselected: the decider states their own.
        self.decider_grade.choices = [
            *options([("", _l("Välj"))]),
            *grade_choices(self.case, serious=False),
        ]


class ReturnToInvestigatorForm(StepForm):
    comment = TextAreaField(
        _l("Vad behöver utredaren komplettera?"), validators=[required(), Length(max=20000)]
    )
