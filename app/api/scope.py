"""permissions.can_view as a WHERE clause, so that a page of cases is a page of visible cases.

Mirrors workflows/permissions.py rule by rule; tests/test_api_cases_list.py checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from app.models import Case, Decision, Unit, User, unit_ids_managed_by
from workflows.permissions import INVESTIGATING_ROLE, deciding_role


def visible_cases(session: Session, user: User) -> ColumnElement[bool]:
    if not user.is_active:
        return false()
    clauses: list[ColumnElement[bool]] = [Case.reporter_id == user.id]
    for case_type, role in INVESTIGATING_ROLE.items():
        if user.has_role(role):
            clauses.append(Case.case_type == case_type)
    # A deviation goes to the MAS when its unit is health care only, else to the SAS
    # (permissions.investigating_role).
    health_care_only = Case.unit_id.in_(select(Unit.id).where(Unit.legal_areas_csv == "HSL"))
    if user.has_role("mas"):
        clauses.append(and_(Case.case_type == "deviation", health_care_only))
    if user.has_role("sas"):
        clauses.append(and_(Case.case_type == "deviation", ~health_care_only))
    decided = exists().where(Decision.case_id == Case.id)
    for case_type in INVESTIGATING_ROLE:
        decider = deciding_role(session, case_type)
        if decider is not None and user.has_role(decider):
            clauses.append(and_(Case.case_type == case_type,
                                or_(Case.state == "awaiting_decision", decided)))
    if user.has_role("manager"):
        units = unit_ids_managed_by(session, user)
        if units:
            clauses.append(Case.unit_id.in_(units))
    return or_(*clauses)
