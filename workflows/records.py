"""Operations that record case content without moving the state: the report itself, the
investigation text, actions, attachments, and sending an early-filed case's investigation.

Each is a step declared in workflows/record_steps.py and taken through ``engine.recording``,
which asks that declaration who may take it and when, checks the caller's version, and writes
the history row and the deadlines with the operation's rows in one savepoint. The operations
validate through the same form classes as the UI; the caller's request commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.utils import secure_filename

from app.models import Action, AffectedPerson, Attachment, Case, CaseEvent, Investigation, User
from app.models.base import utcnow
from app.models.investigation import ITEM_KEYS, ITEMS, AnalysisParticipant, InvestigationItem
from app.security.uploads import MIME_TYPES, upload_problem
from forms.filing import InvestigationSentForm
from forms.investigation import ActionForm, ActionUpdateForm, InvestigationForm
from forms.report import ReportForm

from . import deadlines
from .engine import history_row, recordable, recording, validate_form
from .errors import InvalidData, NotAllowed
from .permissions import may_own_actions
from .record_steps import ATTACHMENT_TRIGGERS, ROW_OWNER, investigation_writable
from .references import next_reference
from .registry import flow_for
from .steps import investigation_gaps

Data = Mapping[str, Any] | MultiDict[str, Any] | None

__all__ = ["investigation_writable"]


def history(
    session: Session,
    case: Case,
    actor: User,
    role: str,
    trigger: str,
    data: dict[str, Any],
    comment: str = "",
) -> CaseEvent:
    """The row of a case coming into being (the report, or a case made from another)."""
    case.updated_at = utcnow()
    event = history_row(case, actor, role, trigger, None, data, comment)
    session.add(event)
    return event


def unit_choices(session: Session) -> list[tuple[int, str]]:
    """The active units cases are reported from, by path, in one query (a nation has thousands)."""
    from app.models.unit_tree import unit_choices as choices

    return choices(session)


def submit_report(
    session: Session,
    actor: User,
    data: Data,
    files: list[FileStorage] | None = None,
    *,
    case_type: str = "lex_sarah",
    upload_dir: Path | None = None,
) -> Case:
    if not actor.is_active:
        raise NotAllowed(_("Kontot är inte aktivt."))
    form = validate_form(ReportForm, data, unit_choices=unit_choices(session))
    return create_reported_case(session, actor, form.data, files, case_type, upload_dir)


def create_reported_case(
    session: Session,
    actor: User,
    d: Mapping[str, Any],
    files: list[FileStorage] | None,
    case_type: str,
    upload_dir: Path | None = None,
) -> Case:
    case = Case(
        case_type=case_type,
        state="submitted",
        unit_id=d["unit_id"],
        reporter_id=actor.id,
        reporter_name=actor.name,
        reporter_title=actor.title,
        reporter_employer=actor.employer,
        occurred_on=d["occurred_on"],
        occurred_time=d["occurred_time"],
        discovered_on=d["discovered_on"],
        location=(d["location"] or "").strip(),
        description=d["description"].strip(),
        reporter_actions=(d["reporter_actions"] or "").strip(),
        person_informed=d["person_informed"],
        affected=d.get("affected") or "unknown",
        harm=d.get("harm") or "unknown",
        medical_device=bool(d.get("medical_device")),
    )
    for person in d["persons"]:
        if any((person.get(k) or "").strip() for k in ("name", "personnummer", "description")):
            case.persons.append(
                AffectedPerson(
                    name=(person["name"] or "").strip(),
                    personnummer=_normal_personnummer(person["personnummer"]),
                    description=(person["description"] or "").strip(),
                )
            )
    case.reference, case.year, case.seq = next_reference(session, case_type)
    session.add(case)
    session.flush()
    for upload in files or []:
        if upload and upload.filename:
            upload.stream.seek(0)  # one upload may be stored for two linked cases
            _store_attachment(case, actor, upload, upload_dir)
    history(session, case, actor, "reporter", "submit", {"reference": case.reference})
    deadlines.on_event(session, case, "submit", None, case.state, actor=actor)
    session.flush()
    return case


def _normal_personnummer(value: str | None) -> str | None:
    from stdnum.se import personnummer

    if not value:
        return None
    # Stored with the century, so that the number means the same person in a hundred years.
    birth = personnummer.get_birth_date(value)
    # compact() keeps a twelve-digit number's century and its separator: take the last ten digits.
    digits = "".join(ch for ch in personnummer.compact(value) if ch.isdigit())[-10:]
    return f"{birth:%Y}"[:2] + digits[:6] + "-" + digits[6:]


def add_attachment(
    session: Session,
    case: Case,
    actor: User,
    upload: FileStorage,
    upload_dir: Path,
    section: str = "report",
    expected_version: int | None = None,
) -> Attachment:
    """A file added to one section of the case, by someone its step lets write there."""
    refusal = _("Du kan inte lägga till bilagor i det här ärendet.")
    trigger = ATTACHMENT_TRIGGERS.get(section)
    if trigger is None:
        raise NotAllowed(refusal)
    with recording(
        session, case, actor, trigger, expected_version=expected_version, refusal=refusal
    ) as ctx:
        attachment = _store_attachment(case, actor, upload, upload_dir, section)
        ctx.record = {"filename": attachment.filename}
    return attachment


def may_record(
    session: Session,
    actor: User,
    case: Case,
    trigger: str,
    sections: frozenset[str] | None = None,
) -> str | None:
    """The role ``actor`` takes a recording step in now, as its declaration says (its states,
    role rule, section and guards; ``sections`` if the caller has them already); None if not."""
    step = flow_for(case.case_type).declared(trigger)
    return recordable(session, actor, case, step, sections) if step is not None else None


def _name_and_extension(upload: FileStorage) -> tuple[str, str]:
    filename = secure_filename(upload.filename or "") or "bilaga"
    return filename, filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def attachment_problem(upload: FileStorage) -> str | None:
    """Why this file would not be taken as an attachment (its type or its content), or None;
    the stream is left at its start. The report form asks it of a file it keeps for later."""
    from flask import current_app

    allowed = current_app.config["ALLOWED_UPLOAD_EXTENSIONS"]
    extension = _name_and_extension(upload)[1]
    if extension not in allowed:
        return str(_("Tillåtna filtyper: %(types)s.", types=", ".join(allowed)))
    upload.stream.seek(0)
    problem = upload_problem(upload, extension, int(current_app.config["MAX_ATTACHMENT_BYTES"]))
    upload.stream.seek(0)
    return problem


def _store_attachment(
    case: Case, actor: User, upload: FileStorage, upload_dir: Path | None, section: str = "report"
) -> Attachment:
    from flask import current_app

    problem = attachment_problem(upload)
    if problem is not None:
        raise InvalidData(_("Bilagan kan inte tas emot."), {"attachments": [problem]})
    filename, extension = _name_and_extension(upload)
    target_dir = upload_dir or Path(current_app.instance_path) / current_app.config["UPLOAD_FOLDER"]
    target_dir.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    path = target_dir / stored_name
    upload.save(path)
    attachment = Attachment(
        filename=filename,
        stored_name=stored_name,
        # The type its content was checked against, not the one the browser claimed.
        content_type=MIME_TYPES.get(extension, "application/octet-stream"),
        size=path.stat().st_size,
        uploaded_by_id=actor.id,
        section=section,
    )
    case.attachments.append(attachment)
    return attachment


def save_investigation(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Investigation:
    with recording(
        session,
        case,
        actor,
        "update_investigation",
        expected_version=expected_version,
        refusal=_("Endast utredaren kan skriva i utredningen."),
    ) as ctx:
        form = validate_form(InvestigationForm, data, case=case)
        inv = case.investigation
        assert inv is not None  # noqa: S101  (the step's guard: investigation_writable)
        notes = _item_notes(form.data, case.case_type)
        now = utcnow()
        changed = []
        stamp = {
            "user_id": actor.id,
            "name": actor.name,
            "title": actor.title,
            "at": now.isoformat(),
        }
        for name, value in _investigation_values(form.data).items():
            if getattr(inv, name) != value:
                setattr(inv, name, value)
                changed.append(name)
        team = _participants(form.data["analysis_team"])
        if [(p.name, p.role, p.unit) for p in inv.analysis_team] != team:
            inv.analysis_team = [
                AnalysisParticipant(position=i, name=name, role=role, unit=unit)
                for i, (name, role, unit) in enumerate(team)
            ]
            changed.append("analysis_team")
        if changed:
            inv.item_authors = {**inv.item_authors, **{name: stamp for name in changed}}
        noted = _write_items(inv, case.case_type, notes, changed, actor, now)
        ctx.changed = bool(changed or noted)
        ctx.record = {"items": changed, "notes": noted} if noted else {"items": changed}
    return inv


def _item_notes(d: Mapping[str, Any], case_type: str) -> dict[str, tuple[str, str | None]]:
    """Each item's source and kind as sent; refused for an item this case type does not have."""
    own = {key for key, _fields in ITEMS[case_type]}
    notes = {
        key: ((d[f"{key}_source"] or "").strip(), d[f"{key}_kind"] or None) for key in ITEM_KEYS
    }
    foreign = {
        f"{key}_{part}": [_("Uppgiften finns inte i den här ärendetypens utredning.")]
        for key, (source, kind) in notes.items()
        if key not in own
        for part, value in (("source", source), ("kind", kind))
        if value
    }
    if foreign:
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), foreign)
    return {key: note for key, note in notes.items() if key in own}


