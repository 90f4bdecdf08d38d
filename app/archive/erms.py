"""The case described for the archive: FGS Ärendehantering in the shape of E-ARK CITS ERMS
(schemas/ERMS.xsd), the file ``metadata/descriptive/arende.xml`` of the package.

One aggregation of type Casefile (the ärende: its reference, the committee's diarienummer, title,
status, dates, unit), with one record per handling, each pointing at its file in the package.
Only what the case's figures and codes say: the free text is in the documents themselves, which
the archive keeps under the same secrecy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import current_app
from flask_babel import force_locale

from app.documents.renderer import secrecy_text
from app.labels import CASE_TYPE_LABELS, state_label
from app.models import Case

from .contents import RECORD_TYPES, Record

NS = "https://DILCIS.eu/XML/ERMS"
SCHEMA_FILE = "ERMS.xsd"
PATH = "metadata/descriptive/arende.xml"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # Unqualified, in the ERMS namespace by the root's xmlns (as in app/archive/mets.py).
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def case_metadata(case: Case, records: Sequence[Record], now: datetime) -> bytes:
    # The archive's record is the authority's own, in Swedish whatever the operator's language.
    with force_locale("sv"):
        return _build(case, records, now)


def _build(case: Case, records: Sequence[Record], now: datetime) -> bytes:
    committee = f"{current_app.config['COMMITTEE_NAME']}, {current_app.config['MUNICIPALITY_NAME']}"
    secrecy = secrecy_text(case.case_type)
    root = ET.Element("ERMS", xmlns=NS)
    control = _el(root, "Control")
    _el(control, "Identification", committee, IdentificationType="Arkivbildare")
    _el(control, "Identification", "Lexflöde", IdentificationType="Verksamhetssystem")
    _el(control, "SecurityClass", secrecy)
    _el(_el(control, "Dates"), "Date", _when(now), DateType="Created")
    maintenance = _el(control, "MaintenanceInformation")
    _el(maintenance, "MaintenanceStatus", "new")
    _el(_el(maintenance, "MaintenanceAgency"), "AgencyName", committee)
    event = _el(_el(maintenance, "MaintenanceHistory"), "MaintenanceEvent")
    _el(event, "EventType", "Created")
    _el(event, "EventDateTime", _when(now))
    _el(_el(event, "Agent", AgentType="Deliverer"), "Name", committee)

    aggregation = _el(
        _el(root, "Aggregations"),
        "Aggregation",
        SystemIdentifier=str(case.id),
        AggregationType="Casefile",
    )
    _el(aggregation, "ObjectID", case.reference)
    for filing in case.filings:
        # The committee's diarienummer and IVO's point at records kept elsewhere.
        if filing.own_case_number:
            _el(aggregation, "ExtraID", filing.own_case_number, ExtraIDType="Diarienummer")
        if filing.ivo_case_number:
            _el(aggregation, "ExtraID", filing.ivo_case_number, ExtraIDType="IVO:s diarienummer")
    _el(aggregation, "SecurityClass", secrecy)
    type_label = str(CASE_TYPE_LABELS[case.case_type])
    _el(aggregation, "Title", f"{type_label} {case.reference}, {case.unit.name}")
    _el(aggregation, "Subject", type_label)
    # Closed, or ended by becoming another kind of case (reclassified, converted).
    _el(aggregation, "Status", "Closed" if case.state == "closed" else "Ad Acta")
    # The unit where it happened, under the committee that owns the case.
    owner = _el(_el(aggregation, "Agents"), "Agent", AgentType="Owner")
    _el(owner, "Name", str(current_app.config["COMMITTEE_NAME"]))
    _el(owner, "Organisation", str(current_app.config["MUNICIPALITY_NAME"]))
    _el(owner, "UnitName", case.unit.name)
    _el(aggregation, "Description", state_label(case.case_type, case.state))
    dates = _el(aggregation, "Dates")
    _el(dates, "Date", _when(case.received_at), DateType="Received")
    if case.closed_at is not None:
        _el(dates, "Date", _when(case.closed_at), DateType="Closed")
    for number, record in enumerate(records, start=1):
        _record(aggregation, case, number, record, secrecy)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _record(parent: ET.Element, case: Case, number: int, record: Record, secrecy: str) -> None:
    element = _el(
        parent,
        "Record",
        SystemIdentifier=f"{case.reference}/{number}",
        RecordType=RECORD_TYPES[record.kind],
    )
    _el(element, "ObjectID", f"{case.reference}-{number}")
    _el(element, "SecurityClass", secrecy)
    _el(element, "Title", record.title)
    _el(_el(element, "Dates"), "Date", _when(record.created_at), DateType="Created")
    _el(
        _el(element, "AdditionalInformation"),
        "Appendix",
        Name=record.name,
        Path=record.path,
        FileFormat=record.mimetype,
    )
