"""Who may see what, and in which role someone acts. Everything here denies by default.

Need to know (DOMAIN.md §2, §9): the investigating role sees its case type in full; the deciding
role sees cases awaiting or given its decision; a unit's manager sees the report, the immediate
measures and the actions of cases in their units; a reporter sees the status of and the feedback
on their own reports; a co-investigator (rev. 2) the investigation of the cases they were added
to, and where those stand; admin and log reviewer see no case content.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.models import (
    Case,
    Decision,
    User,
    co_investigated_case_ids,
    get_setting,
    unit_ids_managed_by,
)

ALL_SECTIONS = frozenset(
    {
        "report",
        "persons",
        "measures",
        "investigation",
        "actions",
        "decision",
        "filing",
        "history",
        "feedback",
        "status",
        # The messages with a sender who has no account (DOMAIN.md §3.5 rev. 2): its handlers'.
        "messages",
    }
)
MANAGER_SECTIONS = frozenset(
    {"report", "persons", "measures", "actions", "history", "feedback", "status"}
)
REPORTER_SECTIONS = frozenset({"report", "feedback", "status"})
# A co-investigator reads and writes the investigation and nothing else of the case (DOMAIN.md
# §2 rev. 2); "status" is the case's state and deadlines, without which the page and the list
# could not say where the investigation stands.
CO_INVESTIGATOR_SECTIONS = frozenset({"investigation", "status"})
# The role a co-investigator's entries in the history are written in.
CO_INVESTIGATOR = "co_investigator"

# The sections a reader must see to have each of the case's documents: a PDF holds more than
# its name says (the investigation's restates the report and lists the actions, the IVO report
# names the persons with their personnummer), so a co-investigator, who sees the investigation
# alone, has none of them.
DOCUMENT_SECTIONS = {
    "ivo_report": frozenset({"investigation", "report", "persons"}),
    "investigation": frozenset({"investigation", "report", "actions"}),
    "decision": frozenset({"decision", "report"}),
}

INVESTIGATING_ROLE = {"lex_sarah": "sas", "lex_maria": "mas"}
# The legal areas each oversight role answers for among deviations (DOMAIN.md §2, §3.3).
OVERSIGHT_AREAS = {"sas": ("SoL", "LSS"), "mas": ("HSL",)}


def investigating_role(case: Case) -> str:
    if case.case_type in INVESTIGATING_ROLE:
        return INVESTIGATING_ROLE[case.case_type]
    # A deviation in health care goes to the MAS, in social services and LSS to the SAS.
    return "mas" if "HSL" in deviation_areas(case) and len(deviation_areas(case)) == 1 else "sas"


def deviation_areas(case: Case) -> set[str]:
    """The legal areas a deviation belongs to: the assessed one, or before the assessment every
    area of its unit. A complaint belongs to the areas of every unit it concerns."""
    if case.case_type == "complaint":
        return complaint_areas(case)
    if case.assessment is not None:
        return {case.assessment.legal_area}
    return set(case.unit.legal_areas) if case.unit is not None else set()


def oversees(user: User, case: Case) -> bool:
    """The SAS sees all lex Sarah cases and SoL/LSS deviations; the MAS all lex Maria cases and
    HSL deviations (DOMAIN.md §2)."""
    if case.case_type in INVESTIGATING_ROLE:
        return user.has_role(INVESTIGATING_ROLE[case.case_type])
    areas = deviation_areas(case)
    return any(
        user.has_role(role) and bool(areas & set(answers))
        for role, answers in OVERSIGHT_AREAS.items()
    )


def deciding_role(session: Session, case_type: str) -> str | None:
    if case_type not in INVESTIGATING_ROLE:
        return None
    role: str = get_setting(session, f"deciding_role.{case_type}")
    return role


def manages(session: Session, user: User, case: Case) -> bool:
    if not user.has_role("manager"):
        return False
    managed = unit_ids_managed_by(session, user)
    return case.unit_id in managed or bool(complaint_unit_ids(case) & set(managed))


def co_investigates(session: Session, user: User, case: Case) -> bool:
    """Added to this case as a co-investigator and not removed since."""
    return case.id is not None and case.id in co_investigated_case_ids(session, user)


def is_decider(session: Session, user: User, case: Case) -> bool:
    role = deciding_role(session, case.case_type)
    if role is None or not user.has_role(role):
        return False
    if case.state == "awaiting_decision":
        return True
    return bool(session.scalar(select(exists().where(Decision.case_id == case.id))))


def visible_sections(session: Session, user: User, case: Case) -> frozenset[str]:
    if not user.is_active:
        return frozenset()
    if oversees(user, case) or is_decider(session, user, case):
        return ALL_SECTIONS
    sections: set[str] = set()
    if manages(session, user, case):
        # A deviation and a complaint are the manager's own to investigate; lex Sarah and lex
        # Maria are not.
        own = case.case_type in ("deviation", "complaint")
        sections |= ALL_SECTIONS if own else MANAGER_SECTIONS
    if case.reporter_id == user.id:
        sections |= REPORTER_SECTIONS
    if co_investigates(session, user, case):
        sections |= CO_INVESTIGATOR_SECTIONS
    return frozenset(sections)


def may_read_document(session: Session, user: User, case: Case, kind: str) -> bool:
    needed = DOCUMENT_SECTIONS.get(kind)
    return needed is not None and needed <= visible_sections(session, user, case)


def can_view(session: Session, user: User, case: Case) -> bool:
    return bool(visible_sections(session, user, case))


def event_shown(case: Case, trigger: str, sections: frozenset[str]) -> bool:
    """A history row's data and comment are for those who see the section its step writes
    (the step's declaration says which); the others see that it happened, and when."""
    from .registry import flow_for  # the flows import this module

    return flow_for(case.case_type).section_of(trigger) in sections


# Role rules for steps: each returns the role the user acts in, or None.


def as_reporter(session: Session, user: User, case: Case) -> str | None:
    return "reporter" if case.reporter_id == user.id else None


def as_unit_manager(session: Session, user: User, case: Case) -> str | None:
    return "manager" if manages(session, user, case) else None


def as_investigator(session: Session, user: User, case: Case) -> str | None:
    role = investigating_role(case)
    return role if user.has_role(role) else None


def as_decider(session: Session, user: User, case: Case) -> str | None:
    role = deciding_role(session, case.case_type)
    return role if role is not None and user.has_role(role) else None


def as_case_handler(session: Session, user: User, case: Case) -> str | None:
    """Who writes the investigation and owns the actions: the unit's manager for a deviation
    (investigated locally), the SAS or MAS otherwise."""
    if case.case_type == "deviation":
        return as_unit_manager(session, user, case)
    if case.case_type == "complaint":
        return as_complaint_handler(session, user, case)
    return as_investigator(session, user, case)


def as_investigation_writer(session: Session, user: User, case: Case) -> str | None:
    """Who writes the investigation: its handler, and the co-investigators the SAS or MAS has
    added to the case (in their own name; they complete, propose and decide nothing)."""
    role = as_case_handler(session, user, case)
    if role is not None:
        return role
    return CO_INVESTIGATOR if co_investigates(session, user, case) else None


# Complaints (DOMAIN.md §3.4): routed to the managers of the units they concern; the SAS
# (SoL/LSS) or MAS (HSL) of those units sees every one and may take every step.


def complaint_unit_ids(case: Case) -> set[int]:
    complaint = case.complaint if case.case_type == "complaint" else None
    ids = {u.id for u in complaint.units} if complaint is not None else set()
    return ids


def complaint_areas(case: Case) -> set[str]:
    complaint = case.complaint
    units = complaint.units if complaint is not None and complaint.units else [case.unit]
    return {area for unit in units if unit is not None for area in unit.legal_areas}


def as_complaint_overseer(session: Session, user: User, case: Case) -> str | None:
    """The SAS or MAS of the complaint's units, in that role."""
    areas = complaint_areas(case)
    for role, answers in OVERSIGHT_AREAS.items():
        if user.has_role(role) and areas & set(answers):
            return role
    return None


def as_complaint_sas(session: Session, user: User, case: Case) -> str | None:
    """Lex Sarah is the SAS's (SoL/LSS units): only they take a complaint on as one."""
    areas = set(OVERSIGHT_AREAS["sas"])
    return "sas" if user.has_role("sas") and complaint_areas(case) & areas else None


def as_complaint_mas(session: Session, user: User, case: Case) -> str | None:
    """Lex Maria is the MAS's (HSL units)."""
    areas = set(OVERSIGHT_AREAS["mas"])
    return "mas" if user.has_role("mas") and complaint_areas(case) & areas else None


def as_complaint_handler(session: Session, user: User, case: Case) -> str | None:
    """Who acknowledges, assigns, answers and closes: the SAS/MAS always; the units' managers
    unless the setting gives complaints to the SAS/MAS (``complaint_investigator``), and then
    still when the complaint was assigned to them."""
    overseer = as_complaint_overseer(session, user, case)
    if overseer is not None:
        return overseer
    if not manages(session, user, case):
        return None
    by_manager = get_setting(session, "complaint_investigator") == "manager"
    return "manager" if by_manager or case.investigator_id == user.id else None


# Who may own an action (DOMAIN.md §2). The owner is sent "Ny uppgift" and follows the action up
# from the case page, so only people who can open the case's actions and act on them.


def may_own_actions(session: Session, user: User, case: Case) -> bool:
    """Those who may update the case's actions (the update_action step's own rule: the case's
    handler), those who oversee the case (the SAS or MAS of its area), and its unit's managers,
    who own the actions of their units. An administrator or a manager of another unit would be
    given a task they cannot open."""
    from .record_steps import ROW_OWNER  # the flows import this module
    from .registry import flow_for

    if not user.is_active:
        return False
    step = flow_for(case.case_type).declared("update_action")
    # Owning another action of the case is no reason to be given this one.
    role = step.who(session, user, case) if step is not None else None
    return role not in (None, ROW_OWNER) or oversees(user, case) or manages(session, user, case)


def action_owners(session: Session, case: Case) -> list[User]:
    """Everyone who may own an action of ``case`` (may_own_actions), by name. The candidates
    are only narrowed here, to the holders of an oversight role and the managers of the case's
    unit and the units above it; may_own_actions decides."""
    from app.models import Unit, UnitManager, UserRole

    unit_ids: list[int] = []
    unit: Unit | None = case.unit
    while unit is not None:
        unit_ids.append(unit.id)
        unit = unit.parent
    candidates = session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(tuple(OVERSIGHT_AREAS))))
            | User.id.in_(select(UnitManager.user_id).where(UnitManager.unit_id.in_(unit_ids))),
        )
        .order_by(User.name, User.id)
    ).all()
    return [u for u in candidates if may_own_actions(session, u, case)]
