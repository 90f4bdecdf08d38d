"""The deciding role's one form: one question (which of the decision steps offered now), one
motivation, one button. Each outcome is still its own step with its own form
(forms/decision.py), which validates what the chosen step needs; this form only asks which step,
and carries the text and the grade over to it (app/cases/decision.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.labels import TRIGGER_LABELS

from .base import StepForm, options, required, required_choice
from .investigation import grade_choices


class DecideForm(StepForm):
    choice = RadioField(_l("Vad beslutar du?"), validators=[required_choice()])
    # Every outcome needs a motivation (approving, declining, or what the investigator is to
    # complete when the case is returned).
    motivation = TextAreaField(
        _l("Motivering"),
        description=_l(
            "Skälen för beslutet. Återsänder du ärendet: skriv vad utredaren behöver komplettera."
        ),
        validators=[required(), Length(max=20000)],
    )
    # The decider's own grade, which only declining takes (its step's form requires it there).
    decider_grade = SelectField(
        _l("Det rapporterade utgjorde enligt beslutsfattaren"), validators=[Optional()]
    )

    def __init__(
        self,
        *args: Any,
        choices: tuple[str, ...] = (),
        grade_for: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The decision steps the user may take now, in the flow's order: nothing else is offered.
        self.choice.choices = options((t, TRIGGER_LABELS.get(t, t)) for t in choices)
        if not grade_for:
            del self.decider_grade
            return
        # Marked before submitting as needed for those choices only.
        self.decider_grade.description = _(
            "Behövs bara om du väljer: %(choices)s.",
            choices=", ".join(str(TRIGGER_LABELS.get(t, t)) for t in grade_for),
        )
        self.decider_grade.choices = [
            *options([("", _l("Välj"))]),
            *grade_choices(self.case, serious=False),
        ]
