"""A deadline's basis ends with the length of its own rule (DOMAIN.md §4): when the administrator
changes 24 hours to 12, new cases read "12 timmar", running ones keep their rule's "24 timmar",
and no number is left frozen in the stored text."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.deadline_labels import basis_length, duration_text, rule_length
from app.models import DeadlineRule
from tests.clock.support import Clock, deadlines, local
from tests.factories import new_case

PATH = "/admin/tidsfrister/lex_sarah/immediate_measures"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


def _basis(html: str, deadline) -> str:
    start = html.index(f'id="tidsfrist-{deadline.id}"')
    item = html[start : html.index("</li>", start)]
    basis = item[item.index('<p class="deadline__basis"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", basis[: basis.index("</p>")])).strip()


def _form(rule: DeadlineRule, **changes: str) -> dict[str, str]:
    """The rule's edit form as the page would post it, with ``changes``."""
    data = {
        "duration_value": str(rule.duration_value),
        "duration_unit": rule.duration_unit,
        "reminders": "halvvägs, 1 arbetsdag",
        "escalation_target": rule.escalation_target,
        "second_escalation_target": rule.second_escalation_target or "",
        "second_escalation_after": str(rule.second_escalation_after),
        "second_escalation_unit": rule.second_escalation_unit,
        "cap_months": "",
        "cap_anchor": "",
        "legal_basis": rule.legal_basis,
        "basis_kind": rule.basis_kind,
        "enabled": "y",
        "note": "",
    }
    return {**data, **changes}


def test_the_basis_text_follows_the_rule_after_the_admin_changes_it(
    client, auth, world, session, clock
):
    running = new_case(session, world)
    session.flush()
    old = deadlines(session, running)["immediate_measures"]
    # The stored text carries no length of its own.
    assert "24" not in old.rule.legal_basis

    auth.login(world.admin.email)
    response = client.post(PATH, data=_form(old.rule, duration_value="12"))
    assert response.status_code == 302
    auth.logout()
    clock.set(local(2026, 12, 7, 10, 0))
    fresh = new_case(session, world)
    session.flush()
    new = deadlines(session, fresh)["immediate_measures"]
    assert new.rule.policy.version == old.rule.policy.version + 1

    auth.login("sas@test.se")
    new_basis = _basis(client.get(f"/arenden/{fresh.id}").get_data(as_text=True), new)
    old_basis = _basis(client.get(f"/arenden/{running.id}").get_data(as_text=True), old)
    assert "vidtas ”omedelbart”. 12 timmar är lokal rutin." in new_basis
    assert "24" not in new_basis
    # A running deadline keeps the rule it started under, and says so.
    assert old_basis.endswith("vidtas ”omedelbart”. 24 timmar är lokal rutin.")


def test_every_rule_of_the_default_policy_reads_its_own_length(app, session):
    with app.test_request_context():
        # Every version's rules, the one in force last: its text wins in ``texts``.
        rules = session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)).all()
        texts = {(r.key, r.case_type): (r.legal_basis, basis_length(r)) for r in rules}
    assert texts[("immediate_measures", "lex_maria")][1] == "24 timmar är lokal rutin."
    assert texts[("investigation_start", "lex_sarah")][1] == "2 arbetsdagar är lokal rutin."
    assert texts[("investigation_complete", "lex_sarah")][1] == "42 dagar är lokal rutin."
    assert texts[("ivo_filing", "lex_maria")][1] == (
        "7 dagar och högst 2 månader efter händelsen är lokal rutin."
    )
    assert texts[("investigation_to_ivo", "lex_sarah")][1] == "Tidsfristen är 2 månader."
    # No cap from the report for lex Sarah's filing, and the days are a local routine (rev. 2).
    assert texts[("ivo_filing", "lex_sarah")][1] == "7 dagar är lokal rutin."
    # An action's deadline is its own date: no length to tell.
    assert texts[("action_due", "deviation")][1] == ""
    # No default text still ends with a length of its own.
    for (key, case_type), (text, _length) in texts.items():
        assert not re.search(r"(\d+|Sex|Två) \w+ (och .*)?är lokal rutin\.$", text), (
            key,
            case_type,
            text,
        )


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1, "hours", "1 timme"),
        (12, "hours", "12 timmar"),
        (1, "calendar_days", "1 dag"),
        (30, "calendar_days", "30 dagar"),
        (1, "working_days", "1 arbetsdag"),
        (3, "working_days", "3 arbetsdagar"),
        (1, "months", "1 månad"),
        (2, "months", "2 månader"),
        (0, "own_date", ""),
    ],
)
def test_a_length_in_words(app, value, unit, words):
    with app.test_request_context():
        assert duration_text(value, unit) == words


def test_a_cap_of_one_month_from_the_report(app):
    rule = DeadlineRule(
        duration_value=1,
        duration_unit="calendar_days",
        cap_months=1,
        cap_anchor="report_received",
        basis_kind="law",
    )
    with app.test_request_context():
        assert rule_length(rule) == "1 dag och högst 1 månad efter att rapporten kom in"
        assert (
            basis_length(rule)
            == "Tidsfristen är 1 dag och högst 1 månad efter att rapporten kom in."
        )
