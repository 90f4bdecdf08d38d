"""The deadline policy: the version in force is DOMAIN.md §4 (revision 2, written by migration
a16a00000001 over version 1), and a new version never moves a running deadline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import DeadlinePolicy, DeadlineRule
from tests.clock.support import Clock, deadlines, local
from tests.factories import case_in, investigation_data
from workflows.deadline_plan import plan
from workflows.engine import fire
from workflows.errors import InvalidData, NotAllowed
from workflows.policy import current_policy, new_policy_version
from workflows.records import save_investigation
from workflows.sweep import sweep

LS, LM, AV = "lex_sarah", "lex_maria", "deviation"

# DOMAIN.md §4 (rev. 2), row by row: (key, case types) -> (starts at, duration, unit, cap,
# basis kind).
DOMAIN_TABLE = {
    ("immediate_measures", LS): ("report_received", 24, "hours", None, "local_routine"),
    ("immediate_measures", LM): ("report_received", 24, "hours", None, "local_routine"),
    ("investigation_start", LS): ("report_received", 2, "working_days", None, "local_routine"),
    ("investigation_start", LM): ("report_received", 2, "working_days", None, "local_routine"),
    ("investigation_complete", LS): (
        "investigation_started",
        42,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("investigation_complete", LM): (
        "investigation_started",
        42,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("decision", LS): ("proposal_made", 5, "working_days", None, "local_routine"),
    ("decision", LM): ("proposal_made", 5, "working_days", None, "local_routine"),
    # No cap from the report (rev. 2); "snarast" is the law, the seven days a local routine.
    ("ivo_filing", LS): ("decision_to_file", 7, "calendar_days", None, "local_routine"),
    ("ivo_filing", LM): ("decision_to_file", 7, "calendar_days", (2, "event"), "local_routine"),
    # Two months from the filing, not from the report (rev. 2).
    ("investigation_to_ivo", LS): ("early_filing_recorded", 2, "months", None, "law"),
    ("investigation_to_ivo", LM): ("early_filing_recorded", 2, "months", None, "local_routine"),
    ("patient_information", LM): (
        "investigation_started",
        7,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("action_due", LS): ("action_created", 0, "own_date", None, "local_routine"),
    ("action_due", LM): ("action_created", 0, "own_date", None, "local_routine"),
    ("action_due", AV): ("action_created", 0, "own_date", None, "local_routine"),
    # From the completed investigation, for deviations too (rev. 2).
    ("reporter_feedback", LS): (
        "investigation_completed",
        14,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("reporter_feedback", LM): (
        "investigation_completed",
        14,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("reporter_feedback", AV): (
        "investigation_completed",
        14,
        "calendar_days",
        None,
        "local_routine",
    ),
    ("deviation_assessment", AV): ("report_received", 3, "working_days", None, "local_routine"),
    ("local_investigation", AV): ("assessment", 30, "calendar_days", None, "local_routine"),
    # Added to the policy in force by migration a17a00000001 (DOMAIN.md §4 rev. 2).
    ("complaint_acknowledgement", "complaint"): (
        "complaint_received",
        3,
        "working_days",
        None,
        "local_routine",
    ),
    ("complaint_answer", "complaint"): (
        "complaint_received",
        28,
        "calendar_days",
        None,
        "local_routine",
    ),
}


def test_the_version_in_force_is_the_domain_table(session):
    policy = current_policy(session)
    assert policy.version >= 2
    rules = {(r.key, r.case_type): r for r in policy.rules}
    assert set(rules) == set(DOMAIN_TABLE)
    # The rows of §4 in force, ivo_filing twice.
    assert len({key for key, _ in rules}) == 13
    for target, (start, value, unit, cap, basis) in DOMAIN_TABLE.items():
        rule = rules[target]
        cap_now = (rule.cap_months, rule.cap_anchor) if rule.cap_months else None
        assert (
            rule.start_event,
            rule.duration_value,
            rule.duration_unit,
            cap_now,
            rule.basis_kind,
        ) == (start, value, unit, cap, basis), target
        assert rule.reminders == ["half", "1wd"]
        assert rule.enabled
        assert rule.legal_basis.strip()
        assert rule.second_escalation_target is not None


def test_version_one_is_kept_as_it_was(session):
    """Deadlines created under version 1 keep its rules: revision 2 was written beside it."""
    v1 = session.scalar(select(DeadlinePolicy).where(DeadlinePolicy.version == 1))
    rules = {(r.key, r.case_type): r for r in v1.rules}
    assert rules[("investigation_to_ivo", LS)].start_event == "early_filing"
    assert (rules[("ivo_filing", LS)].cap_months, rules[("ivo_filing", LS)].cap_anchor) == (
        2,
        "report_received",
    )
    assert rules[("reporter_feedback", LS)].start_event == "case_closed"
    assert ("reporter_feedback", AV) not in rules


def test_who_escalates_to_whom_by_default(session):
    rules = {(r.key, r.case_type): r for r in current_policy(session).rules}
    # A manager's deadline goes to the manager's superior, then to the SAS/MAS.
    for key in ("immediate_measures", "deviation_assessment", "local_investigation", "action_due"):
        for rule in (r for (k, _), r in rules.items() if k == key):
            assert (
                rule.responsible in ("manager", "action_owner"),
                rule.escalation_target,
                rule.second_escalation_target,
            ) == (True, "superior", "oversight")
    assert rules[("decision", LS)].responsible == "decider"
    assert rules[("investigation_complete", LS)].escalation_target == "head_of_administration"


def test_only_the_admin_edits_the_policy(session, world):
    for user in (world.sas, world.chair, world.manager):
        with pytest.raises(NotAllowed):
            new_policy_version(session, user, {("decision", LS): {"duration_value": 3}})


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_unit": "fortnights"},
        {"duration_value": -1},
        {"duration_value": True},
        {"reminders": ["sometime"]},
        {"reminders": ["half", "1wd", "2wd"]},
        {"escalation_target": "the_king"},
        {"legal_basis": "  "},
        {"start_event": "case_closed"},
        {"cap_months": 2},  # a cap needs its anchor
    ],
)
def test_invalid_edits_are_refused(session, world, fields):
    before = current_policy(session).version
    with pytest.raises(InvalidData):
        new_policy_version(session, world.admin, {("decision", LS): fields})
    assert current_policy(session).version == before


def test_unknown_rule_is_refused(session, world):
    with pytest.raises(InvalidData) as caught:
        new_policy_version(session, world.admin, {("decision", AV): {"duration_value": 3}})
    assert "decision:deviation" in caught.value.field_errors


def test_a_new_version_applies_to_new_deadlines_only(session, world, monkeypatch):
    clock = Clock(monkeypatch, local(2026, 12, 7, 9, 0))  # a Monday
    running = case_in(session, world, "awaiting_decision")
    old = deadlines(session, running)["decision"]
    now = current_policy(session).version
    assert (old.rule.policy.version, old.due_at) == (now, local(2026, 12, 14, 9, 0))

    v2 = new_policy_version(
        session,
        world.admin,
        {
            ("decision", LS): {
                "duration_value": 2,
                "reminders": ["2h"],
                "second_escalation_target": None,
            },
        },
        note="Snabbare beslut",
    )
    assert v2.version == now + 1
    assert len(v2.rules) == len(current_policy(session).rules) == 23

    clock.set(local(2026, 12, 8, 9, 0))
    fresh = case_in(session, world, "under_investigation")
    save_investigation(session, fresh, world.sas, investigation_data())
    fire(session, fresh, world.sas, "complete_investigation", {})
    new = deadlines(session, fresh)["decision"]
    assert (new.rule.policy.version, new.due_at) == (now + 1, local(2026, 12, 10, 9, 0))
    assert [p.act for p in plan(new.rule, new.start_at, new.due_at)] == [
        "reminder_1",
        "overdue",
        "escalation_1",
    ]

    # The running deadline keeps its due time and its plan, reminders and second escalation.
    session.expire_all()
    old = deadlines(session, running)["decision"]
    assert (old.rule.policy.version, old.due_at) == (now, local(2026, 12, 14, 9, 0))
    sweep(session, local(2026, 12, 20, 9, 0))
    assert {a.act for a in deadlines(session, running)["decision"].acts} == {
        "reminder_1",
        "reminder_2",
        "overdue",
        "escalation_1",
        "escalation_2",
    }
    assert {a.act for a in deadlines(session, fresh)["decision"].acts} == {
        "reminder_1",
        "overdue",
        "escalation_1",
    }


def test_a_disabled_rule_starts_no_deadline(session, world, monkeypatch):
    Clock(monkeypatch, local(2026, 12, 7, 9, 0))
    new_policy_version(session, world.admin, {("immediate_measures", LS): {"enabled": False}})
    case = case_in(session, world, "submitted")
    assert set(deadlines(session, case)) == {"investigation_start"}
    # The old rule is still there, under version 1.
    assert (
        session.scalar(
            select(DeadlineRule).where(
                DeadlineRule.key == "immediate_measures",
                DeadlineRule.case_type == LS,
                DeadlineRule.enabled.is_(True),
            )
        )
        is not None
    )
