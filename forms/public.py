"""The forms of the public pages (DOMAIN.md §3.5 rev. 2): a report from staff without an account
(the staff form's questions, plus who they are or that they stay anonymous), a complaint or view
from anyone, the follow-up with receipt code and secret, and a message to the handler."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, Optional

from .base import AppForm, StepForm, options, required, required_choice
from .report import ReportForm

SECRET_HELP = _l(
    "Frivilligt. Välj ett eget lösenord på minst 12 tecken, eller lämna tomt så får du ett."
)
# A text field people leave empty and form-filling robots do not: named like a real field,
# hidden from sight and from screen readers by the template.
HONEYPOT = "website"


def secret_long_enough(_form: Any, field: Any) -> None:
    if field.data and len(field.data.strip()) < 12:
        raise ValidationError(_l("Lösenordet måste ha minst 12 tecken."))


class SenderFields:
    """What the public forms share: the chosen secret and the trap for robots."""

    secret = PasswordField(
        _l("Eget lösenord för att följa ärendet"),
        validators=[Optional(), Length(max=200), secret_long_enough],
        description=SECRET_HELP,
    )
    website = StringField(_l("Lämna det här fältet tomt"), validators=[Optional()])


class PublicReportForm(SenderFields, ReportForm):
    anonymous = BooleanField(_l("Jag vill vara anonym"))
    reporter_name = StringField(_l("Ditt namn"), validators=[Optional(), Length(max=200)])
    reporter_title = StringField(
        _l("Din yrkesroll eller titel"),
        validators=[Optional(), Length(max=200)],
        description=_l("Till exempel undersköterska, sjuksköterska, student."),
    )
    reporter_employer = StringField(
        _l("Din arbetsgivare"),
        validators=[Optional(), Length(max=200)],
        description=_l("Till exempel bemanningsföretaget eller kommunen."),
    )


COMPLAINT_KINDS = {
    "complaint": _l("Klagomål"),
    "suggestion": _l("Synpunkt eller förslag"),
    "question": _l("Fråga"),
    "praise": _l("Beröm"),
}
SENDER_ROLES = {
    "service_user": _l("Jag får stöd eller omsorg"),
    "patient": _l("Jag är patient"),
    "relative": _l("Jag är anhörig eller närstående"),
    "staff": _l("Jag arbetar i verksamheten"),
    "authority": _l("Jag företräder en myndighet eller organisation"),
    "other": _l("Annat"),
}


class PublicComplaintForm(SenderFields, StepForm):
    kind = RadioField(
        _l("Vad vill du lämna?"),
        choices=options(COMPLAINT_KINDS.items()),
        validators=[required_choice()],
    )
    unit_id = SelectField(
        _l("Vilken verksamhet gäller det?"), coerce=int, validators=[required_choice()]
    )
    text = TextAreaField(
        _l("Skriv vad du vill säga"),
        validators=[required(), Length(max=10000)],
        description=_l("Skriv inte personnummer. Beskriv med egna ord."),
    )
    anonymous = BooleanField(_l("Jag vill vara anonym"))
    sender_role = SelectField(
        _l("Vem är du?"),
        choices=options(SENDER_ROLES.items()),
        default="relative",
        validators=[Optional()],
    )
    sender_name = StringField(_l("Ditt namn"), validators=[Optional(), Length(max=200)])
    sender_contact = StringField(
        _l("Telefon eller e-post, om du vill bli kontaktad"),
        validators=[Optional(), Length(max=200)],
    )

    def __init__(
        self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id.choices = options([(0, _l("Välj verksamhet")), *(unit_choices or [])])

    def validate_unit_id(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Välj vilken verksamhet det gäller."))


class FollowUpForm(AppForm):
    code = StringField(
        _l("Kvittokod"),
        validators=[required(), Length(max=40)],
        description=_l("Till exempel ACDE-FH3J-K7MN."),
    )
    secret = PasswordField(_l("Lösenord"), validators=[required(), Length(max=200)])


class SenderMessageForm(AppForm):
    text = TextAreaField(_l("Ditt meddelande"), validators=[required(), Length(max=5000)])


class HandlerMessageForm(StepForm):
    text = TextAreaField(
        _l("Meddelande till avsändaren"), validators=[required(), Length(max=5000)]
    )


class PublicLinkForm(AppForm):
    unit_id = SelectField(_l("Enhet"), coerce=int, validators=[Optional()])

    def __init__(
        self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id.choices = options([(0, _l("Hela förvaltningen")), *(unit_choices or [])])
