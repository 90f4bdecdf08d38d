"""The in-app inbox: what needs my action, soonest due first; read and unread; only my own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from notifications.inbox import inbox, mark_read, unread_count
from tests.clock.support import Clock, local
from tests.factories import case_in, new_case
from workflows.sweep import sweep


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


def test_the_inbox_is_sorted_by_due_time(session, world, clock):
    first = new_case(session, world)
    clock.set(local(2026, 12, 7, 10, 0))
    second = case_in(session, world, "awaiting_decision")  # the SAS gets a decision made later
    rows = inbox(session, world.sas)
    dues = [n.due_at for n in rows if n.due_at is not None]
    assert dues == sorted(dues)
    assert {n.case_id for n in rows} >= {first.id, second.id}
    assert unread_count(session, world.sas) == len(rows)
    assert unread_count(session, world.manager) == 2  # measures of both cases


def test_marking_read(session, world, clock):
    new_case(session, world)
    sweep(session, local(2026, 12, 7, 21, 0))
    mine = inbox(session, world.manager)
    others = inbox(session, world.sas)
    assert mark_read(
        session, world.manager, [n.id for n in mine + others], local(2026, 12, 8, 8, 0)
    ) == len(mine)
    session.expire_all()
    assert unread_count(session, world.manager) == 0
    assert unread_count(session, world.sas) == len(others)
    assert inbox(session, world.manager, unread_only=True) == []
    # Read ones stay, after the unread.
    assert len(inbox(session, world.manager)) == len(mine)


def test_notifications_never_read_a_request():
    """The package runs in the scheduler, far from any request: it imports nothing from Flask."""
    for path in (Path(__file__).parents[2] / "notifications").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(
                n == "flask" or n.startswith("flask.") or n.startswith("flask_") for n in names
            ), (path.name, names)
