"""Complaints and views (DOMAIN.md §3.4): registering one received by phone, letter or in
person, and the handler's steps."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from app.labels import (
    COMPLAINT_ANSWER_CHANNEL_LABELS,
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_KIND_LABELS,
    COMPLAINT_SENDER_LABELS,
)

from .base import AppForm, StepForm, not_in_future, options, required, required_choice


class ComplaintForm(AppForm):
    kind = SelectField(
        _l("Vad gäller det?"),
        choices=options(COMPLAINT_KIND_LABELS.items()),
        validators=[required_choice()],
    )
    sender_role = SelectField(
        _l("Vem lämnade det?"),
        choices=options(COMPLAINT_SENDER_LABELS.items()),
        validators=[required_choice()],
    )
    channel = SelectField(
        _l("Hur kom det in?"),
        choices=options((k, v) for k, v in COMPLAINT_CHANNEL_LABELS.items() if k != "e_service"),
        validators=[required_choice()],
    )
    unit_ids = SelectMultipleField(
        _l("Berörda enheter"), coerce=int, validators=[required_choice()]
    )
    text = TextAreaField(
        _l("Synpunkten eller klagomålet"), validators=[required(), Length(max=20000)]
    )
    sender_name = StringField(_l("Avsändarens namn"), validators=[Optional(), Length(max=200)])
    sender_contact = StringField(
        _l("Avsändarens kontaktuppgift"),
        validators=[Optional(), Length(max=300)],
        description=_l("E-postadress, telefon eller postadress. Lämna tomt om den saknas."),
    )
    ivo_case_number = StringField(_l("IVO:s diarienummer"), validators=[Optional(), Length(max=60)])
    ivo_answer_by = DateField(_l("IVO vill ha svar senast"), validators=[Optional()])

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.unit_ids.choices = options(unit_choices or [])

    def validate_ivo_answer_by(self, field: Any) -> None:
        if self.channel.data == "ivo" and field.data is None:
            raise ValidationError(_l("Ange när IVO vill ha svar."))

    def validate_ivo_case_number(self, field: Any) -> None:
        if self.channel.data == "ivo" and not (field.data or "").strip():
            raise ValidationError(_l("Ange IVO:s diarienummer."))


class AcknowledgeForm(StepForm):
    """Acknowledging asks nothing beyond the step's own comment and version (StepForm)."""


class AssignComplaintForm(StepForm):
    investigator_id = IntegerField(
        _l("Utredare"),
        validators=[Optional()],
        description=_l("Lämna tomt för att själv utreda."),
    )


class AnswerForm(StepForm):
    findings = TextAreaField(
        _l("Vad utredningen visade"), validators=[Optional(), Length(max=20000)]
    )
    answered_on = DateField(_l("Datum för svaret"), validators=[required(), not_in_future])
    answer_channel = SelectField(
        _l("Hur skickades svaret?"),
        choices=options(COMPLAINT_ANSWER_CHANNEL_LABELS.items()),
        validators=[required_choice()],
    )
    answer_text = TextAreaField(
        _l("Svaret: vad som framkom och vad som görs"),
        validators=[required(), Length(max=20000)],
    )


class ComplaintFindingsForm(StepForm):
    findings = TextAreaField(
        _l("Vad utredningen visade"), validators=[Optional(), Length(max=20000)]
    )
    theme_ids = SelectMultipleField(_l("Vad gällde det?"), coerce=int, validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from app import db
        from app.models import ComplaintTheme

        themes = db.session().scalars(
            select(ComplaintTheme)
            .where(ComplaintTheme.active.is_(True))
            .order_by(ComplaintTheme.sort_order, ComplaintTheme.name)
        )
        self.theme_ids.choices = options((t.id, t.name) for t in themes)


class EscalateForm(StepForm):
    comment = TextAreaField(_l("Motivering"), validators=[required(), Length(max=10000)])


class CloseComplaintForm(StepForm):
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=10000)])


class ComplaintThemeForm(AppForm):
    """A theme in the admin's list (DOMAIN.md §3.4: a list the admin edits)."""

    name = StringField(_l("Namn"), validators=[required(), Length(max=120)])
