"""A deviation's assessment as the page explains it: the escalation thresholds in force, and
why an escalated deviation went to the SAS or the MAS (DOMAIN.md §3.3, §5)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Case, Category, DeviationAssessment, get_setting
from workflows.permissions import investigating_role

ROLE_SHORT = {"sas": "SAS", "mas": "MAS"}


def thresholds(session: Session) -> tuple[int, int]:
    return int(get_setting(session, "escalation.severity")), int(
        get_setting(session, "escalation.score")
    )


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
    severity_at, score_at = thresholds(session)
    assessment = case.assessment
    escalated = assessment is not None and assessment.escalated
    return {
        "thresholds": (severity_at, score_at),
        "always_escalating": session.scalars(
            select(Category.name)
            .where(Category.active.is_(True), Category.always_escalate.is_(True))
            .order_by(Category.sort_order, Category.name)
        ).all(),
        "escalated_to": ROLE_SHORT.get(investigating_role(case)) if escalated else None,
        "escalation_reasons": escalation_reasons(assessment, severity_at, score_at)
        if assessment is not None and escalated
        else [],
    }
