from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, Field, TextAreaField, ValidationError
from wtforms.validators import Length, Optional

from .base import REQUIRED, StepForm

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A clock a little ahead of the server's is not a time in the future.
SLACK = timedelta(minutes=5)


def not_a_future_time(_form: Any, field: Field) -> None:
    """The form's time is the manager's local (Swedish) time, without a zone."""
    now = datetime.now(STOCKHOLM).replace(tzinfo=None)
    if field.data is not None and field.data > now + SLACK:
        raise ValidationError(_l("Tidpunkten kan inte ligga i framtiden."))


class ImmediateMeasuresForm(StepForm):
    """What the manager did at once to protect the person (SoL 27 kap. 5 §) — or why nothing was needed."""

    measures = TextAreaField(
        _l("Vilka åtgärder vidtogs?"), validators=[Optional(), Length(max=10000)]
    )
    taken_at = DateTimeLocalField(
        _l("När vidtogs åtgärderna?"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), not_a_future_time],
    )
    none_needed = BooleanField(_l("Inga omedelbara åtgärder behövdes"))
    none_needed_reason = TextAreaField(
        _l("Varför behövdes inga åtgärder?"), validators=[Optional(), Length(max=10000)]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.none_needed.data:
            if not (self.none_needed_reason.data or "").strip():
                self.none_needed_reason.errors = [*self.none_needed_reason.errors, REQUIRED]
                ok = False
        else:
            if not (self.measures.data or "").strip():
                self.measures.errors = [*self.measures.errors, REQUIRED]
                ok = False
            if self.taken_at.data is None and not self.taken_at.errors:
                self.taken_at.errors = [*self.taken_at.errors, REQUIRED]
                ok = False
        return ok
