"""Cases for the retention tests: walked to closed by the real operations, with a marker in every
free-text field and a named, numbered person, so that a purge can be checked by searching every
text column of every table for the marker."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app.models import Base, Case
from app.models.base import frozen_now
from app.models.investigation import ITEMS
from tests.factories import (
    CLOSE,
    FEEDBACK,
    FILING,
    IVO_RESPONSE,
    MEASURES,
    PATIENT_INFORMATION,
    REPORTS,
    World,
    assessment,
    deviation_investigation,
    investigation_data,
    lex_maria_investigation,
)
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.lex_maria_records import record_patient_information
from workflows.records import (
    add_action,
    add_attachment,
    save_investigation,
    submit_report,
    update_action,
)

MARK = "Qxzvmarkör"
NAME = "Zebulon Qxzvsson"
PERSONNUMMER = "19460315-1004"
NEEDLES = ("Qxzv", "460315")
# Long ago: more than any default limit before today.
OLD = datetime(2018, 5, 2, 9, 0, tzinfo=UTC)

INVESTIGATION_TEXT = (
    "what_happened",
    "how_noticed",
    "when_occurred",
    "causes_text",
    "happened_before",
    "measures_text",
    "other_findings",
    "grade_motivation",
    "purpose",
    "commissioner",
    "method",
    "contributing_factors",
    "other_risks",
    "analysis_evaluation",
    "commissioner_comment",
)
# Where marked_case puts the marker (or the person's name and number).
MARKED_COLUMNS = [
    "analysis_participants.name",
    "analysis_participants.role",
    "analysis_participants.unit",
    "actions.description",
    "actions.effect_evaluation",
    "actions.handed_over_note",
    "affected_persons.description",
    "affected_persons.name",
    "affected_persons.personnummer",
    "attachments.filename",
    "case_events.comment",
    "case_events.data",
    "cases.description",
    "cases.location",
    "cases.reporter_actions",
    "feedback.text",
    "decisions.motivation",
    "immediate_measures.measures",
    *(f"investigations.{name}" for name in INVESTIGATION_TEXT),
    "investigation_items.source",
    "ivo_responses.text",
    "patient_information.informed_by",
    "patient_information.patient_account",
    "patient_information.recipient_name",
]
INVESTIGATIONS = {
    "lex_sarah": investigation_data,
    "lex_maria": lex_maria_investigation,
    "deviation": deviation_investigation,
}
# Who investigates, decides and closes, per case type.
HANDLER = {"lex_sarah": "sas", "lex_maria": "mas", "deviation": "manager"}
DECIDER = {"lex_sarah": "chair", "lex_maria": "mas"}


def marked(what: str) -> str:
    return f"{MARK} {what}"


def upload(name: str) -> FileStorage:
    return FileStorage(
        stream=io.BytesIO(f"%PDF-1.4 {marked('bilaga')}".encode()),
        filename=name,
        content_type="application/pdf",
    )


def marked_case(session: Session, world: World, case_type: str) -> Case:
    """A case of ``case_type`` walked to closed with the marker in every text it can hold."""
    data = REPORTS[case_type](
        world.solgarden,
        description=marked("beskrivning"),
        location=marked("plats"),
        reporter_actions=marked("rapportörens åtgärder"),
        persons=[
            {"name": NAME, "personnummer": PERSONNUMMER, "description": marked("den enskilde")},
            {"name": "", "personnummer": "", "description": marked("en anhörig")},
        ],
    )
    case = submit_report(
        session,
        world.reporter,
        data,
        [upload(f"{MARK}-foto.pdf"), upload("journal.pdf")],
        case_type=case_type,
    )
    # Added later, so that the file name is in the history too.
    add_attachment(session, case, world.reporter, upload(f"{MARK}-senare.pdf"), _upload_dir())
    handler = getattr(world, HANDLER[case_type])
    if case_type == "deviation":
        fire(session, case, world.manager, "assess", assessment(session, severity=1, likelihood=1))
    else:
        measures = {**MEASURES, "measures": marked("omedelbara åtgärder")}
        fire(session, case, world.manager, "record_immediate_measures", measures)
        fire(session, case, handler, "start_investigation", comment=marked("start"))
    investigation = {
        **INVESTIGATIONS[case_type](),
        **{name: marked(name) for name in INVESTIGATION_TEXT},
    }
    # Each item's source, and for an event analysis its team (rev. 2).
    for key, _fields in ITEMS[case_type]:
        investigation[f"{key}_source"] = marked(f"källa {key}")
    if case_type == "lex_maria":
        investigation["analysis_team"] = [
            {"name": NAME, "role": marked("roll"), "unit": marked("enhet")},
        ]
    save_investigation(session, case, handler, investigation)
    _settled_actions(session, world, case, handler)
    fire(session, case, handler, "complete_investigation")
    if case_type != "deviation":
        _through_ivo(session, world, case, handler)
    record_feedback(session, case, handler, {**FEEDBACK, "feedback_text": marked("återkoppling")})
    fire(session, case, handler, "close", CLOSE, comment=marked("avslut"))
    assert case.state == "closed"
    return case


def _upload_dir() -> Path:
    from flask import current_app

    return Path(current_app.instance_path) / current_app.config["UPLOAD_FOLDER"]


def _settled_actions(session: Session, world: World, case: Case, handler: Any) -> None:
    due = (date.today() + timedelta(days=14)).isoformat()
    done = add_action(
        session,
        case,
        handler,
        {"description": marked("åtgärd 1"), "owner_id": world.manager.id, "due_on": due},
    )
    handed = add_action(
        session,
        case,
        handler,
        {"description": marked("åtgärd 2"), "owner_id": world.manager.id, "due_on": due},
    )
    update_action(
        session,
        done,
        handler,
        {
            "status": "completed",
            "completed_on": date.today().isoformat(),
            "effect_achieved": "yes",
            "effect_evaluation": marked("effekt"),
        },
    )
    update_action(
        session,
        handed,
        handler,
        {"status": "handed_over", "handed_over_note": marked("enhetens plan")},
    )


def _through_ivo(session: Session, world: World, case: Case, handler: Any) -> None:
    decider = getattr(world, DECIDER[case.case_type])
    fire(session, case, decider, "approve_filing", {"motivation": marked("beslut")})
    fire(session, case, handler, "record_filing", FILING)
    fire(session, case, handler, "record_ivo_response", {**IVO_RESPONSE, "text": marked("IVO")})
    if case.case_type == "lex_maria":
        info = {
            **PATIENT_INFORMATION,
            "informed_by": marked("sjuksköterska"),
            "recipient": "relative",
            "recipient_name": NAME,
            "patient_account": marked("patientens berättelse"),
        }
        record_patient_information(session, case, handler, info)


def old_marked_case(session: Session, world: World, case_type: str) -> Case:
    with frozen_now(OLD):
        return marked_case(session, world, case_type)


def text_hits(session: Session, needles: tuple[str, ...] = NEEDLES) -> list[str]:
    """Every (table.column) in the database whose value contains one of the needles."""
    session.flush()
    hits = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | JSON | LargeBinary)]
        for column in columns:
            for (value,) in session.execute(select(column).where(column.is_not(None))):
                text = _as_text(value)
                if any(n in text for n in needles):
                    hits.append(f"{table.name}.{column.name}")
                    break
    return sorted(set(hits))


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def all_rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary key order."""
    session.flush()
    rows = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns)
        rows[table.name] = [tuple(r) for r in session.execute(table.select().order_by(*order))]
    return rows


def files_in(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
