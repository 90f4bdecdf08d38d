"""Mail text from the templates in ``notifications/templates``.

A mail leaves the protected system, so its only variables are the case reference, what is
required (a fixed phrase per deadline kind), the due time and a link: there is no variable a
name, a personnummer or a report's text could travel in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Template

from workflows.workdays import local_text

from .texts import required

TEMPLATES = Path(__file__).parent / "templates"
# The case page's path (app/cases/views.py); tests check it against the app's URL map.
CASE_PATH = "/arenden/{case_id}"
LEVELS = {1: "första nivån", 2: "andra nivån"}


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


@cache
def _template(kind: str) -> tuple[Template, Template]:
    subject, body = (TEMPLATES / f"{kind}.txt").read_text(encoding="utf-8").split("\n", 1)
    footer = (TEMPLATES / "_footer.txt").read_text(encoding="utf-8")
    return Template(subject), Template(body.rstrip("\n") + "\n" + footer)


def case_link(base_url: str, case_id: int) -> str:
    return base_url.rstrip("/") + CASE_PATH.format(case_id=case_id)


def render(
    kind: str,
    *,
    reference: str,
    case_id: int,
    base_url: str,
    key: str = "",
    due_at: datetime | None = None,
    level: int = 0,
) -> Mail:
    subject, body = _template(kind)
    values = {
        "reference": reference,
        "required": required(key),
        "due": local_text(due_at) if due_at is not None else "",
        "link": case_link(base_url, case_id),
        "level": LEVELS.get(level, ""),
    }
    return Mail(subject=subject.substitute(values), body=body.substitute(values))
