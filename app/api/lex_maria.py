"""Lex Maria's own records (workflows/lex_maria_records.py): the information given to the patient
(PSL 3 kap. 8 §) and the report to Läkemedelsverket about a medical device."""

from __future__ import annotations

from flask import Response, jsonify

from app import db
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm
from workflows import lex_maria_records

from . import bp
from .auth import caller
from .payload import checked_write, fields_of, visible_case, with_etag
from .sections import case_json, patient_information_json


@bp.post("/cases/<int:case_id>/patient-information")
def record_patient_information(case_id: int) -> tuple[Response, int]:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(PatientInformationForm)) as body:
        info = lex_maria_records.record_patient_information(session, case, user, body)
    payload = {
        "patient_information": patient_information_json(session, info),
        "case": case_json(session, user, case),
    }
    return with_etag(jsonify(payload), case), 201


@bp.post("/cases/<int:case_id>/medical-device-report")
def record_medical_device_report(case_id: int) -> Response:
    session = db.session()
    user = caller()
    case = visible_case(case_id)
    with checked_write(case, fields_of(MedicalDeviceReportForm)) as body:
        lex_maria_records.record_medical_device_report(session, case, user, body)
    return with_etag(jsonify({"case": case_json(session, user, case)}), case)
