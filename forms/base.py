"""Bases for the forms: every form speaks the page's language, WTForms' own messages included
(AppForm, SubForm), and step forms know the case they act on and read JSON as well as posted
forms (StepForm)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, ValidationError
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, InputRequired

from .messages import MESSAGES, FormMessages

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


class AppForm(FlaskForm):
    """Every form of the application. WTForms' own messages (a field left empty, too long, not
    a number, not one of the choices) come from forms/messages.py in the page's language, not
    from WTForms' Swedish catalogue, which is incomplete and partly wrong."""

    class Meta:
        def get_translations(self, form: Any) -> FormMessages:
            return MESSAGES


class SubForm(PlainForm):
    """A form inside another (FormField, FieldList of FormFields): no CSRF token of its own, and
    the same messages — a plain wtforms.Form would ask for no translations and answer in
    WTForms' English."""

    class Meta:
        def get_translations(self, form: Any) -> FormMessages:
            return MESSAGES


class StepForm(AppForm):
    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)
