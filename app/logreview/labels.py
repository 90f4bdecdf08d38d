"""The views of the access log named in words. A read is logged under the endpoint that handed
the content out (app/audit/access.py); one this table does not know is shown as it is logged."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

VIEW_LABELS = {
    "cases.case_page": _l("Ärendesidan"),
    "cases.fire_step": _l("Ärendesidan (efter ett steg)"),
    "cases.save_investigation": _l("Ärendesidan (utredningen sparad)"),
    "cases.add_action": _l("Ärendesidan (åtgärd tillagd)"),
    "cases.update_action": _l("Ärendesidan (åtgärd ändrad)"),
    "cases.upload_attachment": _l("Ärendesidan (bilaga uppladdad)"),
    "cases.patient_information": _l("Ärendesidan (information till patienten)"),
    "cases.medical_device_report": _l("Ärendesidan (anmälan till Läkemedelsverket)"),
    "cases.investigation_sent": _l("Ärendesidan (utredningen skickad)"),
    "cases.download_attachment": _l("Bilaga (nedladdning)"),
    "cases.case_document": _l("Dokument (PDF)"),
    "cases.case_list": _l("Ärendelistan"),
    "cases.inbox": _l("Att göra"),
    "cases.deadline_overview": _l("Tidsfrister"),
    "reports.my_reports": _l("Mina rapporter"),
    "api.case_detail": _l("API: ärendet"),
    "api.case_events": _l("API: ärendets historik"),
    "api.case_deadlines_view": _l("API: ärendets tidsfrister"),
    "api.case_document": _l("API: dokument (PDF)"),
    "api.list_cases": _l("API: ärendelistan"),
}


def view_label(view: str) -> str:
    return str(VIEW_LABELS.get(view, view))


# A sampled user's relation to a case they read (relations.py), short for the table, and said in
# full once above it.
RELATION_LABELS = {
    "investigator": _l("Tilldelad utredare"),
    "decider": _l("Beslutar om anmälan"),
    "unit": _l("Egen enhet"),
    "role": _l("Genom roll (SAS/MAS)"),
    "reporter": _l("Rapporterade händelsen"),
    "none": _l("Ingen koppling"),
    "gone": _l("Ärendet finns inte längre"),
}
RELATION_HINTS = {
    "investigator": _l("Användaren är utredare i ärendet."),
    "decider": _l(
        "Användaren har den roll som beslutar om anmälan till IVO, och ärendet väntar på eller har fått beslutet."
    ),
    "unit": _l("Användaren är chef för ärendets enhet eller för en enhet över den."),
    "role": _l("Användaren är SAS eller MAS och ser alla ärenden av det slaget."),
    "reporter": _l("Användaren rapporterade händelsen."),
    "none": _l("Ingen av behörigheterna ovan gäller nu: granska varför ärendet lästes."),
    "gone": _l("Loggen nämner ett ärende som inte finns kvar."),
}
