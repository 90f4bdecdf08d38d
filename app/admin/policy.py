"""The deadline policy as the administrator sees and edits it (DOMAIN.md §4): the current
version's rules, the versions before it and what each changed, and one rule's edit — which
writes a new version through workflows.policy and leaves running deadlines on theirs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.datastructures import MultiDict

from app.audit.admin_trail import record
from app.deadline_labels import DEADLINE_LABELS
from app.labels import CASE_TYPE_LABELS
from app.models import DeadlinePolicy, DeadlineRule, User
from forms.admin import (
    BASIS_KIND_CHOICES,
    CAP_ANCHOR_LABELS,
    DURATION_UNIT_LABELS,
    ESCALATION_TARGET_LABELS,
    RULE_FIELD_LABELS,
    DeadlineRuleForm,
    reminders_text,
)
from workflows import policy
from workflows.engine import validate_form
from workflows.errors import InvalidData

from .operations import require_admin
from .versions import check_unchanged

Data = Mapping[str, Any] | MultiDict[str, Any] | None

# The event that starts a rule's deadline, as the page names it.
START_EVENT_LABELS = {
    "report_received": _l("Rapporten kom in"),
    "investigation_started": _l("Utredningen startade"),
    "proposal_made": _l("Förslag till beslut lämnades"),
    "decision_to_file": _l("Beslut om anmälan till IVO"),
    "early_filing": _l("Tidig anmälan (räknat från rapporten)"),
    "action_created": _l("Åtgärden lades till"),
    "case_closed": _l("Ärendet avslutades"),
    # DOMAIN.md rev. 2: the early-filed investigation counts from the filing, the feedback from
    # the investigation's completion (the two above remain for earlier policy versions).
    "early_filing_recorded": _l("Tidig anmälan registrerad (räknat från anmälningsdagen)"),
    "investigation_completed": _l("Utredningen slutfördes"),
    "assessment": _l("Avvikelsen bedömdes"),
    "complaint_received": _l("Synpunkten eller klagomålet kom in"),
}
# Who answers for the rule's deadlines, as the rule says it (the deadline then names the role).
RESPONSIBLE_RULE_LABELS = {
    "manager": _l("Enhetschefen"),
    "investigator": _l("Utredaren (SAS eller MAS)"),
    "decider": _l("Den som beslutar om anmälan"),
    "action_owner": _l("Den som ansvarar för åtgärden"),
}


def rule_label(rule: DeadlineRule) -> str:
    return _(
        "%(kind)s (%(type)s)",
        kind=DEADLINE_LABELS.get(rule.key, rule.key),
        type=CASE_TYPE_LABELS.get(rule.case_type, rule.case_type),
    )


def show(name: str, value: Any) -> str:
    """One rule field's value as the pages write it."""
    if value is None or value == "":
        return "–"
    if name in ("duration_unit", "second_escalation_unit"):
        return str(DURATION_UNIT_LABELS.get(value, value))
    if name in ("escalation_target", "second_escalation_target"):
        return str(ESCALATION_TARGET_LABELS.get(value, value))
    if name == "cap_anchor":
        return str(CAP_ANCHOR_LABELS.get(value, value))
    if name == "basis_kind":
        return str(BASIS_KIND_CHOICES.get(value, value))
    if name == "reminders":
        return reminders_text(value) or _("inga")
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return str(value)


def current(session: Session) -> DeadlinePolicy:
    return policy.current_policy(session)


def rules_of(session: Session, version: int) -> DeadlinePolicy | None:
    return session.scalars(
        select(DeadlinePolicy)
        .where(DeadlinePolicy.version == version)
        .options(selectinload(DeadlinePolicy.rules))
    ).first()


def find_rule(session: Session, case_type: str, key: str) -> DeadlineRule | None:
    return next(
        (r for r in current(session).rules if r.key == key and r.case_type == case_type), None
    )


