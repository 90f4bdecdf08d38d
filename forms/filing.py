"""Recording what was sent to IVO and what IVO answered: IVO takes no e-mail, so we only record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.labels import FILING_CHANNEL_LABELS, IVO_OUTCOME_LABELS

from .base import StepForm, not_in_future, options, required, required_choice


class FilingForm(StepForm):
    filed_on = DateField(_l("Datum för anmälan"), validators=[required(), not_in_future])
    channel = SelectField(
        _l("Hur skickades anmälan?"),
        choices=options(FILING_CHANNEL_LABELS.items()),
        validators=[required_choice()],
    )
    ivo_case_number = StringField(
        _l("IVO:s diarienummer"),
        validators=[Optional(), Length(max=50)],
        description=_l("Kan fyllas i senare när IVO har svarat."),
    )
    own_case_number = StringField(
        _l("Nämndens diarienummer"), validators=[Optional(), Length(max=50)]
    )


class IvoResponseForm(StepForm):
    received_on = DateField(_l("Datum för IVO:s svar"), validators=[required(), not_in_future])
    outcome = SelectField(
        _l("IVO:s besked"),
        choices=options(IVO_OUTCOME_LABELS.items()),
        validators=[required_choice()],
    )
    text = TextAreaField(_l("Innehåll i svaret"), validators=[Optional(), Length(max=20000)])
    ivo_case_number = StringField(_l("IVO:s diarienummer"), validators=[Optional(), Length(max=50)])


class InvestigationSentForm(StepForm):
    sent_on = DateField(
        _l("Datum då utredningen skickades till IVO"), validators=[required(), not_in_future]
    )


class OwnCaseNumberForm(StepForm):
    """The committee's diarienummer before the filing, so that the IVO report carries it."""

    own_case_number = StringField(
        _l("Nämndens diarienummer"),
        validators=[required(), Length(max=50)],
        description=_l("Numret i nämndens diarium. Det står på anmälan till IVO."),
    )
