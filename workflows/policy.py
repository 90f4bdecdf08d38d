"""The deadline policy: which rules apply now, and a new version from the admin's edits.

The highest version applies to deadlines created from now on. A new version copies every rule of
the current one with the edits applied; deadlines already running keep pointing at the rules
they were created under (DOMAIN.md §4: a policy change never silently moves a running deadline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import DeadlinePolicy, DeadlineRule, User
from app.models.deadlines import BASIS_KINDS, CAP_ANCHORS, DURATION_UNITS, ESCALATION_TARGETS

from .deadline_plan import valid_reminder
from .errors import InvalidData, NotAllowed

# What the admin may change. The start event and the case type are the code's contract with
# the machines (workflows/deadlines.py), so they stay.
EDITABLE = (
    "duration_value",
    "duration_unit",
    "reminders",
    "escalation_target",
    "second_escalation_target",
    "second_escalation_after",
    "second_escalation_unit",
    "cap_months",
    "cap_anchor",
    "legal_basis",
    "basis_kind",
    "enabled",
)
COPIED = ("key", "case_type", "start_event", "responsible", *EDITABLE)


def current_policy(session: Session) -> DeadlinePolicy:
    policy = session.scalar(select(DeadlinePolicy).order_by(DeadlinePolicy.version.desc()).limit(1))
    if policy is None:
        raise LookupError("no deadline policy: run `flask db upgrade`")
    return policy


def current_rules(session: Session, case_type: str, start_event: str) -> list[DeadlineRule]:
    latest = select(func.max(DeadlinePolicy.version)).scalar_subquery()
    return list(
        session.scalars(
            select(DeadlineRule)
            .join(DeadlinePolicy)
            .where(
                DeadlinePolicy.version == latest,
                DeadlineRule.case_type == case_type,
                DeadlineRule.start_event == start_event,
                DeadlineRule.enabled.is_(True),
            )
            .order_by(DeadlineRule.id)
        )
    )


def new_policy_version(
    session: Session,
    actor: User,
    edits: Mapping[tuple[str, str], Mapping[str, Any]],
    note: str = "",
) -> DeadlinePolicy:
    """``edits`` maps (key, case type) to the changed fields of that rule."""
    if not actor.is_active or not actor.has_role("admin"):
        raise NotAllowed(_("Endast systemförvaltaren kan ändra tidsfristerna."))
    current = current_policy(session)
    known = {(r.key, r.case_type) for r in current.rules}
    errors: dict[str, list[str]] = {}
    for target, fields in edits.items():
        if target not in known:
            errors[":".join(target)] = [_("Okänd tidsfrist.")]
            continue
        for field_name, value in fields.items():
            message = _invalid(field_name, value)
            if message:
                errors.setdefault(f"{target[0]}:{target[1]}:{field_name}", []).append(message)
    if errors:
        raise InvalidData(_("Tidsfristerna innehåller fel."), errors)
    policy = DeadlinePolicy(version=current.version + 1, note=note.strip(), created_by_id=actor.id)
    for rule in current.rules:
        values = {name: getattr(rule, name) for name in COPIED}
        values.update(edits.get((rule.key, rule.case_type), {}))
        policy.rules.append(DeadlineRule(**values))
    _check_caps(policy)
    session.add(policy)
    session.flush()
    return policy


CHOICES: dict[str, tuple[str | None, ...]] = {
    "duration_unit": DURATION_UNITS,
    "second_escalation_unit": DURATION_UNITS[:3],
    "escalation_target": ESCALATION_TARGETS,
    "second_escalation_target": (*ESCALATION_TARGETS, None),
    "basis_kind": BASIS_KINDS,
    "cap_anchor": (*CAP_ANCHORS, None),
}


def _invalid(name: str, value: Any) -> str | None:
    """The error message for one edited field, or None."""
    if name not in EDITABLE:
        return str(_("Fältet kan inte ändras."))
    if name in CHOICES:
        ok = value in CHOICES[name]
        message = _("Ogiltigt val.")
    elif name in ("duration_value", "second_escalation_after", "cap_months"):
        ok = (value is None and name == "cap_months") or (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000
        )
        message = _("Ange ett heltal mellan 0 och 1000.")
    elif name == "reminders":
        ok = (
            isinstance(value, list)
            and len(value) <= 2
            and all(isinstance(v, str) and valid_reminder(v) for v in value)
        )
        message = _("Ange högst två påminnelser, t.ex. ”half” eller ”1wd”.")
    elif name == "legal_basis":
        ok = isinstance(value, str) and bool(value.strip())
        message = _("Ange grunden.")
    else:  # enabled
        ok = isinstance(value, bool)
        message = _("Ogiltigt val.")
    return None if ok else str(message)


def _check_caps(policy: DeadlinePolicy) -> None:
    for rule in policy.rules:
        if (rule.cap_months is None) != (rule.cap_anchor is None):
            raise InvalidData(
                _("Tidsfristerna innehåller fel."),
                {f"{rule.key}:{rule.case_type}:cap_months": [_("Ange både tak och utgångspunkt.")]},
            )