def rule_values(rule: DeadlineRule) -> dict[str, Any]:
    """A rule as its form's data."""
    values = {name: getattr(rule, name) for name in policy.EDITABLE}
    values["second_escalation_target"] = rule.second_escalation_target or ""
    values["cap_anchor"] = rule.cap_anchor or ""
    return values


@dataclass
class Change:
    rule: str
    field: str
    old: str
    new: str


@dataclass
class Version:
    policy: DeadlinePolicy
    author: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.policy.version

    @property
    def created_at(self) -> datetime:
        return self.policy.created_at


def history(session: Session) -> list[Version]:
    """Every version, newest first, each with what it changed from the one before."""
    policies = list(
        session.scalars(
            select(DeadlinePolicy)
            .order_by(DeadlinePolicy.version)
            .options(selectinload(DeadlinePolicy.rules))
        )
    )
    ids = {p.created_by_id for p in policies if p.created_by_id is not None}
    names = {i: n for i, n in session.execute(select(User.id, User.name).where(User.id.in_(ids)))}
    versions: list[Version] = []
    previous: dict[tuple[str, str], DeadlineRule] = {}
    for p in policies:
        version = Version(p, names.get(p.created_by_id) if p.created_by_id else None)
        rules = {(r.key, r.case_type): r for r in p.rules}
        if previous:
            for target, rule in rules.items():
                before = previous.get(target)
                if before is None:
                    continue
                for name in policy.EDITABLE:
                    old, new = getattr(before, name), getattr(rule, name)
                    if old != new:
                        version.changes.append(
                            Change(
                                rule_label(rule),
                                str(RULE_FIELD_LABELS[name]),
                                show(name, old),
                                show(name, new),
                            )
                        )
        versions.append(version)
        previous = rules
    return list(reversed(versions))


def edit_rule(
    session: Session, actor: User, rule: DeadlineRule, data: Data
) -> DeadlinePolicy | None:
    """A new policy version with this rule's changes; None when nothing changed."""
    require_admin(actor)
    check_unchanged(data, rule_values(rule))
    form = validate_form(DeadlineRuleForm, data)
    d = form.data
    values: dict[str, Any] = {
        "duration_value": d["duration_value"],
        "duration_unit": d["duration_unit"],
        "reminders": d["reminders"],
        "escalation_target": d["escalation_target"],
        "second_escalation_target": d["second_escalation_target"] or None,
        "second_escalation_after": d["second_escalation_after"],
        "second_escalation_unit": d["second_escalation_unit"],
        "cap_months": d["cap_months"],
        "cap_anchor": d["cap_anchor"] or None,
        "legal_basis": d["legal_basis"].strip(),
        "basis_kind": d["basis_kind"],
        "enabled": bool(d["enabled"]),
    }
    # An action's deadline is its own date; no other deadline has one to fall on.
    if (values["duration_unit"] == "own_date") != (rule.duration_unit == "own_date"):
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {
                "duration_unit": [
                    _(
                        "Bara åtgärdernas tidsfrister räknas till åtgärdens eget slutdatum, och de kan inte räknas på annat sätt."
                    )
                ]
            },
        )
    edits = {name: value for name, value in values.items() if value != getattr(rule, name)}
    if not edits:
        return None
    try:
        new = policy.new_policy_version(
            session, actor, {(rule.key, rule.case_type): edits}, note=d["note"] or ""
        )
    except InvalidData as error:
        # The policy names fields "key:case_type:field"; the form knows them by their own names.
        raise InvalidData(
            error.message,
            {name.rsplit(":", 1)[-1]: messages for name, messages in error.field_errors.items()},
        ) from error
    record(
        session,
        "deadline_policy",
        "deadline_policy",
        new.id,
        f"{rule_label(rule)}, version {new.version}",
        {"rule": f"{rule.case_type}:{rule.key}", **{n: getattr(rule, n) for n in edits}},
        {"rule": f"{rule.case_type}:{rule.key}", **edits},
        reason=d["note"] or "",
    )
    session.flush()
    return new
