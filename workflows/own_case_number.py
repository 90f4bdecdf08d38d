"""The committee's own case number (diarienummer) entered before the filing: the IVO report is
prepared from the decision on, and carries this number rather than a blank line (DOMAIN.md §7
rev. 2). A number given at the filing itself is kept on the filing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.models import Case, User
from forms.filing import OwnCaseNumberForm

from .engine import recording, validate_form

Data = Mapping[str, Any] | MultiDict[str, Any] | None


def record_own_case_number(
    session: Session, case: Case, actor: User, data: Data, expected_version: int | None = None
) -> Case:
    with recording(
        session, case, actor, "record_own_case_number", expected_version=expected_version
    ) as ctx:
        form = validate_form(OwnCaseNumberForm, data, case=case)
        number = form.own_case_number.data.strip()
        if number == (case.own_case_number or ""):
            ctx.changed = False
            return case
        case.own_case_number = number
        ctx.record = {"own_case_number": number}
    return case
