"""Every form in forms/ answers bad input in the page's language, WTForms' own messages included:
each form class is filled with text too long, values of the wrong type, choices not offered and
nothing at all, and its errors — subforms' too (the persons of a report) — hold none of WTForms'
English on a Swedish page and none of our Swedish on an English one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import flask_wtf
import pytest
import wtforms
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    MultipleFileField,
    SelectFieldBase,
    SelectMultipleField,
    TimeField,
)
from wtforms.fields.simple import FileField

import forms
from forms.base import AppForm, StepForm, SubForm, options
from forms.messages import SWEDISH

# Python's %-placeholders and str.format's, as WTForms and Flask-WTF fill them in.
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[a-z_]+\}")
TOO_LONG = "x" * 30_000


@cache
def library_messages() -> list[str | tuple[str, str]]:
    """Every message WTForms and Flask-WTF hand to gettext or ngettext, read from their source
    in the venv (a plural as its singular and plural)."""
    found: dict[Any, None] = {}
    for package in (wtforms, flask_wtf):
        folder = str(Path(str(package.__file__)).parent)
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder,
            method_map=[("**.py", "python")],
            keywords={"gettext": None, "ngettext": (1, 2)},
        ):
            found[message] = None
    return [m for m in found if m]


def _pattern(text: str) -> re.Pattern[str]:
    pieces = PLACEHOLDER.split(text)
    return re.compile(".*".join(re.escape(p) for p in pieces), re.S)


def english_patterns() -> list[re.Pattern[str]]:
    texts = [t for m in library_messages() for t in (m if isinstance(m, tuple) else (m,))]
    return [_pattern(t) for t in texts]


def bundled_swedish_patterns() -> list[re.Pattern[str]]:
    """WTForms' own Swedish catalogue, which forms/messages.py replaces ("Felaktigt val; kunde
    inte ceorce:a"): none of it should reach a page."""
    po = Path(wtforms.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "wtforms.po"
    with po.open("rb") as file:
        catalogue = read_po(file, locale="sv")
    ours = {t for v in SWEDISH.values() for t in (v if isinstance(v, tuple) else (v,))}
    texts = {
        str(t)
        for m in catalogue
        if m.id
        for t in (m.string if isinstance(m.string, tuple) else (m.string,))
        if t and t not in ours
    }
    return [_pattern(t) for t in texts]


def swedish_patterns() -> list[re.Pattern[str]]:
    texts = {t for v in SWEDISH.values() for t in (v if isinstance(v, tuple) else (v,))}
    return [_pattern(t) for t in texts]


def test_every_message_of_wtforms_and_flask_wtf_has_its_swedish():
    messages = library_messages()
    assert "This field is required." in messages
    assert "Invalid Choice: could not coerce." in messages
    missing = []
    for message in messages:
        key = message[0] if isinstance(message, tuple) else message
        swedish = SWEDISH.get(key)
        if swedish is None or isinstance(message, tuple) != isinstance(swedish, tuple):
            missing.append(message)
            continue
        for source, text in zip(
            message if isinstance(message, tuple) else (message,),
            swedish if isinstance(swedish, tuple) else (swedish,),
            strict=True,
        ):
            assert sorted(set(PLACEHOLDER.findall(source))) == sorted(
                set(PLACEHOLDER.findall(text))
            ), (source, text)
    assert not missing, f"WTForms messages without Swedish: {missing}"


# --- every form class ---------------------------------------------------------------------------


def form_classes() -> list[type[Form]]:
    found = []
    for info in pkgutil.iter_modules(forms.__path__):
        module = importlib.import_module(f"forms.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls.__module__ == module.__name__:
                found.append(cls)
    return [c for c in found if c not in (AppForm, SubForm, StepForm)]


def test_every_form_speaks_through_the_bases():
    """A form on FlaskForm or wtforms.Form directly would answer in WTForms' catalogue."""
    classes = form_classes()
    assert len(classes) > 25
    assert not [c for c in classes if not issubclass(c, (AppForm, SubForm))]


def leaves(fields: Any) -> Iterator[Any]:
    """The fields a browser posts, subforms' and lists' entries included."""
    for field in fields:
        if isinstance(field, FormField):
            yield from leaves(field.form)
        elif isinstance(field, FieldList):
            yield from leaves(field.entries)
        else:
            yield field


def bad_values(field: Any, kind: str) -> list[str]:
    """What to post for a field in one kind of bad input."""
    if isinstance(field, (FileField, MultipleFileField)) or field.name == "csrf_token":
        return []
    if kind == "empty":
        return [""]
    if isinstance(field, BooleanField):
        return ["y"]
    if isinstance(field, SelectMultipleField):
        return ["tolv", "987654"] if kind == "wrong" else ["987654"]
    if isinstance(field, SelectFieldBase):
        # Not a number (a coerce=int choice cannot even be converted), or a number not offered.
        return ["tolv"] if kind == "wrong" else ["987654"]
    if isinstance(field, (IntegerField, DecimalField, FloatField)):
        return ["tolv"]
    if isinstance(field, (DateField, DateTimeField, TimeField)):
        return ["i förrgår"]
    return [TOO_LONG]


def construct(cls: type[Form], formdata: MultiDict[str, str] | None) -> Any:
    kwargs: dict[str, Any] = {"formdata": formdata}
    if issubclass(cls, AppForm):
        kwargs["meta"] = {"csrf": False}
    parameters = inspect.signature(cls.__init__).parameters
    if "unit_choices" in parameters:
        kwargs["unit_choices"] = [(1, "Avdelning 1")]
    if "email" in parameters:
        kwargs["email"] = "anna@exempelby.se"
    if "years" in parameters:
        kwargs["years"] = [2025, 2026]
    form = cls(**kwargs)
    for field in leaves(form):
        # What a view fills in before showing the form; without any, WTForms raises.
        if isinstance(field, SelectFieldBase) and field.choices is None:
            field.choices = options([("1", "Ett"), ("2", "Två")])
    return form


def errors_of(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for inner in value.values():
            yield from errors_of(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from errors_of(inner)
    elif value:
        yield str(value)


def validate(app: Flask, cls: type[Form], kind: str, locale: str) -> list[str]:
    # A request of its own for each language: Flask-WTF keeps a request's catalogue.
    with app.test_request_context("/"), force_locale(locale):
        data: MultiDict[str, str] = MultiDict()
        for field in leaves(construct(cls, None)):
            for value in bad_values(field, kind):
                data.add(field.name, value)
        form = construct(cls, data)
        form.validate()
        return list(errors_of(form.errors))


KINDS = ("wrong", "not_offered", "empty")


@pytest.fixture(scope="module")
def classes() -> list[type[Form]]:
    return form_classes()


def all_errors(app: Flask, classes: list[type[Form]], locale: str) -> dict[str, list[str]]:
    return {
        f"{cls.__module__}.{cls.__name__} ({kind})": validate(app, cls, kind, locale)
        for cls in classes
        for kind in KINDS
    }


def leaking(errors: dict[str, list[str]], patterns: list[re.Pattern[str]]) -> dict[str, Any]:
    found = {
        where: [e for e in texts if any(p.fullmatch(e) for p in patterns)]
        for where, texts in errors.items()
    }
    return {where: texts for where, texts in found.items() if texts}


def test_no_wtforms_english_on_a_swedish_page(app, session, classes):
    errors = all_errors(app, classes, "sv")
    assert sum(len(e) for e in errors.values()) > 200  # the walk found plenty to refuse
    assert not leaking(errors, english_patterns())
    assert not leaking(errors, bundled_swedish_patterns())

    report = errors["forms.report.ReportForm (wrong)"]
    assert "Fältet får ha högst 200 tecken." in report  # a person's name, in the subform
    assert "Inte ett giltigt val." in report  # the unit: not even a number
    assert "Inte ett giltigt val." in errors["forms.report.ReportForm (not_offered)"]
    assert "Fältet måste fyllas i." in errors["forms.report.ReportForm (empty)"]
    assert "Ange ett heltal." in errors["forms.investigation.StartInvestigationForm (wrong)"]
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in report


def test_wtforms_messages_are_english_on_an_english_page(app, session, classes):
    errors = all_errors(app, classes, "en")
    assert not leaking(errors, swedish_patterns())

    report = errors["forms.report.ReportForm (wrong)"]
    assert "Field cannot be longer than 200 characters." in report
    assert (
        "Not a valid integer value." in errors["forms.investigation.StartInvestigationForm (wrong)"]
    )
    assert "Not a valid date value." in report


def test_a_posted_report_with_a_long_name_and_a_bad_unit_says_so_in_swedish(client, auth, world):
    auth.login(world.reporter.email)
    response = client.post(
        "/rapportera",
        data={"unit_id": "tolv", "description": "Något hände.", "persons-0-name": "x" * 201},
    )
    page = response.get_data(as_text=True)
    assert "Fältet får ha högst 200 tecken." in page
    assert "Inte ett giltigt val." in page
    assert not [p.pattern for p in english_patterns() if p.search(page)]
