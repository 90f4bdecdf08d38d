"""Information to the patient after a care injury (PSL 3 kap. 8 §)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from app.labels import INFORMATION_TOPIC_LABELS, RECIPIENT_LABELS

from .base import StepForm, not_in_future, options, required, required_choice
from .investigation import CheckboxesField


def all_topics(_form: Any, field: Field) -> None:
    """PSL 3 kap. 8 § names six things the patient is told; information that leaves one out
    is not the information the law asks for (DOMAIN.md §3.2 rev. 2)."""
    missing = [
        label for key, label in INFORMATION_TOPIC_LABELS.items() if key not in (field.data or [])
    ]
    if missing:
        raise ValidationError(
            _l(
                "Informationen ska omfatta alla sex delar. Saknas: %(missing)s.",
                missing=", ".join(str(label) for label in missing),
            )
        )


class PatientInformationForm(StepForm):
    informed_on = DateField(_l("Datum för informationen"), validators=[required(), not_in_future])
    informed_by = StringField(
        _l("Informationen lämnades av"), validators=[required(), Length(max=200)]
    )
    recipient = RadioField(
        _l("Informationen lämnades till"),
        choices=options(RECIPIENT_LABELS.items()),
        validators=[required_choice()],
    )
    # Not Optional(): an empty name must still reach validate_recipient_name below.
    recipient_name = StringField(_l("Namn på närstående"), validators=[Length(max=200)])
    topics = CheckboxesField(
        _l("Patienten eller närstående har fått veta"),
        choices=options(INFORMATION_TOPIC_LABELS.items()),
        validators=[all_topics],
    )
    noted_in_patient_record = BooleanField(
        _l("Informationen är antecknad i patientjournalen"),
        validators=[
            DataRequired(
                message=_l("Informationen ska antecknas i patientjournalen (PSL 3 kap. 8 §).")
            )
        ],
    )
    patient_account = TextAreaField(
        _l("Patientens eller närståendes egen beskrivning av händelsen"),
        validators=[Optional(), Length(max=20000)],
    )

    def validate_recipient_name(self, field: Field) -> None:
        # A relative is informed when the patient asks or cannot take it in: which one is part
        # of the record.
        if self.recipient.data == "relative" and not (field.data or "").strip():
            raise ValidationError(_l("Ange vilken närstående som fick informationen."))


class MedicalDeviceReportForm(StepForm):
    reported_on = DateField(
        _l("Datum för rapport till Läkemedelsverket"), validators=[required(), not_in_future]
    )
