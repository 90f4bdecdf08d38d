"""Information to the patient after a care injury (PSL 3 kap. 8 §)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.labels import INFORMATION_TOPIC_LABELS, RECIPIENT_LABELS

from .base import StepForm, not_in_future, options, required, required_choice
from .investigation import CheckboxesField


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
    recipient_name = StringField(_l("Namn på närstående"), validators=[Optional(), Length(max=200)])
    topics = CheckboxesField(
        _l("Patienten eller närstående har fått veta"),
        choices=options(INFORMATION_TOPIC_LABELS.items()),
        validators=[Optional()],
    )
    noted_in_patient_record = BooleanField(_l("Informationen är antecknad i patientjournalen"))
    patient_account = TextAreaField(
        _l("Patientens eller närståendes egen beskrivning av händelsen"),
        validators=[Optional(), Length(max=20000)],
    )


class MedicalDeviceReportForm(StepForm):
    reported_on = DateField(
        _l("Datum för rapport till Läkemedelsverket"), validators=[required(), not_in_future]
    )
