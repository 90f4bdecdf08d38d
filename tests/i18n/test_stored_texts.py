"""Fixed texts the workflow stores in Swedish (why a deadline was waived) are shown in the
reader's language; what a person wrote is shown as written."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from workflows.deadlines import waive_reasons

from .catalog import english


def _stored(app: Flask, value: str, locale: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return str(app.jinja_env.filters["stored"](value))


@pytest.mark.parametrize("reason", sorted(waive_reasons()))
def test_every_waive_reason_is_translated_when_shown(app: Flask, reason: str) -> None:
    translation = english()[reason]
    assert translation is not None
    assert translation.string
    assert _stored(app, reason, "en") == translation.string
    assert _stored(app, reason, "sv") == reason


def test_other_text_is_shown_as_written(app: Flask) -> None:
    assert _stored(app, "Före klockan.", "en") == "Före klockan."
    assert _stored(app, "50 % klart", "en") == "50 % klart"
    assert _stored(app, "", "en") == ""
