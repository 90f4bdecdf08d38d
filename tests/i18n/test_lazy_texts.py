"""Text made once, at import — the label dicts, the forms' labels, hints and choices — is lazy:
it becomes text when shown, in the reader's language. A plain string there would be Swedish on
every page, and a label left out would be WTForms' English one made from the field's name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator, Mapping
from typing import Any

from flask_babel import LazyString
from wtforms import Form
from wtforms.fields.core import UnboundField

import app.admin.policy
import app.cases.documents
import app.deadline_labels
import app.labels
import app.logreview.labels
import app.templating
import forms
from forms.account import LANGUAGE_NAMES

# Not language: each language's own name (forms/account.py) and the empty choice's dash.
NOT_LANGUAGE = {*LANGUAGE_NAMES.values(), "—"}


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}[{key!r}]")
    else:
        yield path, value


# Every module with a *_LABELS dict, besides forms/ (all read below).
LABEL_MODULES = (
    app.labels,
    app.deadline_labels,
    app.templating,
    app.admin.policy,
    app.cases.documents,
    app.logreview.labels,
)


def _label_dicts() -> Iterator[tuple[str, Any]]:
    modules = [
        importlib.import_module(f"forms.{i.name}") for i in pkgutil.iter_modules(forms.__path__)
    ]
    for module in (*LABEL_MODULES, *modules):
        for name, value in vars(module).items():
            if name.endswith("_LABELS") and isinstance(value, Mapping):
                yield from _leaves(value, f"{module.__name__}.{name}")


def _form_texts() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.iter_modules(forms.__path__):
        module = importlib.import_module(f"forms.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, Form) or cls.__module__ != module.__name__:
                continue
            for attr, field in vars(cls).items():
                if not isinstance(field, UnboundField):
                    continue
                where = f"{module.__name__}.{name}.{attr}"
                yield (
                    f"{where} label",
                    field.kwargs.get("label", field.args[0] if field.args else None),
                )
                if field.kwargs.get("description"):
                    yield f"{where} description", field.kwargs["description"]
                choices = field.kwargs.get("choices")
                for choice in choices if choices and not callable(choices) else []:
                    label = choice.label if hasattr(choice, "label") else choice[1]
                    # A numeral (a period's number) is not language either.
                    if label not in NOT_LANGUAGE and not str(label).isdigit():
                        yield f"{where} choice", label


def test_the_checks_find_texts() -> None:
    assert len(list(_label_dicts())) > 100
    assert len(list(_form_texts())) > 100


def test_label_dicts_are_lazy() -> None:
    plain = [
        f"{where} = {value!r}"
        for where, value in _label_dicts()
        if not isinstance(value, LazyString)
    ]
    assert not plain, "labels not through lazy_gettext:\n" + "\n".join(plain)


def test_form_labels_hints_and_choices_are_lazy() -> None:
    plain = [
        f"{where} = {value!r}"
        for where, value in _form_texts()
        if not isinstance(value, LazyString)
    ]
    assert not plain, "form texts not through lazy_gettext:\n" + "\n".join(plain)
