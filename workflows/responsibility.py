"""Who answers for a deadline, and to whom it escalates (DOMAIN.md §2, §4).

Escalation targets: ``superior`` is the managers of the unit above the case's unit (the manager's
superior); ``oversight`` the SAS or the MAS of the case; ``head_of_administration`` the managers
of the administration at the top of the unit tree. A target nobody fills falls back to the
SAS/MAS, so an escalation is never sent to no one.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Case, Deadline, DeadlineRule, User
from notifications.recipients import Recipients

from .permissions import deciding_role, investigating_role


def responsible_for(
    session: Session, case: Case, rule: DeadlineRule, owner: User | None = None
) -> tuple[str, int | None]:
    """The role (and the person, where there is one) that must meet a new deadline."""
    if rule.responsible == "action_owner" and owner is not None:
        return "action_owner", owner.id
    if rule.responsible == "investigator" or _complaint_to_oversight(session, case):
        return investigating_role(case), case.investigator_id
    if rule.responsible == "decider":
        return deciding_role(session, case.case_type) or investigating_role(case), None
    return "manager", None


def _complaint_to_oversight(session: Session, case: Case) -> bool:
    """Complaints the setting gives to the SAS/MAS rather than the unit's manager (§3.4)."""
    from app.models import get_setting

    return (
        case.case_type == "complaint"
        and get_setting(session, "complaint_investigator") == "sas_mas"
    )


def responsible_users(recipients: Recipients, deadline: Deadline) -> list[User]:
    """The person, else the role; a unit nobody manages (or an owner who left) falls to the
    managers above it, and with none anywhere to the SAS/MAS."""
    user = deadline.responsible_user
    if user is not None and user.active:
        return [user]
    case = deadline.case
    if deadline.responsible_role in ("manager", "action_owner"):
        users = recipients.unit_managers(case.unit)
    else:
        users = recipients.with_role(deadline.responsible_role)
    return users or recipients.with_role(investigating_role(case))


def escalation_users(recipients: Recipients, deadline: Deadline, level: int) -> list[User]:
    rule = deadline.rule
    target = rule.escalation_target if level == 1 else rule.second_escalation_target
    case = deadline.case
    users: list[User] = []
    if target == "superior":
        users = recipients.superiors(case.unit)
    elif target == "head_of_administration":
        users = recipients.head_of_administration(case.unit)
    return users or recipients.with_role(investigating_role(case))
