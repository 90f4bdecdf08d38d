"""One entry for reporters: plain questions decide which case (or cases) a report becomes.

A care worker never has to know the words lex Sarah or lex Maria: who was affected and whether
anyone was harmed or at risk propose the case type; the reporter may change it, and the SAS/MAS
can always reclassify. A report about both laws opens both cases, linked, each with its own clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict

from app.models import Case, User
from forms.report import ReportForm

from .engine import validate_form
from .errors import NotAllowed
from .records import create_reported_case, history, unit_choices

BOTH = ("lex_sarah", "lex_maria")


def propose_case_types(affected: str, harm: str) -> tuple[str, ...]:
    if harm not in ("harmed", "risk"):
        return ("deviation",)
    if affected == "patient":
        return ("lex_maria",)
    if affected == "both":
        return BOTH
    return ("lex_sarah",)


def chosen_case_types(d: Mapping[str, Any]) -> tuple[str, ...]:
    # Blank counts as not chosen: WTForms' Optional() passes whitespace and clears the choice
    # check's error, so "   " arrives here as a kind.
    kind = (d.get("report_kind") or "").strip() or "auto"
    if kind == "auto":
        return propose_case_types(d.get("affected") or "unknown", d.get("harm") or "unknown")
    return BOTH if kind == "both" else (kind,)


def report_event(
    session: Session,
    actor: User,
    data: Mapping[str, Any] | MultiDict[str, Any] | None,
    files: list[FileStorage] | None = None,
    *,
    upload_dir: Path | None = None,
) -> list[Case]:
    if not actor.is_active:
        raise NotAllowed(_("Kontot är inte aktivt."))
    form = validate_form(ReportForm, data, unit_choices=unit_choices(session))
    cases = [
        create_reported_case(session, actor, form.data, files, case_type, upload_dir)
        for case_type in chosen_case_types(form.data)
    ]
    if len(cases) == 2:
        first, second = cases
        first.related_case_id, second.related_case_id = second.id, first.id
        for case, other in ((first, second), (second, first)):
            history(
                session,
                case,
                actor,
                "reporter",
                "reported_together",
                {"related_case_id": other.id, "related_reference": other.reference},
            )
        session.flush()
    return cases
