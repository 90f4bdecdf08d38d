"""When a deviation goes to the SAS or the MAS (DOMAIN.md §3.3, §5): a category that always
escalates, or severity or score at or above its threshold. The thresholds are settings. The
assess step decides with this rule, and the risk matrix draws each cell's outcome from it, so the
page never shows a colour the step would contradict."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from app.models import Category, get_setting


class Thresholds(NamedTuple):
    severity: int
    score: int

    def exceeded(self, severity: int, likelihood: int) -> bool:
        return severity >= self.severity or severity * likelihood >= self.score


def thresholds(session: Session) -> Thresholds:
    return Thresholds(
        int(get_setting(session, "escalation.severity")),
        int(get_setting(session, "escalation.score")),
    )


def escalates(session: Session, category: Category | None, severity: int, likelihood: int) -> bool:
    if category is not None and category.always_escalate:
        return True
    return thresholds(session).exceeded(severity, likelihood)
