"""Two people fire transitions on one case at the same moment, each request in its own thread,
connection and transaction, committing for real: exactly one wins, the other gets a clear
conflict, and nothing of the loser is left behind. The hash chain of the history never forks.

On PostgreSQL both requests have read the case at the same version when they write; the row
lock decides. SQLite admits one writing request at a time, so there the second reads what the
first committed and is refused by its stale version or the case's new state (see Meeting)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import app.api.cases as api_cases
import app.api.transitions as api_transitions
import app.cases.views as case_views
import workflows.records as records
from app.audit.verify import verify_all
from app.models import Case, CaseEvent, Deadline, Notification, OutboxMail
from tests.factories import MEASURES, case_in, investigation_data, report_data
from workflows.engine import fire

from .support import EMAILS, Org, committing, counts, engine_of, snapshot

# How a conflict ends, whether the version the client sent was stale or the race was lost.
RELOAD = "Ladda om sidan och försök igen."
APPROVE = {"motivation": "Allvarligt missförhållande."}
RECLASSIFY = {"target_type": "deviation", "comment": "Gäller inte omsorgen."}

# (state of the case, the two requests: who fires which trigger with what)
SCENARIOS: dict[str, tuple[str, list[tuple[str, str, dict[str, Any]]]]] = {
    # The SAS starts the investigation while the manager records the immediate measures.
    "measures_vs_start": (
        "submitted",
        [("manager", "record_immediate_measures", MEASURES), ("sas", "start_investigation", {})],
    ),
    # Two SAS take the same case.
    "same_step_twice": (
        "submitted",
        [("sas", "start_investigation", {}), ("sas2", "start_investigation", {})],
    ),
    # The chair approves filing while the SAS reclassifies (the SAS's step opens a new case).
    "approve_vs_reclassify": (
        "awaiting_decision",
        [("chair", "approve_filing", APPROVE), ("sas", "reclassify", RECLASSIFY)],
    ),
}


class Meeting:
    """Where racing requests wait for each other. On PostgreSQL inside the request: each has
    loaded the case (and its version) and waits just before the real operation runs, so that
    all write from the same version. SQLite lets one request at a time hold the write lock
    (app.db: BEGIN IMMEDIATE), so there they meet just before sending, each carrying the
    version it read; the later one to get the lock finds that version stale."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        parties: int,
        inside: bool,
        operations: list[tuple[ModuleType, str]],
    ) -> None:
        self.barrier = threading.Barrier(parties)
        self.inside = inside
        if inside:
            for module, name in operations:
                monkeypatch.setattr(module, name, self._waiting(getattr(module, name)))

    def _waiting(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def operation(*args: Any, **kwargs: Any) -> Any:
            self.barrier.wait(timeout=30)
            return real(*args, **kwargs)

        return operation

    def before_sending(self) -> None:
        if not self.inside:
            self.barrier.wait(timeout=30)


def in_threads(calls: list[Callable[[], TestResponse]]) -> list[TestResponse]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [f.result(timeout=120) for f in futures]


def post_transition(
    app: Flask, org: Org, who: str, case_id: int, trigger: str, data: dict[str, Any], version: int
) -> TestResponse:
    body = {"trigger": trigger, "data": data, "expected_version": version}
    return app.test_client().post(
        f"/api/v1/cases/{case_id}/transitions", json=body, headers=org.headers(who)
    )


def shape(session: Session, case_id: int) -> dict[str, Any]:
    """A case and everything a transition writes for it, without ids and times, so that two
    cases that went through the same steps compare equal."""
    case = session.get(Case, case_id)
    assert case is not None
    deadlines = session.scalars(select(Deadline).where(Deadline.case_id == case_id)).all()
    notes = session.scalars(select(Notification).where(Notification.case_id == case_id)).all()
    mails = session.scalars(
        select(OutboxMail).where(OutboxMail.dedupe_key.in_([n.dedupe_key for n in notes]))
    ).all()
    return {
        "state": case.state,
        "events": [(e.trigger, e.from_state, e.to_state, e.actor_id) for e in case.events],
        "deadlines": sorted(
            (d.key, d.status, d.responsible_role, d.responsible_user_id or 0) for d in deadlines
        ),
        "notifications": sorted((n.user_id, n.kind, n.subject) for n in notes),
        "mails": sorted((m.to_address, m.subject.replace(case.reference, "·")) for m in mails),
        "measures": case.immediate_measures is not None,
        "investigator": case.investigator_id,
        "investigation": case.investigation is not None,
        "decisions": [d.outcome for d in case.decisions],
        "successor": shape(session, case.successor_case_id) if case.successor_case_id else None,
    }


def assert_clear_conflict(response: TestResponse, winning_trigger: str) -> None:
    """What the loser is told. When both wrote from the same version it is the version; when
    the winner committed before the loser read the case (SQLite lets one writer in at a time)
    the state has moved on, or the case has left the loser's sight: the chair does not see a
    reclassified case (need to know is checked first)."""
    error = response.get_json()["error"]
    expected = {
        409: {
            "stale_version": "Ärendet ",
            "wrong_state": "Steget kan inte utföras när ärendet har status ",
        },
        403: {"forbidden": "Du har inte behörighet"},
    }
    assert response.status_code == 409 or winning_trigger == "reclassify", error
    assert error["message"].startswith(expected[response.status_code][error["code"]])
    if error["code"] == "stale_version":
        assert "av någon annan" in error["message"]
        assert error["message"].endswith(RELOAD)
    # A state is named as the users know it, not by its code.
    assert "_" not in error["message"]


def delta(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> dict[str, int]:
    """Rows added per table, and references handed out (the counter's row is created by the
    first case of its type and year, so it is its value that counts)."""
    added = {t: n - counts(before)[t] for t, n in counts(after).items()}
    added["reference_counters"] = sum(r[-1] for r in after["reference_counters"]) - sum(
        r[-1] for r in before["reference_counters"]
    )
    return added


def versions(app: Flask, *case_ids: int) -> list[int]:
    with Session(engine_of(app)) as session:
        return [session.get_one(Case, i).version for i in case_ids]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_two_transitions_at_once_one_wins(own_app, org, monkeypatch, is_postgres, scenario):
    state, parties = SCENARIOS[scenario]
    with committing(own_app) as (session, world):
        case_id, twin_id = (case_in(session, world, state).id for _ in range(2))
    [version] = versions(own_app, case_id)
    before = snapshot(own_app)

    meeting = Meeting(monkeypatch, len(parties), is_postgres, [(api_transitions, "fire")])

    def send(who: str, trigger: str, data: dict[str, Any]) -> TestResponse:
        meeting.before_sending()
        return post_transition(own_app, org, who, case_id, trigger, data, version)

    responses = in_threads([lambda p=p: send(*p) for p in parties])
    monkeypatch.undo()

    codes = [r.status_code for r in responses]
    assert codes.count(200) == 1, [r.get_json() for r in responses]
    winner = parties[codes.index(200)]
    [refused] = [r for r in responses if r.status_code != 200]
    assert_clear_conflict(refused, winner[1])
    after = snapshot(own_app)

    # The winner's step alone, on an identical case, is the measure of what one transition
    # writes: the race wrote exactly that and nothing of the loser.
    who, trigger, data = winner
    [twin_version] = versions(own_app, twin_id)
    solo = post_transition(own_app, org, who, twin_id, trigger, data, twin_version)
    assert solo.status_code == 200, solo.get_json()
    twin_after = snapshot(own_app)

    raced, alone = delta(before, after), delta(after, twin_after)
    assert raced == alone
    assert raced["case_events"] >= 1
    # As many version bumps as the winner's step alone makes (one per flush of the case row).
    raced_to, twin_to = versions(own_app, case_id, twin_id)
    assert raced_to - version == twin_to - twin_version > 0
    with Session(engine_of(own_app)) as session:
        assert shape(session, case_id) == shape(session, twin_id)
        assert all(r.finding is None for r in verify_all(session))


def test_a_transition_and_a_record_at_once_one_wins(own_app, org, monkeypatch, is_postgres):
    """The manager records the immediate measures (a transition) while the SAS saves the
    investigation (an operation of workflows.records): both write the case row and the history,
    taking their locks in different orders. One wins, the other is told of the conflict."""
    with committing(own_app) as (session, world):
        # The SAS started before the manager recorded the measures: both are still to do.
        case = case_in(session, world, "submitted")
        fire(session, case, world.sas, "start_investigation")
        case_id = case.id
    [version] = versions(own_app, case_id)
    before = snapshot(own_app)
    meeting = Meeting(
        monkeypatch, 2, is_postgres, [(api_transitions, "fire"), (records, "save_investigation")]
    )

    def measures() -> TestResponse:
        meeting.before_sending()
        step = "record_immediate_measures"
        return post_transition(own_app, org, "manager", case_id, step, MEASURES, version)

    def investigation() -> TestResponse:
        body = {**investigation_data(), "expected_version": version}
        meeting.before_sending()
        return own_app.test_client().put(
            f"/api/v1/cases/{case_id}/investigation", json=body, headers=org.headers("sas")
        )

    responses = in_threads([measures, investigation])
    monkeypatch.undo()

    codes = [r.status_code for r in responses]
    assert sorted(codes) == [200, 409], [r.get_json() for r in responses]
    # A deadlock between the two (each holds what the other waits for) is broken by
    # PostgreSQL; whichever it refuses is answered as a conflict too.
    refused = responses[codes.index(409)].get_json()["error"]
    assert refused["code"] in ("stale_version", "conflict")
    assert "av någon annan" in refused["message"] or "Någon annan" in refused["message"]
    after = snapshot(own_app)
    assert len(after["case_events"]) == len(before["case_events"]) + 1
    [raced_to] = versions(own_app, case_id)
    assert raced_to > version
    with Session(engine_of(own_app)) as session:
        case = session.get_one(Case, case_id)
        if codes[0] == 200:
            assert case.immediate_measures is not None
            assert case.investigation.what_happened == ""
        else:
            assert case.immediate_measures is None
            assert case.investigation.what_happened == investigation_data()["what_happened"]
        assert all(r.finding is None for r in verify_all(session))


def test_a_record_operation_takes_the_case_row_before_the_chain_head(own_app, org, is_postgres):
    """Another transaction holds the case row and then takes the history's chain head, as a
    transition does. The SAS's save of the investigation locks the case row before the chain
    head (app/audit/chain.py), so it waits instead of holding the head: no deadlock, and once
    the other transaction ends the save goes through whole."""
    if not is_postgres:
        pytest.skip("SQLite has no row locks and cannot deadlock: writers wait their turn")
    with committing(own_app) as (session, world):
        case = case_in(session, world, "under_investigation")
        case_id, version = case.id, case.version
    before = snapshot(own_app)
    engine = engine_of(own_app)
    body = {**investigation_data(), "expected_version": version}

    with engine.connect() as other, ThreadPoolExecutor(max_workers=1) as pool:
        other.begin()
        other.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case_id})
        saving = pool.submit(
            own_app.test_client().put,
            f"/api/v1/cases/{case_id}/investigation",
            json=body,
            headers=org.headers("sas"),
        )
        wait_until_someone_waits_for_a_lock(engine)
        other.execute(text("UPDATE audit_chain_heads SET seq = seq WHERE chain = 'case_events'"))
        other.rollback()
        response = saving.result(timeout=60)

    assert response.status_code == 200, response.get_json()
    after = snapshot(own_app)
    assert len(after["case_events"]) == len(before["case_events"]) + 1
    with Session(engine) as session:
        case = session.get_one(Case, case_id)
        assert case.investigation.what_happened == investigation_data()["what_happened"]
        assert all(r.finding is None for r in verify_all(session))


