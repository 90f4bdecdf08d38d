"""Lex Maria's own records: information to the patient (PSL 3 kap. 8 §) and the separate report
to Läkemedelsverket when a medical device was involved. Neither moves the state; closing needs
both (where they apply)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, PatientInformation, User
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm

from . import deadlines
from .engine import validate_form
from .errors import InvalidData, NotAllowed, WrongState
from .permissions import as_investigator
from .records import FINAL_STATES, history

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def _lex_maria_role(session: Session, case: Case, actor: User) -> str:
    if case.case_type != "lex_maria":
        raise WrongState(_("Gäller bara lex Maria-ärenden."))
    role = as_investigator(session, actor, case)
    if role is None:
        raise NotAllowed(_("Endast MAS kan registrera detta."))
    if case.state in FINAL_STATES:
        raise WrongState(_("Ärendet är avslutat."))
    return role


def record_patient_information(
    session: Session, case: Case, actor: User, data: Data
) -> PatientInformation:
    role = _lex_maria_role(session, case, actor)
    form = validate_form(PatientInformationForm, data, case=case)
    d = form.data
    if d["recipient"] == "relative" and not (d["recipient_name"] or "").strip():
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"recipient_name": [_("Ange vilken närstående som fick informationen.")]},
        )
    if not d["topics"]:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"topics": [_("Ange vad patienten eller närstående har fått veta.")]},
        )
    info = PatientInformation(
        informed_on=d["informed_on"],
        informed_by=d["informed_by"].strip(),
        recipient=d["recipient"],
        recipient_name=(d["recipient_name"] or "").strip(),
        topics=list(d["topics"]),
        noted_in_patient_record=bool(d["noted_in_patient_record"]),
        patient_account=(d["patient_account"] or "").strip(),
        recorded_by_id=actor.id,
    )
    case.patient_information.append(info)
    history(
        session,
        case,
        actor,
        role,
        "record_patient_information",
        {"informed_on": info.informed_on.isoformat(), "recipient": info.recipient},
    )
    deadlines.on_event(
        session, case, "record_patient_information", case.state, case.state, actor=actor
    )
    session.flush()
    return info


def record_medical_device_report(session: Session, case: Case, actor: User, data: Data) -> Case:
    role = _lex_maria_role(session, case, actor)
    if not case.medical_device:
        raise WrongState(_("Ingen medicinteknisk produkt är angiven i ärendet."))
    form = validate_form(MedicalDeviceReportForm, data, case=case)
    reported_on: date = form.reported_on.data
    case.medical_device_reported_on = reported_on
    history(
        session,
        case,
        actor,
        role,
        "record_medical_device_report",
        {"reported_on": reported_on.isoformat()},
    )
    session.flush()
    return case
