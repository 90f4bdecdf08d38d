"""Everything the case page shows, built once per request: the sections this user may see,
the steps they may take, and one form per step — blank, or filled with what was just posted
and refused, with the operation's errors next to its fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import Form

from app.labels import ITEM_LABELS, TRIGGER_LABELS
from app.models import Case, User, current_co_investigators
from app.models.investigation import ITEM_KEYS
from app.models.unit_tree import unit_paths
from app.templating import apply_errors, error_list, flatten_errors
from forms.co_investigator import CoInvestigatorForm
from forms.feedback import FeedbackForm
from forms.filing import InvestigationSentForm, OwnCaseNumberForm
from forms.investigation import ActionForm, ActionUpdateForm, InvestigationForm
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm
from workflows import co_investigators, records, workdays
from workflows.deadlines import open_deadline_for
from workflows.definition import Flow
from workflows.diagram import describe_edges, render_svg, state_steps
from workflows.errors import WorkflowError
from workflows.permissions import action_owners, event_shown, visible_sections
from workflows.record_steps import ATTACHMENT_TRIGGERS
from workflows.registry import flow_for

from . import clock, investigation_items
from .assessment import deviation_context
from .clock import DeadlineView
from .decision import decide_form, decision_triggers, declared_decisions
from .linked import linked_cases, origin_histories
from .queries import actionable_triggers, active_users

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# The case page's parts, in the order a case goes through them, each with its anchor; a step
# is shown in the part of the section it writes (Step.section).
PHASES = (
    ("report", _l("Rapport"), "del-rapport"),
    ("measures", _l("Åtgärder"), "del-atgarder"),
    ("investigation", _l("Utredning"), "del-utredning"),
    ("decision", _l("Beslut"), "del-beslut"),
    ("ivo", _l("IVO"), "del-ivo"),
    ("follow_up", _l("Uppföljning"), "del-uppfoljning"),
    ("history", _l("Historik"), "del-historik"),
    ("documents", _l("Dokument"), "del-dokument"),
)
SECTION_PHASES = {
    "report": "report",
    "persons": "report",
    "measures": "measures",
    "actions": "measures",
    "investigation": "investigation",
    "decision": "decision",
    "filing": "ivo",
    "feedback": "follow_up",
    "messages": "follow_up",
    "history": "history",
}


@dataclass
class NextUp:
    """What the case waits for, from whom and by when: its nearest open deadline, and the step
    that meets it from the state the case is in (Step.meets)."""

    what: str
    who: str
    due: datetime
    remaining: str
    overdue: bool


def next_up(flow: Flow, case: Case, deadlines: list[DeadlineView]) -> NextUp | None:
    nearest = next((d for d in deadlines if d.deadline.is_open), None)
    if nearest is None:
        return None
    key = nearest.deadline.key
    step = next((s for s in flow.steps if key in s.meets and case.state in s.sources), None)
    what = str(TRIGGER_LABELS.get(step.trigger, step.trigger)) if step is not None else nearest.kind
    who = f"{nearest.responsible} ({nearest.person})" if nearest.person else nearest.responsible
    return NextUp(
        what=what,
        who=who,
        due=nearest.deadline.due_at,
        remaining=nearest.remaining,
        overdue=nearest.overdue,
    )


@dataclass
class Failure:
    """What was posted and refused: which form ("step", "decision", "investigation", "action",
    "action_update", "sent", "attachment", "patient_information", "medical_device",
    "feedback", "co_investigator"), its key
    (trigger or action id) and the error."""

    kind: str
    error: WorkflowError
    key: str | int | None = None
    data: MultiDict[str, Any] | None = None


def with_prefix(data: MultiDict[str, Any], prefix: str) -> MultiDict[str, Any]:
    return MultiDict([(f"{prefix}-{k}", v) for k, v in data.items(multi=True)])


def without_prefix(data: MultiDict[str, Any], prefix: str) -> MultiDict[str, Any]:
    """A step form's fields carry the step's name on the page (two steps both ask for a
    "motivation"); the operation reads plain names. Plain names are accepted as they are."""
    head = f"{prefix}-"
    return MultiDict([(k.removeprefix(head), v) for k, v in data.items(multi=True)])


def investigation_due(session: Session, case: Case) -> date | None:
    """An early-filed case's investigation goes to IVO within two months of the filing: the
    day its running ``investigation_to_ivo`` deadline says (None before the filing is recorded)."""
    deadline = open_deadline_for(session, case, "investigation_to_ivo")
    return deadline.due_at.astimezone(STOCKHOLM).date() if deadline is not None else None


def _form(
    cls: Any,
    failure: Failure | None,
    kind: str,
    key: str | int | None = None,
    prefix: str = "",
    **kwargs: Any,
) -> Form:
    if (
        failure is not None
        and failure.kind == kind
        and failure.key == key
        and failure.data is not None
    ):
        data = with_prefix(failure.data, prefix) if prefix else failure.data
        form: Form = cls(formdata=data, prefix=prefix, **kwargs)
        return form
    return cls(formdata=None, prefix=prefix, **kwargs)


def build(
    session: Session,
    user: User,
    case: Case,
    failure: Failure | None = None,
    team_rows: int = 1,
) -> dict[str, Any]:
    """``team_rows``: the empty rows the analysis team's list offers ("Lägg till deltagare")."""
    flow = flow_for(case.case_type)
    sections = visible_sections(session, user, case)
    triggers = actionable_triggers(session, user, case)
    if (
        failure is not None
        and failure.kind == "step"
        and failure.error.status == 409
        and isinstance(failure.key, str)
        and failure.key not in triggers
        and flow.step(failure.key) is not None
    ):
        # Someone else's step just closed this one: show the refused form again with what was
        # typed, so that nothing is lost, next to the message saying why.
        triggers = [*triggers, failure.key]

    # What the user may record now, as each recording step declares it (its states, its role
    # rule, its section): workflows/record_steps.py.
    def may(trigger: str) -> bool:
        return records.may_record(session, user, case, trigger, sections) is not None

    open_case = case.state not in flow.final

    # The decision steps are answered with one form (forms/decide.py), not one form each.
    decider_triggers = decision_triggers(flow, triggers)
    step_forms: dict[str, Form | None] = {}
    steps_by_phase: dict[str, list[str]] = {}
    for trigger in triggers:
        step = flow.step(trigger)
        if step is None or trigger in decider_triggers:
            continue
        steps_by_phase.setdefault(SECTION_PHASES.get(step.section, "investigation"), []).append(
            trigger
        )
        step_forms[trigger] = (
            _form(step.form, failure, "step", trigger, prefix=trigger, case=case)
            if step.form is not None
            else None
        )
    decision_choices = decider_triggers
    if (
        not decision_choices
        and failure is not None
        and failure.kind == "decision"
        and failure.error.status == 409
    ):
        # Someone else decided first: the refused form is shown again with what was typed.
        decision_choices = declared_decisions(flow)

    ctx: dict[str, Any] = {
        "case": case,
        "unit_path": unit_paths(session, [case.unit_id]).get(case.unit_id, ""),
        "flow": flow,
        "sections": sections,
        "triggers": triggers,
        "step_forms": step_forms,
        "decider_triggers": decider_triggers,
        "decision_form": (
            _form(
                decide_form,
                failure,
                "decision",
                prefix="decision",
                flow=flow,
                case=case,
                choices=decision_choices,
            )
            if decision_choices
            else None
        ),
        "phases": PHASES,
        "steps_by_phase": steps_by_phase,
        "state_steps": state_steps(flow, case.state),
        "failure": failure,
        "open_case": open_case,
        "diagram": Markup(render_svg(flow, case.state)),  # noqa: S704  (render_svg escapes all text)
        "edges_text": describe_edges(flow),
        "linked": linked_cases(session, user, case),
        "origin_histories": origin_histories(session, user, case),
        "event_shown": event_shown,
        "investigation_groups": investigation_items.groups_for(case.case_type),
        "investigation_heading": investigation_items.HEADINGS.get(case.case_type),
        "investigation_value": investigation_items.display,
        "investigation_notes_after": investigation_items.notes_after(case.case_type),
        "investigation_item_fields": investigation_items.item_fields(case.case_type),
        "item_labels": ITEM_LABELS.get(case.case_type, {}),
    }
    ctx["history_sections"] = {
        case.id: sections,
        **{o.id: visible_sections(session, user, o) for o in ctx["origin_histories"]},
    }
    deadlines = (
        clock.case_views(session, case, sections, workdays.now()) if "status" in sections else []
    )
    ctx["deadlines"] = deadlines
    ctx["overdue_deadlines"] = [d for d in deadlines if d.overdue]
    ctx["next_up"] = next_up(flow, case, deadlines)
    if "start_investigation" in step_forms:
        # The user is the blank option ("Jag själv"), so not listed a second time by name.
        ctx["investigator_choices"] = [
            (uid, name)
            for uid, name in active_users(session, flow.investigating_role)
            if uid != user.id
        ]
    if case.case_type == "deviation":
        ctx.update(deviation_context(session, case))
    if case.case_type == "complaint":
        from forms.complaint import ComplaintFindingsForm

        ctx["complaint_records"] = [
            t for t in ("update_findings", "record_unanswerable", "mark_spam") if may(t)
        ]
        complaint = case.complaint
        ctx["findings_form"] = _form(
            ComplaintFindingsForm,
            failure,
            "complaint",
            "update_findings",
            case=case,
            data={
                "findings": complaint.findings if complaint else "",
                "theme_ids": [t.id for t in complaint.themes] if complaint else [],
            },
        )

    writable = may("update_investigation") and records.investigation_writable(case)
    investigation_form = None
    if writable:
        investigation_form = investigation_items.relabel(
            _form(
                InvestigationForm, failure, "investigation", obj=_investigation_obj(case), case=case
            ),
            case.case_type,
        )
        if case.case_type == "lex_maria":
            _offer_empty_rows(investigation_form, team_rows)
    ctx["investigation_form"] = investigation_form

    can_add_action = may("add_action")
    ctx["action_form"] = _form(ActionForm, failure, "action", case=case) if can_add_action else None
    if can_add_action:
        ctx["owner_choices"] = [
            (u.id, ", ".join(filter(None, (u.name, u.title)))) for u in action_owners(session, case)
        ]
    # The handler updates every action; an action's owner their own (records.update_action).
    updates_all = may("update_action")
    owner_may = open_case and "actions" in sections
    ctx["action_update_forms"] = {
        action.id: _form(
            ActionUpdateForm,
            failure,
            "action_update",
            action.id,
            prefix=f"action-{action.id}",
            obj=action,
            case=case,
        )
        for action in case.actions
        if updates_all or (owner_may and action.owner_id == user.id)
    }

    obligation_open = case.early_filing and case.investigation_sent_to_ivo_on is None
    ctx["obligation_open"] = obligation_open
    ctx["investigation_due"] = investigation_due(session, case) if obligation_open else None
    ctx["sent_form"] = (
        _form(InvestigationSentForm, failure, "sent", case=case)
        if obligation_open and may("record_investigation_sent")
        else None
    )
    # The committee's diarienummer, for the IVO report, from the proposal to the decider on.
    ctx["own_number_form"] = (
        _form(
            OwnCaseNumberForm,
            failure,
            "own_case_number",
            case=case,
            own_case_number=case.own_case_number,
        )
        if may("record_own_case_number")
        else None
    )
    # Lex Maria's own records (PSL 3 kap. 8 §, Läkemedelsverket): the MAS records them while
    # the case is open.
    ctx["patient_information_form"] = (
        _form(
            PatientInformationForm, failure, "patient_information", case=case, informed_by=user.name
        )
        if may("record_patient_information")
        else None
    )
    ctx["device_form"] = (
        _form(MedicalDeviceReportForm, failure, "medical_device", case=case)
        if may("record_medical_device_report")
        and case.medical_device
        and case.medical_device_reported_on is None
        else None
    )
    # Feedback to the reporter: its own step from the investigation's completion on, shown in
    # the follow-up part with what has been given (the feedback section's phase).
    ctx["feedback_form"] = (
        _form(FeedbackForm, failure, "feedback", case=case) if may("record_feedback") else None
    )
    # The co-investigators (DOMAIN.md §2 rev. 2): who else writes the investigation, for those
    # who read it; the SAS or MAS adds and removes them.
    ctx["co_investigators"] = (
        current_co_investigators(session, case.id)
        if "investigation" in sections and flow.declared("add_co_investigator") is not None
        else []
    )
    ctx["co_investigator_form"] = (
        _form(CoInvestigatorForm, failure, "co_investigator", prefix="medutredare", case=case)
        if may("add_co_investigator")
        else None
    )
    ctx["co_investigator_choices"] = (
        co_investigators.candidates(session, case) if ctx["co_investigator_form"] else []
    )
    ctx["may_remove_co_investigator"] = may("remove_co_investigator")
    # One upload per section the user may add files to now (the step's declaration says).
    ctx["upload_sections"] = [s for s, trigger in ATTACHMENT_TRIGGERS.items() if may(trigger)]
    ctx["attachments_by_section"] = {
        section: [a for a in case.attachments if a.section == section]
        for section in ATTACHMENT_TRIGGERS
        if section in sections
    }
    ctx["investigation_labels"] = investigation_items.relabel(
        InvestigationForm(formdata=None, case=case, meta={"csrf": False}), case.case_type
    )
    ctx.update(sender_part(session, user, case, sections, may))
    ctx["error_items"], ctx["error_leftover"] = _place_errors(ctx, failure)
    if failure is not None and failure.key == "complete_investigation" and ctx["error_items"]:
        # Each gap is marked at its field in the investigation; the summary at the top does not
        # repeat a dozen of them far from the form, it leads to the first.
        count = len(ctx["error_items"])
        ctx["error_items"] = [
            (
                ctx["error_items"][0][0],
                ngettext(
                    "%(num)d uppgift i utredningen saknas. Den är markerad i formuläret.",
                    "%(num)d uppgifter i utredningen saknas. De är markerade i formuläret.",
                    count,
                ),
            )
        ]
    return ctx


