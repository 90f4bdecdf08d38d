"""The statistics page's period chooser (DOMAIN.md §8 rev. 2): a calendar year (the default), a
tertial, a quarter or a month of it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, ValidationError

from .base import AppForm, options

PERIOD_KIND_LABELS = {
    "year": _l("Helår"),
    "tertial": _l("Tertial"),
    "quarter": _l("Kvartal"),
    "month": _l("Månad"),
}
# How many periods of each kind a year has.
PERIODS_PER_YEAR = {"year": 1, "tertial": 3, "quarter": 4, "month": 12}


class PeriodForm(AppForm):
    """Sent with GET: the field names are the query string of a page one can bookmark."""

    year = SelectField(
        _l("År"),
        coerce=int,
        validate_choice=False,
    )
    period = SelectField(
        _l("Period"),
        choices=options(PERIOD_KIND_LABELS.items()),
        default="year",
        validate_choice=False,
    )
    number = SelectField(
        _l("Vilken (tertial 1–3, kvartal 1–4, månad 1–12)"),
        coerce=int,
        choices=options((n, str(n)) for n in range(1, 13)),
        default=1,
        validate_choice=False,
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year.choices = options((y, str(y)) for y in years)

    def validate_year(self, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Välj ett år i listan."))

    def validate_period(self, field: Any) -> None:
        if field.data not in PERIOD_KIND_LABELS:
            raise ValidationError(_l("Välj helår, tertial, kvartal eller månad."))

    def validate_number(self, field: Any) -> None:
        most = PERIODS_PER_YEAR.get(self.period.data, 1)
        if self.period.data != "year" and not 1 <= (field.data or 0) <= most:
            raise ValidationError(
                _l("Välj ett nummer från 1 till %(most)d för perioden.", most=most)
            )
