"""What waits for the signed-in user, weighed once per request: Att göra's cards, its heading
and the menu's count all read the same result, so the menu can never say 19 where the page
lists 16 (issue 14: the menu counted unread notifications, the heading cases).

Each card also says what happened, what is needed next and by when, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.deadline_labels import DEADLINE_LABELS
from app.labels import TRIGGER_LABELS
from app.models import Action, User
from workflows.permissions import visible_sections
from workflows.registry import flow_for

from . import queries

# A card shows the report's first line, not the report: enough to recall the case.
FIRST_LINE_LIMIT = 160


@dataclass(frozen=True)
class WaitingCount:
    """How many cases Att göra lists; ``more``: candidates beyond those weighed may wait too."""

    listed: int
    more: bool

    def __str__(self) -> str:
        return f"{self.listed}+" if self.more else str(self.listed)


def waiting_for(session: Session, user: User) -> queries.Inbox:
    """The user's Att göra, computed at most once per request."""
    cached = g.get("waiting_for")
    if cached is None or cached[0] != user.id:
        config = current_app.config
        inbox = queries.inbox(session, user, config["INBOX_LIMIT"], config["COUNT_LIMIT"])
        cached = g.waiting_for = (user.id, inbox)
    result: queries.Inbox = cached[1]
    return result


def waiting_count(session: Session, user: User) -> WaitingCount:
    inbox = waiting_for(session, user)
    return WaitingCount(len(inbox.items), inbox.more > 0)


@dataclass(frozen=True)
class Card:
    # The report's first line, or None for someone who may not see the report section.
    what: str | None
    # What is needed next, in words, and where on the case page it is done (None: the deadline's
    # kind is all there is to say).
    needed: str
    anchor: str | None
    overdue: bool
    # What else the user can do on the case now.
    other_triggers: list[str] = field(default_factory=list)
    other_actions: list[Action] = field(default_factory=list)


def first_line(text: str, limit: int = FIRST_LINE_LIMIT) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,.;:") + "…"


def card_for(session: Session, user: User, item: queries.InboxItem, now: datetime) -> Card:
    """One inbox card's words. The report line is shown only to those who may see the report
    section (permissions.visible_sections): the candidates were weighed with their unit and
    assessment loaded, and the managed units and settings are read once per session, so a page
    of cards costs no query per card."""
    case = item.case
    what = None
    if "report" in visible_sections(session, user, case):
        what = first_line(case.description or "") or None
    trigger, action = _needed(item)
    deadline = item.deadline
    if trigger is not None:
        needed, anchor = str(TRIGGER_LABELS.get(trigger, trigger)), f"steg-{trigger}"
    elif action is not None:
        needed, anchor = _("Följ upp åtgärden"), f"atgard-{action.id}"
    elif item.investigation:
        # A co-investigator's case: the investigation is theirs to write in, too.
        needed, anchor = _("Skriv i utredningen"), "utredning"
    elif deadline is not None:
        needed, anchor = str(DEADLINE_LABELS.get(deadline.key, deadline.key)), None
    else:
        needed, anchor = "", None
    return Card(
        what,
        needed,
        anchor,
        deadline is not None and deadline.due_at <= now,
        [t for t in item.triggers if t != trigger],
        [a for a in item.actions if a is not action],
    )


def _needed(item: queries.InboxItem) -> tuple[str | None, Action | None]:
    """The step the deadline waits for if the user can take it (a step declares the deadlines
    it meets); else the user's first step, else their first action to follow up."""
    flow = flow_for(item.case.case_type)
    deadline = item.deadline
    if deadline is not None:
        for trigger in item.triggers:
            step = flow.declared(trigger)
            if step is not None and deadline.key in step.meets:
                return trigger, None
        if deadline.key == "action_due" and item.actions:
            return None, item.actions[0]
    if item.triggers:
        return item.triggers[0], None
    return None, item.actions[0] if item.actions else None
