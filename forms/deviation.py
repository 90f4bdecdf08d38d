"""The manager's assessment of a deviation and the SAS/MAS's conversion of an escalated one."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length

from app.labels import LEGAL_AREA_LABELS, LIKELIHOOD_LABELS, SEVERITY_LABELS

from .base import StepForm, numbered, options, required, required_choice


class AssessmentForm(StepForm):
    """Legal area, category, severity and likelihood: all mandatory, so no deviation passes
    without a severity."""

    legal_area = RadioField(
        _l("Verksamhetens lagrum"),
        choices=options(LEGAL_AREA_LABELS.items()),
        validators=[required_choice()],
    )
    category_id = SelectField(_l("Kategori"), coerce=int, validators=[required_choice()])
    severity = RadioField(
        _l("Allvarlighetsgrad"),
        coerce=int,
        choices=options((k, numbered(k, v)) for k, v in SEVERITY_LABELS.items()),
        validators=[required_choice()],
    )
    likelihood = RadioField(
        _l("Sannolikhet för upprepning"),
        coerce=int,
        choices=options((k, numbered(k, v)) for k, v in LIKELIHOOD_LABELS.items()),
        validators=[required_choice()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from app import db
        from app.models import Category

        categories = db.session().scalars(
            select(Category)
            .where(Category.active.is_(True))
            .order_by(Category.sort_order, Category.name)
        )
        self.category_id.choices = options(
            [(0, _l("Välj kategori")), *((c.id, c.name) for c in categories)]
        )

    def validate_category_id(self, field: Any) -> None:
        from wtforms import ValidationError

        if not field.data:
            raise ValidationError(_l("Välj en kategori."))


class ConvertForm(StepForm):
    comment = TextAreaField(_l("Motivering"), validators=[required(), Length(max=10000)])


class ReturnToManagerForm(StepForm):
    comment = TextAreaField(
        _l("Varför utreds avvikelsen lokalt?"), validators=[required(), Length(max=10000)]
    )


class LocalCloseForm(StepForm):
    feedback_text = TextAreaField(
        _l("Återkoppling till den som rapporterade"),
        validators=[required(), Length(max=10000)],
        description=_l("Visas för den som rapporterade."),
    )
