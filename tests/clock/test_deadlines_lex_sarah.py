"""Lex Sarah: every deadline of §4 opened and met by the transition that fulfils it, in the same
transaction as the state change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.clock.support import Clock, deadlines, local, notices, statuses
from tests.factories import (
    CLOSE,
    FEEDBACK,
    FILING,
    MEASURES,
    case_in,
    investigation_data,
    new_case,
)
from workflows import workdays
from workflows.engine import fire
from workflows.errors import InvalidData
from workflows.feedback import record_feedback
from workflows.policy import current_policy
from workflows.records import (
    add_action,
    record_investigation_sent,
    save_investigation,
    update_action,
)

MONDAY = local(2026, 12, 7, 9, 0)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY)


def test_the_regular_path_opens_and_meets_each_deadline(session, world, clock):
    case = new_case(session, world)
    d = deadlines(session, case)
    assert statuses(session, case) == {"immediate_measures": "open", "investigation_start": "open"}
    assert d["immediate_measures"].due_at == local(2026, 12, 8, 9, 0)  # 24 hours
    assert d["investigation_start"].due_at == local(2026, 12, 9, 9, 0)  # 2 working days
    assert (
        d["immediate_measures"].responsible_role,
        d["immediate_measures"].responsible_user_id,
    ) == ("manager", None)
    assert d["investigation_start"].responsible_role == "sas"
    assert {(n.user_id, n.subject) for n in notices(session, case, "new_task")} == {
        (world.manager.id, "immediate_measures"),
        (world.sas.id, "investigation_start"),
    }

    met_at = clock.set(local(2026, 12, 7, 11, 0))
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    assert deadlines(session, case)["immediate_measures"].met_at == met_at

    started = clock.set(local(2026, 12, 8, 10, 0))
    fire(session, case, world.sas, "start_investigation", {})
    d = deadlines(session, case)
    assert (d["investigation_start"].status, d["investigation_start"].met_at) == ("met", started)
    assert d["investigation_complete"].due_at == local(2027, 1, 19, 10, 0)  # six weeks
    assert d["investigation_complete"].responsible_user_id == world.sas.id

    clock.set(local(2026, 12, 10, 13, 0))
    action = add_action(
        session,
        case,
        world.sas,
        {
            "description": "Utbilda personalen.",
            "owner_id": world.manager.id,
            "due_on": "2026-12-18",
        },
    )
    d = deadlines(session, case)["action_due"]
    assert (d.action_id, d.due_at, d.responsible_user_id) == (
        action.id,
        local(2026, 12, 18, 23, 59),
        world.manager.id,
    )

    save_investigation(session, case, world.sas, investigation_data())
    clock.set(local(2026, 12, 11, 15, 0))  # a Friday
    fire(session, case, world.sas, "complete_investigation", {})
    d = deadlines(session, case)
    assert d["investigation_complete"].status == "met"
    assert d["decision"].due_at == local(2026, 12, 18, 15, 0)  # 5 working days
    # The feedback to the reporter is due from the completed investigation (rev. 2): 14 days.
    assert (d["reporter_feedback"].status, d["reporter_feedback"].due_at) == (
        "open",
        local(2026, 12, 25, 15, 0),
    )
    assert d["decision"].responsible_role == "chair"
    assert [n.user_id for n in notices(session, case, "new_task") if n.subject == "decision"] == [
        world.chair.id
    ]

    clock.set(local(2026, 12, 14, 9, 0))
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    d = deadlines(session, case)
    assert d["decision"].status == "met"
    assert d["ivo_filing"].due_at == local(2026, 12, 21, 9, 0)  # 7 days, well before the cap
    assert d["ivo_filing"].responsible_user_id == world.sas.id
    assert [n.user_id for n in notices(session, case, "decision_made")] == [world.sas.id]

    fire(session, case, world.sas, "record_filing", FILING)
    assert deadlines(session, case)["ivo_filing"].status == "met"
    fire(
        session,
        case,
        world.sas,
        "record_ivo_response",
        {"received_on": date.today().isoformat(), "outcome": "closed_duty_fulfilled"},
    )
    update_action(
        session,
        action,
        world.manager,
        {"status": "completed", "completed_on": date.today().isoformat(), "effect_achieved": "yes"},
    )
    assert deadlines(session, case)["action_due"].status == "met"

    given = clock.set(local(2026, 12, 15, 10, 0))
    record_feedback(session, case, world.sas, FEEDBACK)
    d = deadlines(session, case)
    assert (d["reporter_feedback"].status, d["reporter_feedback"].met_at) == ("met", given)
    clock.set(local(2026, 12, 15, 11, 0))
    fire(session, case, world.sas, "close", CLOSE)
    d = deadlines(session, case)
    assert set(statuses(session, case).values()) == {"met"}
    assert all(x.next_action_at is None for x in d.values())
    # Every deadline was created under the policy in force: revision 2's (migration a16a...).
    assert {x.rule.policy_id for x in d.values()} == {current_policy(session).id}
    assert current_policy(session).version >= 2


def test_measures_recorded_after_the_investigation_started_still_meet_their_deadline(
    session, world, clock
):
    case = new_case(session, world)
    fire(session, case, world.sas, "start_investigation", {})
    assert deadlines(session, case)["immediate_measures"].status == "open"
    fire(session, case, world.manager, "record_immediate_measures", MEASURES)
    assert deadlines(session, case)["immediate_measures"].status == "met"


def test_early_filing_counts_the_investigation_s_two_months_from_the_filing(session, world, clock):
    """Socialstyrelsen: "senast två månader efter det att anmälan har gjorts" (DOMAIN.md §3.1
    rev. 2); revision 1 counted from the report, which was wrong."""
    case = case_in(session, world, "under_investigation")
    case.received_at = local(2026, 11, 2, 8, 0)
    clock.set(local(2026, 12, 8, 9, 0))
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Allvarligheten är uppenbar."},
    )
    d = deadlines(session, case)
    # Not completed by the proposal: the investigation goes on. Nothing is filed yet, so the
    # two months have not started.
    assert d["investigation_complete"].status == "open"
    assert d["decision"].status == "open"
    assert "investigation_to_ivo" not in d

    fire(session, case, world.chair, "approve_filing", {"motivation": "Anmäls tidigt."})
    # Seven days, with no cap from the report (rev. 2).
    assert deadlines(session, case)["ivo_filing"].due_at == local(2026, 12, 15, 9, 0)
    # Filed through IVO's e-service on 30 November (a date in the past whenever the test runs),
    # recorded here only on 14 December: the filing's date counts, to the end of that day two
    # months on, not the report's arrival (2 January) nor the recording (14 February).
    clock.set(local(2026, 12, 14, 16, 0))
    fire(session, case, world.sas, "record_filing", {**FILING, "filed_on": "2026-11-30"})
    d = deadlines(session, case)["investigation_to_ivo"]
    assert (d.start_at, d.due_at) == (local(2026, 11, 30, 23, 59), local(2027, 1, 30, 23, 59))
    assert d.rule.start_event == "early_filing_recorded"
    assert d.rule.basis_kind == "law"
    assert "efter det att anmälan har gjorts" in d.rule.legal_basis

    save_investigation(session, case, world.sas, investigation_data())
    record_investigation_sent(session, case, world.sas, {"sent_on": date.today().isoformat()})
    assert statuses(session, case) == {
        "immediate_measures": "met",
        "investigation_start": "met",
        "investigation_complete": "met",
        "decision": "met",
        "investigation_to_ivo": "met",
        "ivo_filing": "met",
        # Sending completes the investigation: the feedback to the reporter is due from now.
        "reporter_feedback": "open",
    }


def test_a_regular_filing_opens_no_investigation_to_ivo(session, world, clock):
    case = case_in(session, world, "filed")
    assert "investigation_to_ivo" not in deadlines(session, case)


def test_lex_sarah_s_filing_has_no_cap_from_the_report(session, world, clock):
    """Revision 1 capped it at two months after the report; no source says so (rev. 2)."""
    case = case_in(session, world, "awaiting_decision")
    case.received_at = local(2026, 9, 1, 8, 0)
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    d = deadlines(session, case)["ivo_filing"]
    assert d.due_at == local(2026, 12, 14, 9, 0)  # 7 days from Monday 7 December
    assert (d.rule.cap_months, d.rule.cap_anchor, d.rule.basis_kind) == (
        None,
        None,
        "local_routine",
    )
    assert "snarast" in d.rule.legal_basis


def test_immediate_measures_cite_the_law_s_own_words(session, world, clock):
    d = deadlines(session, new_case(session, world))["immediate_measures"]
    assert "”utan dröjsmål”" in d.rule.legal_basis
    assert "”omedelbart”" in d.rule.legal_basis
    assert "genast" not in d.rule.legal_basis
    assert d.rule.basis_kind == "local_routine"


def test_an_early_proposal_declined_starts_no_investigation_to_ivo(session, world, clock):
    case = case_in(session, world, "under_investigation")
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "serious_misconduct", "grade_motivation": "Uppenbart allvarligt."},
    )
    complete = deadlines(session, case)["investigation_complete"]
    fire(
        session,
        case,
        world.chair,
        "decline_filing",
        {"motivation": "Utred färdigt först.", "decider_grade": "misconduct"},
    )
    d = deadlines(session, case)
    assert d["decision"].status == "met"
    # Nothing was filed, so the investigation's two months to IVO never started (rev. 2).
    assert "investigation_to_ivo" not in d
    # The same clock runs on for the investigation.
    assert d["investigation_complete"].id == complete.id
    assert complete.status == "open"


def test_a_returned_investigation_gets_a_new_clock(session, world, clock):
    case = case_in(session, world, "awaiting_decision")
    first = deadlines(session, case)["investigation_complete"]
    returned = clock.set(local(2026, 12, 9, 9, 0))
    fire(
        session, case, world.chair, "return_to_investigator", {"comment": "Komplettera orsakerna."}
    )
    d = deadlines(session, case)
    assert first.status == "met"
    assert d["investigation_complete"].id != first.id
    assert (d["investigation_complete"].status, d["investigation_complete"].start_at) == (
        "open",
        returned,
    )
    assert d["decision"].status == "met"
    # The proposal made again starts a new decision deadline.
    fire(session, case, world.sas, "complete_investigation", {})
    assert deadlines(session, case)["decision"].status == "open"


def test_reclassifying_waives_the_old_clock_and_starts_the_new_one(session, world, clock):
    case = case_in(session, world, "awaiting_investigation")
    later = clock.set(MONDAY + timedelta(hours=3))
    fire(
        session,
        case,
        world.sas,
        "reclassify",
        {"target_type": "lex_maria", "comment": "Hälso- och sjukvård."},
    )
    d = deadlines(session, case)
    assert d["immediate_measures"].status == "met"
    assert d["investigation_start"].status == "waived"
    assert "klassades om" in d["investigation_start"].status_reason
    new = deadlines(session, case.successor_case)
    assert statuses(session, case.successor_case) == {
        "immediate_measures": "open",
        "investigation_start": "open",
    }
    assert new["immediate_measures"].start_at == later
    assert new["investigation_start"].responsible_role == "mas"


def test_an_action_handed_over_is_waived_and_an_open_case_is_closed_clean(session, world, clock):
    case = case_in(session, world, "follow_up")
    action = add_action(
        session,
        case,
        world.sas,
        {
            "description": "Se över rutinen.",
            "owner_id": world.manager.id,
            "due_on": (date.today() + timedelta(days=30)).isoformat(),
        },
    )
    update_action(
        session, action, world.sas, {"status": "handed_over", "handed_over_note": "Enhetens plan."}
    )
    d = deadlines(session, case)["action_due"]
    assert (d.status, d.status_reason) == ("waived", "Åtgärden överlämnades till enhetens plan.")


def test_a_refused_step_leaves_no_deadline(session, world, clock):
    case = case_in(session, world, "under_investigation")
    before = statuses(session, case)
    with pytest.raises(InvalidData):
        fire(session, case, world.sas, "complete_investigation", {})
    assert statuses(session, case) == before


def test_transitions_read_the_clock_they_are_given(session, world, clock):
    assert workdays.now() == MONDAY
    assert deadlines(session, new_case(session, world))["immediate_measures"].start_at == MONDAY
