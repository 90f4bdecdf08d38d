"""A records request (begäran om allmän handling): which of the case's documents, for whom, and
the names in the text to mask besides those the case knows (DOMAIN.md §9 rev. 2)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import Length, Optional

from .base import StepForm, options
from .investigation import CheckboxesField


class RecordsRequestForm(StepForm):
    documents = CheckboxesField(_l("Handlingar som begärs ut"))
    requester = StringField(
        _l("Vem begär ut handlingarna?"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "Frivilligt. Den som begär ut en allmän handling behöver inte uppge vem hen är."
        ),
    )
    requester_reference = StringField(
        _l("Beställarens referens"), validators=[Optional(), Length(max=100)]
    )
    redact_terms = TextAreaField(
        _l("Fler namn att maskera"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Ett namn eller ord per rad, till exempel namn som förekommer i fritexten. De berörda "
            "personernas och rapportörens namn och alla personnummer maskeras alltid. Det du "
            "skriver här sparas inte."
        ),
    )

    def __init__(self, *args: Any, kinds: tuple[tuple[str, Any], ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the documents the case has now are offered.
        self.documents.choices = options(kinds)

    def validate_documents(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Välj minst en handling."))
