"""The sweep as of chosen times: reminders, overdue, first and second escalation, each once; a
catch-up after downtime; and a cost that follows the due deadlines, not the cases."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from app.models import DeadlineAct, Notification, OutboxMail
from tests.clock.support import Clock, acts, deadlines, local, mails, notices
from tests.factories import MEASURES, make_user, new_case
from workflows.engine import fire
from workflows.sweep import sweep

MONDAY = local(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


def told(session, case, kind):
    return sorted((n.user_id, n.subject) for n in notices(session, case, kind))


def test_reminders_overdue_and_escalations_at_their_times(session, world, clock):
    case = new_case(session, world)
    # immediate_measures: 24 h → reminder halfway (21:00); due Tuesday 09:00; second escalation
    # two working days later. investigation_start: 2 working days → one reminder on Tuesday.
    assert sweep(session, local(2026, 12, 7, 20, 59)).acts == []
    report = sweep(session, local(2026, 12, 7, 21, 0))
    assert report.acts == [(case.reference, "immediate_measures", "reminder_1")]
    assert told(session, case, "reminder") == [(world.manager.id, "immediate_measures")]

    report = sweep(session, local(2026, 12, 8, 9, 0))
    assert sorted(a[1:] for a in report.acts) == [
        ("immediate_measures", "escalation_1"),
        ("immediate_measures", "overdue"),
        ("investigation_start", "reminder_1"),
    ]
    d = deadlines(session, case)["immediate_measures"]
    assert (d.status, d.escalation_level) == ("escalated", 1)
    assert told(session, case, "overdue") == [(world.manager.id, "immediate_measures")]
    # The manager's superior: the manager of the unit above Solgården.
    assert told(session, case, "escalation") == [(world.area_manager.id, "immediate_measures")]
    assert told(session, case, "reminder")[-1] == (world.sas.id, "investigation_start")

    assert sweep(session, local(2026, 12, 9, 8, 59)).acts == []
    report = sweep(session, local(2026, 12, 9, 9, 0))
    assert sorted(a[1:] for a in report.acts) == [
        ("investigation_start", "escalation_1"),
        ("investigation_start", "overdue"),
    ]
    # Second escalation of the measures: Thursday 09:00, to the SAS.
    report = sweep(session, local(2026, 12, 10, 9, 0))
    assert report.acts == [(case.reference, "immediate_measures", "escalation_2")]
    assert (world.sas.id, "immediate_measures") in told(session, case, "escalation")
    assert deadlines(session, case)["immediate_measures"].escalation_level == 2
    assert deadlines(session, case)["immediate_measures"].next_action_at is None


def test_a_met_deadline_is_left_alone(session, world, clock):
    case = new_case(session, world)
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    sweep(session, local(2026, 12, 20, 9, 0))
    assert [key for key, _ in acts(session, case)] == ["investigation_start"] * 4
    assert deadlines(session, case)["immediate_measures"].status == "met"
    # Met after the due time it stays met, and counts as late.
    clock.set(local(2026, 12, 20, 10, 0))
    fire(session, case, world.sas, "start_investigation", {})
    late = deadlines(session, case)["investigation_start"]
    assert (late.status, late.late, late.escalation_level) == ("met", True, 2)


def test_catch_up_after_downtime_acts_once_and_skips_stale_reminders(session, world, clock):
    case = new_case(session, world)
    report = sweep(session, local(2026, 12, 21, 9, 0))  # two weeks without a sweep
    assert sorted(a[1:] for a in report.acts) == sorted(
        [
            ("immediate_measures", a)
            for a in ("reminder_1", "overdue", "escalation_1", "escalation_2")
        ]
        + [
            ("investigation_start", a)
            for a in ("reminder_1", "overdue", "escalation_1", "escalation_2")
        ]
    )
    # The reminders are journalled, but nobody is reminded of what has already passed.
    journal = session.scalars(select(DeadlineAct).where(DeadlineAct.act == "reminder_1")).all()
    assert {a.notified for a in journal if a.deadline.case_id == case.id} == {False}
    assert notices(session, case, "reminder") == []
    assert len(notices(session, case, "overdue")) == 2

    before = (len(notices(session, case)), len(mails(session)))
    assert sweep(session, local(2026, 12, 21, 9, 0)).acts == []
    assert sweep(session, local(2027, 3, 1, 9, 0)).acts == []
    assert (len(notices(session, case)), len(mails(session))) == before


def test_sweeping_twice_sends_nothing_twice(session, world, clock):
    cases = [new_case(session, world) for _ in range(3)]
    for moment in (local(2026, 12, 7, 21, 0), local(2026, 12, 8, 9, 0), local(2026, 12, 10, 9, 0)):
        sweep(session, moment)
        counts = (
            session.scalar(select(func.count()).select_from(Notification)),
            session.scalar(select(func.count()).select_from(OutboxMail)),
        )
        assert sweep(session, moment).acts == []
        assert (
            session.scalar(select(func.count()).select_from(Notification)),
            session.scalar(select(func.count()).select_from(OutboxMail)),
        ) == counts
    dedupe = session.scalars(select(OutboxMail.dedupe_key)).all()
    assert len(dedupe) == len(set(dedupe))
    # Measures: reminder, overdue, two escalations; investigation start: all but the second.
    assert all(len(acts(session, c)) == 7 for c in cases)


def test_an_act_another_sweep_already_did_is_skipped_without_telling_anyone(
    session, world, clock, monkeypatch
):
    """What the unique journal is for: another sweep journals the act between this sweep's read
    and its write (as on a database without row locks); this one then tells nobody."""
    from workflows import sweep as sweep_module

    case = new_case(session, world)
    d = deadlines(session, case)["immediate_measures"]
    real_due_acts = sweep_module._due_acts

    def due_acts_after_another_sweep(deadline, now):  # type: ignore[no-untyped-def]
        planned = real_due_acts(deadline, now)
        session.execute(
            insert(DeadlineAct).values(
                deadline_id=d.id, act="reminder_1", scheduled_at=now, done_at=now, notified=True
            )
        )
        return planned

    monkeypatch.setattr(sweep_module, "_due_acts", due_acts_after_another_sweep)
    report = sweep(session, local(2026, 12, 7, 21, 0))
    assert (report.acts, report.skipped) == ([], 1)
    assert notices(session, case, "reminder") == []
    monkeypatch.undo()
    assert acts(session, case) == [("immediate_measures", "reminder_1")]


def test_the_journal_refuses_a_repeat(session, world, clock):
    d = deadlines(session, new_case(session, world))["immediate_measures"]
    session.add(DeadlineAct(deadline_id=d.id, act="overdue", scheduled_at=MONDAY, done_at=MONDAY))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(
            insert(DeadlineAct).values(
                deadline_id=d.id, act="overdue", scheduled_at=MONDAY, done_at=MONDAY, notified=True
            )
        )


def test_escalation_reaches_the_head_of_administration(session, world, clock):
    head = make_user(
        session, "head@test.se", ["manager"], [world.admin_unit], name="Förvaltningschef"
    )
    case = new_case(session, world)
    sweep(session, local(2026, 12, 9, 9, 0))
    assert (head.id, "investigation_start") in told(session, case, "escalation")
    assert (world.area_manager.id, "immediate_measures") in told(session, case, "escalation")


def test_a_unit_without_a_manager_answers_through_the_units_above(session, world, clock):
    world.linden.managers.clear()
    session.flush()
    case = new_case(session, world, unit=world.linden)
    # Neither Linden, Funktionsstöd nor the administration has a manager: the SAS is told.
    assert told(session, case, "new_task") == [
        (world.sas.id, "immediate_measures"),
        (world.sas.id, "investigation_start"),
    ]
    head = make_user(
        session, "head@test.se", ["manager"], [world.admin_unit], name="Förvaltningschef"
    )
    other = new_case(session, world, unit=world.linden)
    assert (head.id, "immediate_measures") in told(session, other, "new_task")


def test_the_sweep_reads_only_due_deadlines(session, world, clock):
    """One due deadline costs the same statements among one case as among twenty-one."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    def counted_sweep(moment):  # type: ignore[no-untyped-def]
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            report = sweep(session, moment)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert [a[1:] for a in report.acts] == [("immediate_measures", "reminder_1")]
        return len(statements)

    engine = session.get_bind().engine
    new_case(session, world)  # warms the session's users and units up
    sweep(session, local(2026, 12, 8, 21, 59))
    clock.set(local(2026, 12, 8, 10, 0))
    new_case(session, world)
    alone = counted_sweep(local(2026, 12, 8, 22, 0))

    sweep(session, local(2026, 12, 9, 20, 59))
    clock.set(local(2026, 12, 9, 9, 0))
    new_case(session, world)
    clock.set(local(2026, 12, 9, 10, 0))
    for _ in range(20):
        new_case(session, world)  # their first reminders fall due at 22:00, after the sweep
    assert counted_sweep(local(2026, 12, 9, 21, 0)) == alone