def wait_until_someone_waits_for_a_lock(engine: Engine, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            conn.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the save never waited for the case row")


def test_in_the_browser_the_loser_gets_a_409_page_with_what_was_typed(
    own_app, org, monkeypatch, is_postgres
):
    """The manager records the immediate measures in the browser while the SAS starts the
    investigation, choosing another SAS as investigator, both from the page they opened. Both
    steps stay open whoever wins, so the loser's page must show the conflict and their own
    input, ready to be sent again."""
    with committing(own_app) as (session, world):
        case_id = case_in(session, world, "submitted").id
    [version] = versions(own_app, case_id)
    measures = "Nattpersonalen fick extra tillsyn av enhetschefen samma kväll."
    posts = {
        "manager": (
            "record_immediate_measures",
            {"measures": measures, "taken_at": "2026-01-05T22:00"},
        ),
        "sas": ("start_investigation", {"investigator_id": str(org.ids["sas2"])}),
    }
    browsers = {}
    for who in posts:
        browsers[who] = own_app.test_client()
        login = browsers[who].post("/login", data={"email": EMAILS[who], "password": "password"})
        assert login.status_code == 302

    meeting = Meeting(monkeypatch, 2, is_postgres, [(case_views, "fire")])

    def post(who: str) -> TestResponse:
        step, fields = posts[who]
        form = {f"{step}-{k}": v for k, v in fields.items()} | {"expected_version": str(version)}
        meeting.before_sending()
        return browsers[who].post(f"/arenden/{case_id}/steg/{step}", data=form)

    responses = dict(zip(posts, in_threads([lambda w=w: post(w) for w in posts]), strict=True))
    monkeypatch.undo()

    assert sorted(r.status_code for r in responses.values()) == [302, 409]
    [(loser, page)] = [(w, r) for w, r in responses.items() if r.status_code == 409]
    html = page.get_data(as_text=True)
    [message] = re.findall(r'id="error-summary-title">([^<]*)<', html)
    assert "av någon annan" in message
    assert message.endswith(RELOAD)
    if loser == "manager":
        assert re.search(
            rf'name="record_immediate_measures-measures">\s*{re.escape(measures)}</textarea>', html
        )
    else:
        assert f'<option value="{org.ids["sas2"]}" selected>' in html
    with Session(engine_of(own_app)) as session:
        case = session.get_one(Case, case_id)
        won = posts[next(w for w in posts if w != loser)][0]
        assert [e.trigger for e in case.events] == ["submit", won]
        assert (case.immediate_measures is not None) == (won == "record_immediate_measures")
        assert (case.investigation is not None) == (won == "start_investigation")
        assert all(r.finding is None for r in verify_all(session))


def test_many_writers_at_once_keep_the_history_chain_whole(own_app, org, monkeypatch, is_postgres):
    """Reports submitted and transitions fired on different cases, all at once: every request
    succeeds, each writes its own history, and the chain has no fork and no gap."""
    with committing(own_app) as (session, world):
        cases = [case_in(session, world, "submitted") for _ in range(6)]
        fresh = [(c.id, c.version) for c in cases]
    before = snapshot(own_app)
    meeting = Meeting(
        monkeypatch,
        12,
        is_postgres,
        [(api_transitions, "fire"), (api_cases, "submit_report")],
    )

    def submit() -> TestResponse:
        body = {**report_data(SimpleNamespace(id=org.ids["solgarden"])), "case_type": "lex_sarah"}
        meeting.before_sending()
        return own_app.test_client().post(
            "/api/v1/cases", json=body, headers=org.headers("reporter")
        )

    def transition(case_id: int, version: int, n: int) -> TestResponse:
        who, trigger, data = (
            ("sas", "start_investigation", {})
            if n % 2
            else ("manager", "record_immediate_measures", MEASURES)
        )
        meeting.before_sending()
        return post_transition(own_app, org, who, case_id, trigger, data, version)

    calls: list[Callable[[], TestResponse]] = [submit for _ in range(6)]
    calls += [lambda c=c, v=v, n=n: transition(c, v, n) for n, (c, v) in enumerate(fresh)]
    responses = in_threads(calls)
    monkeypatch.undo()

    assert [r.status_code for r in responses] == [201] * 6 + [200] * 6, [
        r.get_json() for r in responses if r.status_code >= 400
    ]
    after = snapshot(own_app)
    assert len(after["case_events"]) - len(before["case_events"]) == 12
    with Session(engine_of(own_app)) as session:
        seqs = sorted(session.scalars(select(CaseEvent.chain_seq)))
        assert seqs == list(range(1, len(seqs) + 1))
        assert all(r.finding is None for r in verify_all(session))


def test_in_the_browser_text_typed_for_a_step_someone_else_just_took_is_kept(own_app, org):
    """Both managers opened the page and typed measures; the area manager sent first. The unit
    manager's step is no longer open, but what they typed must not be lost."""
    with committing(own_app) as (session, world):
        case_id = case_in(session, world, "submitted").id
    [version] = versions(own_app, case_id)
    step = "record_immediate_measures"
    typed = "Nattpersonalen fick extra tillsyn av enhetschefen samma kväll."
    pages = {}
    for who in ("area_manager", "manager"):
        pages[who] = own_app.test_client()
        pages[who].post("/login", data={"email": EMAILS[who], "password": "password"})
    first = pages["area_manager"].post(
        f"/arenden/{case_id}/steg/{step}",
        data={f"{step}-measures": "Extra nattvakt.", f"{step}-taken_at": "2026-01-05T22:00"},
    )
    assert first.status_code == 302
    late = pages["manager"].post(
        f"/arenden/{case_id}/steg/{step}",
        data={
            f"{step}-measures": typed,
            f"{step}-taken_at": "2026-01-05T22:00",
            "expected_version": str(version),
        },
    )
    assert late.status_code == 409
    assert typed in late.get_data(as_text=True)
