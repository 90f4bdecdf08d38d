"""The log reviewer's forms (DOMAIN.md §9): searching the access log, drawing a sample of users
for a review, the outcome for each sampled user, and the review's conclusion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from forms.admin import WholeNumberField, between

from .base import REQUIRED, AppForm, options, required, required_choice

DEFAULT_SAMPLE_PERCENT = 10
# The log cannot hold reads from before the system existed; the bound also keeps a typo such as
# year 0202 from reaching the database as a date it cannot store.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
STOCKHOLM = ZoneInfo("Europe/Stockholm")

OUTCOME_LABELS = {
    "pending": _l("Inte granskad"),
    "ok": _l("Utan anmärkning"),
    "remark": _l("Anmärkning"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def day_field(label: Any, *, optional: bool) -> DateField:
    return DateField(
        label,
        # InputRequired, not DataRequired: a date typed wrong is told so, not called missing.
        validators=[Optional() if optional else InputRequired(message=REQUIRED), _reasonable],
        invalid_value_message=_l("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31."),
    )


def _reasonable(_form: Any, field: Any) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(
            _l("Ange ett datum mellan %(first)s och %(last)s.", first=EARLIEST, last=LATEST)
        )


def _last_not_before_first(first: date | None, last: date | None) -> None:
    if first is not None and last is not None and last < first:
        raise ValidationError(_l("Slutdatumet kan inte ligga före startdatumet."))


class ListChoiceField(SelectField):
    """A select whose choices the page fills in; a value that is not among them is refused in
    the field's own words rather than WTForms' English."""

    def __init__(self, label: Any, message: Any, **kwargs: Any) -> None:
        super().__init__(label, validate_choice=False, filters=[_strip], **kwargs)
        self.message = message

    def pre_validate(self, form: Any) -> None:
        if self.data and self.data not in {str(c.value) for c in self.choices or []}:
            raise ValidationError(self.message)


class LogSearchForm(AppForm):
    """Sent with GET: the field names are the query string of a search one can bookmark."""

    namn = StringField(
        _l("Användare (namn eller e-post)"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Skriv högst %(max)d tecken."))],
        description=_l("Del av namnet eller e-postadressen räcker."),
    )
    anvandare = ListChoiceField(
        _l("eller välj användare i listan"), message=_l("Välj en användare i listan.")
    )
    referens = StringField(
        _l("Ärendereferens"),
        filters=[_strip],
        validators=[
            Length(max=20, message=_l("Skriv högst %(max)d tecken.")),
            Regexp(
                r"^[A-Za-z0-9-]*$",
                message=_l("Referensen består av bokstäver, siffror och bindestreck."),
            ),
        ],
        description=_l("Hela eller en del, till exempel LS-2026-0012 eller LS-2026."),
    )
    vy = ListChoiceField(_l("Vy"), message=_l("Välj en vy i listan."))
    fran = day_field(_l("Från och med"), optional=True)
    till = day_field(_l("Till och med"), optional=True)

    def validate_till(self, field: Any) -> None:
        _last_not_before_first(self.fran.data, field.data)


class NewReviewForm(AppForm):
    period_start = day_field(_l("Periodens första dag"), optional=False)
    period_end = day_field(_l("Periodens sista dag"), optional=False)
    sample_percent = WholeNumberField(
        _l("Urvalets storlek i procent"),
        validators=[Optional(), between(1, 100)],
        description=_l(
            "Andel av de användare som läste ärendeinnehåll under perioden, 1–100. Minst en "
            "användare dras alltid. Tomt: 10 %."
        ),
    )

    def validate_period_end(self, field: Any) -> None:
        _last_not_before_first(self.period_start.data, field.data)
        if field.data is not None and field.data > datetime.now(STOCKHOLM).date():
            raise ValidationError(_l("Perioden kan inte sluta i framtiden."))


class OutcomeForm(AppForm):
    outcome = RadioField(
        _l("Resultat"),
        choices=options((k, OUTCOME_LABELS[k]) for k in ("ok", "remark")),
        validate_choice=False,
        validators=[required_choice(), AnyOf(("ok", "remark"), message=_l("Gör ett val."))],
    )
    comment = TextAreaField(
        _l("Kommentar"),
        validators=[Length(max=5000, message=_l("Skriv högst %(max)d tecken."))],
        description=_l(
            "Krävs vid anmärkning: vad som inte verkar ha haft stöd i behov, och vad "
            "som ska följas upp."
        ),
    )

    def validate_comment(self, field: Any) -> None:
        if self.outcome.data == "remark" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv vad anmärkningen gäller."))


class ConclusionForm(AppForm):
    conclusion = TextAreaField(
        _l("Slutsats"),
        validators=[required(), Length(max=10000, message=_l("Skriv högst %(max)d tecken."))],
        description=_l("Granskningens sammanfattning och vad som ska göras med anmärkningarna."),
    )
