"""Lex Maria's own records: information to the patient (PSL 3 kap. 8 §) and the separate report
to Läkemedelsverket when a medical device was involved. Neither moves the state; closing needs
both where they apply: the information when the investigation found a care injury, the report
when a device was involved."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, PatientInformation, User
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm

from .engine import recording, validate_form

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def record_patient_information(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> PatientInformation:
    with recording(
        session,
        case,
        actor,
        "record_patient_information",
        expected_version=expected_version,
        refusal=_("Endast MAS kan registrera detta."),
    ) as ctx:
        info = _patient_information(data, case, actor)
        case.patient_information.append(info)
        ctx.record = {"informed_on": info.informed_on.isoformat(), "recipient": info.recipient}
    return info


def _patient_information(data: Data, case: Case, actor: User) -> PatientInformation:
    form = validate_form(PatientInformationForm, data, case=case)
    d = form.data
    return PatientInformation(
        informed_on=d["informed_on"],
        informed_by=d["informed_by"].strip(),
        recipient=d["recipient"],
        recipient_name=(d["recipient_name"] or "").strip(),
        topics=list(d["topics"]),
        # The form requires all six topics and the note (PSL 3 kap. 8 §, DOMAIN.md §3.2 rev. 2).
        noted_in_patient_record=bool(d["noted_in_patient_record"]),
        patient_account=(d["patient_account"] or "").strip(),
        recorded_by_id=actor.id,
    )


def record_medical_device_report(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Case:
    with recording(
        session,
        case,
        actor,
        "record_medical_device_report",
        expected_version=expected_version,
        refusal=_("Endast MAS kan registrera detta."),
    ) as ctx:
        form = validate_form(MedicalDeviceReportForm, data, case=case)
        reported_on: date = form.reported_on.data
        case.medical_device_reported_on = reported_on
        ctx.record = {"reported_on": reported_on.isoformat()}
    return case
