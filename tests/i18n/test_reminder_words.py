"""A deadline rule's reminders are typed and shown as words: Swedish words on Swedish pages,
English on English ones, and either is read whatever the page's language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from forms.admin import parse_reminders, reminders_text


@pytest.mark.parametrize(
    "typed",
    ["halvvägs, 1 arbetsdag", "halfway, 1 working day", "half, 1wd", "Halfway, 1 working  day"],
)
def test_reminders_are_read_in_either_language(typed: str) -> None:
    assert parse_reminders(typed) == ["half", "1wd"]


def test_the_other_units_in_english() -> None:
    assert parse_reminders("2 days before, 4 hours, 1 hour") == ["2d", "4h", "1h"]


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("sv", "halvvägs, 1 arbetsdag, 2 dagar, 4 timmar"),
        ("en", "halfway, 1 working day, 2 days, 4 hours"),
    ],
)
def test_reminders_are_shown_in_the_pages_language(app: Flask, locale: str, shown: str) -> None:
    with app.test_request_context(), force_locale(locale):
        assert reminders_text(["half", "1wd", "2d", "4h"]) == shown
        # What is shown can be typed back.
        assert parse_reminders(shown) == ["half", "1wd", "2d", "4h"]
