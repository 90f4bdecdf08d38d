"""Feedback to the reporter (återkoppling): its own step, recorded as often as it is given."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Length

from app.labels import FEEDBACK_CHANNEL_LABELS

from .base import StepForm, not_in_future, options, required, required_choice


class FeedbackForm(StepForm):
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
