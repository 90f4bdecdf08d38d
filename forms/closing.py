from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Length

from app.labels import CASE_TYPE_LABELS, FEEDBACK_CHANNEL_LABELS, PERSON_INFORMED_AT_CLOSE

from .base import StepForm, not_in_future, options, required, required_choice


class CloseForm(StepForm):
    feedback_on = DateField(
        _l("Datum för återkoppling till den som rapporterade"),
        validators=[required(), not_in_future],
    )
    feedback_channel = SelectField(
        _l("Hur gavs återkopplingen?"),
        choices=options(FEEDBACK_CHANNEL_LABELS.items()),
        validators=[required_choice()],
    )
    feedback_text = TextAreaField(
        _l("Återkoppling till den som rapporterade"),
        validators=[required(), Length(max=10000)],
        description=_l(
            "Visas för den som rapporterade. Skriv inga uppgifter ur utredningen om enskilda."
        ),
    )
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