def sender_part(
    session: Session, user: User, case: Case, sections: frozenset[str], may: Any
) -> dict[str, Any]:
    """The messages with a sender who has no account (DOMAIN.md §3.5 rev. 2), for those who
    handle the case; reading them is logged on its own."""
    from app.audit.access import record_read
    from app.public.operations import messages, receipt_of

    if "messages" not in sections or receipt_of(session, case) is None:
        return {"sender_thread": None}
    thread = messages(session, case)
    if thread:
        record_read(user, case, detail="meddelanden")
    return {
        "sender_thread": thread,
        "may_reply_to_sender": may("reply_to_sender"),
        "may_mark_spam": may("mark_spam") and not case.spam,
    }


def _place_errors(
    ctx: dict[str, Any], failure: Failure | None
) -> tuple[list[tuple[str, str]], list[str]]:
    """Puts the refusal's field errors next to their fields; returns the summary's links and the
    messages that have no field on the page (the step is no longer offered, say)."""
    if failure is None:
        return [], []
    remaining = dict(failure.error.field_errors)
    items: list[tuple[str, str]] = []
    # First the refused form; then the investigation form, since completing or sending an
    # investigation is refused for gaps in the saved investigation, not in the step's own form.
    failed = _failed_form(ctx, failure)
    for form in (
        failed,
        ctx["investigation_form"] if ctx["investigation_form"] is not failed else None,
    ):
        if form is None or not remaining:
            continue
        mine = {k: v for k, v in remaining.items() if k in form._fields}  # noqa: SLF001
        apply_errors(form, mine)
        items += error_list(form)
        remaining = {k: v for k, v in remaining.items() if k not in mine}
    labels: Form = ctx["investigation_labels"]
    leftover = []
    for name, messages in remaining.items():
        field_ = labels._fields.get(name)  # noqa: SLF001
        head = f"{field_.label.text}: " if field_ is not None else ""
        leftover += [head + message for message in flatten_errors(messages)]
    return items, leftover


