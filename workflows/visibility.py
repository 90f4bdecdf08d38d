"""permissions.can_view as a WHERE clause, so that a page of cases is a page of visible cases.

Mirrors workflows/permissions.py rule by rule, next to it so that the two change together;
tests/test_api_cases_list.py and tests/test_api_case_types.py check they agree for every test
user.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, literal, or_, select
from sqlalchemy.orm import Session

from app.models import Case, Decision, DeviationAssessment, Unit, User, unit_ids_managed_by

from .permissions import INVESTIGATING_ROLE, deciding_role


def visible_cases(session: Session, user: User) -> ColumnElement[bool]:
    if not user.is_active:
        return false()
    clauses: list[ColumnElement[bool]] = [Case.reporter_id == user.id]
    for case_type, role in INVESTIGATING_ROLE.items():
        if user.has_role(role):
            clauses.append(Case.case_type == case_type)
    # permissions.oversees: the SAS sees SoL/LSS deviations, the MAS HSL ones.
    overseen = [
        a
        for role, areas in (("sas", ("SoL", "LSS")), ("mas", ("HSL",)))
        if user.has_role(role)
        for a in areas
    ]
    if overseen:
        clauses.append(and_(Case.case_type == "deviation", deviation_in_areas(overseen)))
    decided = exists().where(Decision.case_id == Case.id)
    for case_type in INVESTIGATING_ROLE:
        decider = deciding_role(session, case_type)
        if decider is not None and user.has_role(decider):
            clauses.append(
                and_(Case.case_type == case_type, or_(Case.state == "awaiting_decision", decided))
            )
    if user.has_role("manager"):
        units = unit_ids_managed_by(session, user)
        if units:
            clauses.append(Case.unit_id.in_(units))
    return or_(*clauses)


def deviation_in_areas(areas: list[str]) -> ColumnElement[bool]:
    """permissions.deviation_areas meets ``areas``: the assessed legal area, or before the
    assessment any of the unit's areas."""
    # The assessed area as a value looked up per case (one probe of the unique index on
    # deviation_assessments.case_id): EXISTS under OR is planned by PostgreSQL as a hash of
    # every assessment in the deployment, built again for each query.
    assessed_area = (
        select(DeviationAssessment.legal_area)
        .where(DeviationAssessment.case_id == Case.id)
        .scalar_subquery()
    )
    # The unit's areas are stored comma-separated ("SoL,HSL"); commas around both sides make
    # each a whole-word match.
    padded = literal(",") + Unit.legal_areas_csv + literal(",")
    unit_in = Case.unit_id.in_(
        select(Unit.id).where(or_(*(padded.like(f"%,{a},%") for a in areas)))
    )
    return or_(assessed_area.in_(areas), and_(assessed_area.is_(None), unit_in))
