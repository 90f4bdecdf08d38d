from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, TextAreaField
from wtforms.validators import Length, Optional

from .base import REQUIRED, StepForm


class ImmediateMeasuresForm(StepForm):
    """What the manager did at once to protect the person (SoL 27 kap. 5 §) — or why nothing was needed."""

    measures = TextAreaField(
        _l("Vilka åtgärder vidtogs?"), validators=[Optional(), Length(max=10000)]
    )
    taken_at = DateTimeLocalField(
        _l("När vidtogs åtgärderna?"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
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
