"""Why might a sampled user have needed a case? Their relation to it, asked of the rules that
decide who may see a case (workflows/permissions.py) as they stand when the reviewer looks,
not as they stood at the read: units, roles and assignments change, and the log does not say
what they were. A read with no relation is the one to look at.

Only the relation leaves here, never what the case says."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Case, User
from workflows.permissions import as_reporter, is_decider, manages, oversees

# In the order a reviewer weighs them: the named ones first, the reporter last.
KINDS = ("investigator", "decider", "unit", "role", "reporter")
# None of the above: no rule gives this user the case now.
NONE = "none"
# The log names a case that is no longer there (the log outlives what it points at).
GONE = "gone"
# IN lists stay well under SQLite's and PostgreSQL's bound parameter limits.
BATCH = 500


def relation_to(session: Session, user: User, case: Case) -> tuple[str, ...]:
    """``user``'s relations to ``case`` by the permission rules, or (NONE,)."""
    found = []
    if case.investigator_id == user.id:
        found.append("investigator")
    if is_decider(session, user, case):
        found.append("decider")
    if manages(session, user, case):
        found.append("unit")
    if oversees(user, case):
        found.append("role")
    if as_reporter(session, user, case) is not None:
        found.append("reporter")
    return tuple(found) or (NONE,)


def relations(
    session: Session, user: User | None, case_ids: Iterable[int]
) -> dict[int, tuple[str, ...]]:
    """The relation to each case, the cases read in batches: one query per 500 cases (and one
    for their assessments), while the managed units and the deciding roles are read once per
    session (app.models.read_once)."""
    ids = sorted(set(case_ids))
    found: dict[int, tuple[str, ...]] = {case_id: (GONE,) for case_id in ids}
    if user is None:
        return {case_id: (NONE,) for case_id in ids}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        cases = session.scalars(
            select(Case).where(Case.id.in_(batch)).options(selectinload(Case.assessment))
        )
        for case in cases:
            found[case.id] = relation_to(session, user, case)
    return found
