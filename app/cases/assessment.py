"""A deviation's assessment as the page explains it: the escalation thresholds in force, and
why an escalated deviation went to the SAS or the MAS (DOMAIN.md §3.3, §5)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case, Category, DeviationAssessment
from workflows.escalation import Thresholds
from workflows.escalation import thresholds as escalation_thresholds
from workflows.permissions import OVERSIGHT_AREAS, investigating_role

ROLE_SHORT = {"sas": "SAS", "mas": "MAS"}


def thresholds(session: Session) -> Thresholds:
    return escalation_thresholds(session)


def escalation_reasons(
    assessment: DeviationAssessment, severity_at: int, score_at: int
) -> list[str]:
    reasons = []
    if assessment.category.always_escalate:
        reasons.append(
            _("Kategorin %(category)s eskaleras alltid.", category=assessment.category.name)
        )
    if assessment.severity >= severity_at:
        reasons.append(
            _(
                "Allvarlighetsgraden är %(value)d – gränsen för eskalering är %(limit)d.",
                value=assessment.severity,
                limit=severity_at,
            )
        )
    if assessment.score >= score_at:
        reasons.append(
            _(
                "Riskvärdet är %(value)d – gränsen för eskalering är %(limit)d.",
                value=assessment.score,
                limit=score_at,
            )
        )
    if not reasons:
        # The thresholds are settings: they may have been raised since the assessment.
        reasons.append(_("Avvikelsen eskalerades enligt de gränser som gällde vid bedömningen."))
    return reasons


def deviation_context(session: Session, case: Case) -> dict[str, Any]:
    limits = thresholds(session)
    severity_at, score_at = limits
    assessment = case.assessment
    escalated = assessment is not None and assessment.escalated
    always = session.execute(
        select(Category.id, Category.name)
        .where(Category.active.is_(True), Category.always_escalate.is_(True))
        .order_by(Category.sort_order, Category.name)
    ).all()
    return {
        "thresholds": limits,
        "always_escalating": [name for _id, name in always],
        # What the assess step's risk matrix needs to say, as the form is filled in, where the
        # deviation would go: the categories that escalate whatever the score, and who receives
        # an escalated deviation of each legal area (workflows/escalation.py decides the cells).
        "risk_preview": {
            "always_escalating": [category_id for category_id, _name in always],
            "escalates_to": {
                area: ROLE_SHORT[role] for role, areas in OVERSIGHT_AREAS.items() for area in areas
            },
        },
        "escalated_to": ROLE_SHORT.get(investigating_role(case)) if escalated else None,
        "escalation_reasons": escalation_reasons(assessment, severity_at, score_at)
        if assessment is not None and escalated
        else [],
    }
