"""Base for step forms: they know the case they act on, and read JSON as well as posted forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, ValidationError
from wtforms.validators import DataRequired, InputRequired

REQUIRED = _l("Fältet måste fyllas i.")


def options(pairs: Any) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def numbered(number: int, label: Any) -> LazyString:
    """'2 Måttlig' for a choice, made when shown: a choice list is built once, at import,
    and an f-string there would fix the label in whatever language was current then."""
    return LazyString("{} {}".format, number, label)


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def required_choice() -> InputRequired:
    return InputRequired(message=_l("Gör ett val."))


def not_in_future(_form: Any, field: Field) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("Datumet kan inte ligga i framtiden."))


class StepForm(FlaskForm):
    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)
