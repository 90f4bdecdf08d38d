"""The deciding role's three outcomes on a proposal to file with IVO."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from app.labels import GRADE_LABELS
from app.models.investigation import SERIOUS_GRADES

from .base import StepForm, options, required, required_choice


class ApproveFilingForm(StepForm):
    motivation = TextAreaField(_l("Motivering"), validators=[required(), Length(max=20000)])


class DeclineFilingForm(StepForm):
    # The proposal is always serious here, so declining takes the decider's own grade.
    decider_grade = SelectField(
        _l("Det rapporterade utgjorde enligt beslutsfattaren"),
        choices=options((g, label) for g, label in GRADE_LABELS.items() if g not in SERIOUS_GRADES),
        validators=[required_choice()],
    )
    motivation = TextAreaField(
        _l("Motivering till att inte anmäla"), validators=[required(), Length(max=20000)]
    )


class ReturnToInvestigatorForm(StepForm):
    comment = TextAreaField(
        _l("Vad behöver utredaren komplettera?"), validators=[required(), Length(max=20000)]
    )
