"""permissions.can_view as a WHERE clause, so that a page of cases is a page of visible cases:
the one SQL twin of the predicate, used by every list (the API's, the case list, the inbox's
candidates and the overviews).

Mirrors workflows/permissions.py rule by rule, next to it so that the two change together;
tests/test_api_cases_list.py and tests/test_api_case_types.py check they agree for every test
user.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, literal, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Case,
    CoInvestigator,
    Decision,
    DeviationAssessment,
    Unit,
    User,
    co_investigated_case_ids,
    complaint_units,
    unit_ids_managed_by,
)

from .permissions import INVESTIGATING_ROLE, OVERSIGHT_AREAS, deciding_role


def visible_cases(session: Session, user: User, *, own_reports: bool = True) -> ColumnElement[bool]:
    """The cases ``user`` may open, as a WHERE clause. ``own_reports=False`` leaves out the
    cases seen only as their reporter (the staff's case list; reporters have their own page)."""
    clauses = visibility_clauses(session, user, own_reports=own_reports)
    return or_(*clauses) if clauses else false()


def visibility_clauses(
    session: Session, user: User, *, own_reports: bool = True
) -> list[ColumnElement[bool]]:
    if not user.is_active:
        return []
    clauses = overseen(user)
    if own_reports:
        clauses.append(Case.reporter_id == user.id)
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
            # A complaint about several units is each of their managers' (DOMAIN.md §3.4).
            clauses.append(
                Case.id.in_(
                    select(complaint_units.c.case_id).where(complaint_units.c.unit_id.in_(units))
                )
            )
    if co_investigated_case_ids(session, user):
        # Only for a co-investigator: a clause for everyone would open the case list to all.
        clauses.append(co_investigated(user))
    return clauses


def co_investigated(user: User) -> ColumnElement[bool]:
    """permissions.co_investigates in SQL: the cases ``user`` is a co-investigator of now."""
    return Case.id.in_(
        select(CoInvestigator.case_id).where(
            CoInvestigator.user_id == user.id, CoInvestigator.removed_at.is_(None)
        )
    )


def overseen(user: User) -> list[ColumnElement[bool]]:
    """permissions.oversees in SQL: the SAS's lex Sarah cases and SoL/LSS deviations, the MAS's
    lex Maria cases and HSL deviations."""
    if not user.is_active:
        return []
    clauses: list[ColumnElement[bool]] = [
        Case.case_type == case_type
        for case_type, role in INVESTIGATING_ROLE.items()
        if user.has_role(role)
    ]
    return clauses + overseen_deviations(user) + overseen_complaints(user)


def overseen_complaints(user: User) -> list[ColumnElement[bool]]:
    """The SAS sees every complaint about a SoL/LSS unit, the MAS every one about an HSL unit
    (permissions.complaint_areas): any of the units it concerns."""
    return [
        and_(
            Case.case_type == "complaint",
            Case.id.in_(
                select(complaint_units.c.case_id)
                .join(Unit, Unit.id == complaint_units.c.unit_id)
                .where(or_(*(_padded_areas().like(f"%,{a},%") for a in areas)))
            ),
        )
        for role, areas in OVERSIGHT_AREAS.items()
        if user.has_role(role)
    ]


def _padded_areas() -> ColumnElement[str]:
    return literal(",") + Unit.legal_areas_csv + literal(",")


def not_spam() -> ColumnElement[bool]:
    """A case marked as spam (a public submission or a complaint) is kept, neither listed nor
    counted (DOMAIN.md §3.5 rev. 2)."""
    return Case.spam.is_(False)


def overseen_deviations(user: User) -> list[ColumnElement[bool]]:
    """One clause per oversight role the user holds: the deviations in its legal areas."""
    return [
        and_(Case.case_type == "deviation", deviation_in_areas(list(areas)))
        for role, areas in OVERSIGHT_AREAS.items()
        if user.has_role(role)
    ]


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