def _participants(rows: list[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """The analysis team as typed, each row trimmed; a row left empty, or ticked for removal,
    is no participant."""
    team = [
        tuple((row.get(k) or "").strip() for k in ("name", "role", "unit"))
        for row in rows
        if not row.get("remove")
    ]
    return [(name, role, unit) for name, role, unit in team if name or role or unit]


def _write_items(
    inv: Investigation,
    case_type: str,
    notes: Mapping[str, tuple[str, str | None]],
    changed: list[str],
    actor: User,
    now: datetime,
) -> list[str]:
    """Makes ``actor`` the author of each item whose fields, source or kind this save changed:
    the acting user (an investigator or a co-investigator), with the name and title they have
    now, which later changes to their account leave as they were. Returns the items noted."""
    noted = []
    for key, fields in ITEMS[case_type]:
        source, kind = notes[key]
        row = inv.item(key)
        note_changed = (row.source, row.kind) != (source, kind) if row else bool(source or kind)
        if not (note_changed or any(f in changed for f in fields)):
            continue
        if row is None:
            row = InvestigationItem(item=key)
            inv.items.append(row)
        row.source, row.kind = source, kind
        row.written_by_id = actor.id
        row.written_by_name = actor.name
        row.written_by_title = actor.title or ""
        row.written_at = now
        if note_changed:
            noted.append(key)
    return noted


def _investigation_values(d: Mapping[str, Any]) -> dict[str, Any]:
    def yes_no(value: Any) -> bool | None:
        return {"yes": True, "no": False}.get(value)

    def number(value: Any) -> int | None:
        return int(value) if value not in (None, "", "None") else None

    return {
        "what_happened": (d["what_happened"] or "").strip(),
        "how_noticed": (d["how_noticed"] or "").strip(),
        "when_occurred": (d["when_occurred"] or "").strip(),
        "cause_areas": list(d["cause_areas"] or []),
        "underlying_causes": list(d["underlying_causes"] or []),
        "causes_text": (d["causes_text"] or "").strip(),
        "happened_before": (d["happened_before"] or "").strip(),
        "severity": number(d["severity"]),
        "likelihood": number(d["likelihood"]),
        "measures_text": (d["measures_text"] or "").strip(),
        "other_findings": (d["other_findings"] or "").strip(),
        "proposed_grade": d["proposed_grade"] or None,
        "grade_motivation": (d["grade_motivation"] or "").strip(),
        "event_types": list(d["event_types"] or []),
        "person_informed": yes_no(d["person_informed"]),
        "person_heard": yes_no(d["person_heard"]),
        "representative_informed": d["representative_informed"] or None,
        "noted_in_record": yes_no(d["noted_in_record"]),
        "police_report": d["police_report"] or None,
        "purpose": (d["purpose"] or "").strip(),
        "commissioner": (d["commissioner"] or "").strip(),
        "assignment_date": d["assignment_date"],
        "report_due_date": d["report_due_date"],
        "method": (d["method"] or "").strip(),
        "contributing_factors": (d["contributing_factors"] or "").strip(),
        "other_risks": (d["other_risks"] or "").strip(),
        "analysis_evaluation": (d["analysis_evaluation"] or "").strip(),
        "commissioner_comment": (d["commissioner_comment"] or "").strip(),
    }


FINAL_STATES = ("closed", "reclassified", "converted")


def add_action(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Action:
    with recording(
        session,
        case,
        actor,
        "add_action",
        expected_version=expected_version,
        refusal=_("Endast utredaren kan lägga till åtgärder."),
    ) as ctx:
        form = validate_form(ActionForm, data, case=case)
        owner = session.get(User, form.owner_id.data)
        if owner is None or not may_own_actions(session, owner, case):
            raise InvalidData(
                _("Uppgifterna är inte kompletta eller felaktiga."),
                {
                    "owner_id": [
                        _(
                            "Välj som ansvarig någon som kan arbeta med ärendet: utredaren, "
                            "enhetens chef eller SAS/MAS."
                        )
                    ]
                },
            )
        action = Action(
            description=form.description.data.strip(),
            owner_id=owner.id,
            due_on=form.due_on.data,
            created_by_id=actor.id,
        )
        case.actions.append(action)
        session.flush()
        ctx.action = action
        ctx.record = {
            "action_id": action.id,
            "owner_id": owner.id,
            "due_on": action.due_on.isoformat(),
        }
    return action


def update_action(
    session: Session,
    action: Action,
    actor: User,
    data: Data,
    expected_version: int | None = None,
) -> Action:
    case = action.case
    refusal = _("Endast utredaren eller den ansvarige kan ändra åtgärden.")
    with recording(
        session,
        case,
        actor,
        "update_action",
        expected_version=expected_version,
        refusal=refusal,
    ) as ctx:
        if ctx.role == ROW_OWNER and action.owner_id != actor.id:
            raise NotAllowed(refusal)
        _apply_update(action, data)
        ctx.action = action
        ctx.record = {"action_id": action.id, "status": action.status}
    return action


def _apply_update(action: Action, data: Data) -> None:
    form = validate_form(ActionUpdateForm, data, case=action.case)
    d = form.data
    errors: dict[str, list[str]] = {}
    if d["status"] == "completed":
        if d["completed_on"] is None:
            errors["completed_on"] = [_("Ange när åtgärden genomfördes.")]
        if not d["effect_achieved"]:
            errors["effect_achieved"] = [_("Ange om åtgärden ledde till önskad effekt.")]
    if d["status"] == "handed_over" and not (d["handed_over_note"] or "").strip():
        errors["handed_over_note"] = [_("Ange till vilken plan åtgärden överlämnats.")]
    if errors:
        raise InvalidData(_("Uppgifterna är inte kompletta eller felaktiga."), errors)
    action.status = d["status"]
    action.completed_on = d["completed_on"] if d["status"] == "completed" else None
    action.effect_achieved = d["effect_achieved"] or None
    action.effect_evaluation = (d["effect_evaluation"] or "").strip()
    action.handed_over_note = (d["handed_over_note"] or "").strip()


def record_investigation_sent(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Case:
    """Meets the obligation of an early-filed case: the completed investigation sent to IVO."""
    with recording(
        session,
        case,
        actor,
        "record_investigation_sent",
        expected_version=expected_version,
        refusal=_("Endast utredaren kan registrera detta."),
    ) as ctx:
        form = validate_form(InvestigationSentForm, data, case=case)
        inv = case.investigation
        assert inv is not None  # noqa: S101
        gaps = investigation_gaps(inv, case.case_type)
        if gaps:
            raise InvalidData(_("Utredningen är inte komplett."), gaps)
        inv.completed_at = utcnow()
        # Imported here: app.documents renders through the app, which imports the workflows.
        from app.documents import store_investigation

        store_investigation(session, case)
        sent_on: date = form.sent_on.data
        case.investigation_sent_to_ivo_on = sent_on
        ctx.record = {"sent_on": sent_on.isoformat()}
    return case