def _failed_form(ctx: dict[str, Any], failure: Failure | None) -> Form | None:
    if failure is None:
        return None
    found: Form | None = {
        "step": lambda: ctx["step_forms"].get(str(failure.key)),
        "decision": lambda: ctx["decision_form"],
        "investigation": lambda: ctx["investigation_form"],
        "action": lambda: ctx["action_form"],
        "action_update": lambda: ctx["action_update_forms"].get(failure.key),
        "sent": lambda: ctx["sent_form"],
        "patient_information": lambda: ctx["patient_information_form"],
        "medical_device": lambda: ctx["device_form"],
        "feedback": lambda: ctx["feedback_form"],
        "co_investigator": lambda: ctx["co_investigator_form"],
        "own_case_number": lambda: ctx["own_number_form"],
    }.get(failure.kind, lambda: None)()
    return found


def _offer_empty_rows(form: Form, wanted: int) -> None:
    """Empty rows at the end of the analysis team's list, so that participants are added
    without JavaScript; a form shown again as typed keeps its rows and gets one if it has none."""
    team = form["analysis_team"]
    empty = 0
    for entry in reversed(team.entries):
        if any((entry.form[k].data or "").strip() for k in ("name", "role", "unit")):
            break
        empty += 1
    for _n in range(max(0, min(wanted, team.max_entries) - empty)):
        if len(team.entries) >= team.max_entries:
            break
        team.append_entry()


class _Obj:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _investigation_obj(case: Case) -> _Obj | None:
    """The saved investigation in the shape of InvestigationForm (yes/no, strings for numbers)."""
    inv = case.investigation
    if inv is None:
        return None

    def yes_no(value: bool | None) -> str | None:
        return None if value is None else ("yes" if value else "no")

    values = {
        name: getattr(inv, name)
        for name in InvestigationForm.__dict__
        if not name.startswith("_") and hasattr(inv, name)
    }
    values.update(
        severity=str(inv.severity) if inv.severity else "",
        likelihood=str(inv.likelihood) if inv.likelihood else "",
        proposed_grade=inv.proposed_grade or "",
        person_informed=yes_no(inv.person_informed),
        person_heard=yes_no(inv.person_heard),
        noted_in_record=yes_no(inv.noted_in_record),
        representative_informed=inv.representative_informed,
        analysis_team=list(inv.analysis_team),
    )
    for key in ITEM_KEYS:
        row = inv.item(key)
        values[f"{key}_source"] = row.source if row else ""
        values[f"{key}_kind"] = row.kind if row else None
    return _Obj(**values)
