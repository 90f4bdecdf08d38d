"""Every step of every machine, fired by the role that fires it from a state where it can fire,
with spoiled data: through the API (JSON) and through the case page's form (the browser's POST).
Never a 500; the API answers in JSON with the fields named, the page is shown again in Swedish
with what was typed, and no input turns into markup."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from app.api.openapi_schemas import unbound_fields
from app.models import Case, User
from forms.storable import has_forbidden
from tests.api_client import Api
from tests.factories import (
    FEEDBACK,
    PATHS,
    World,
    assessment,
    escalation_target,
    investigation_data,
    new_case_of,
)
from workflows.engine import fire
from workflows.feedback import record_feedback
from workflows.records import save_investigation
from workflows.registry import flow_for

from .strategies import mutated
from .support import FEW, Browsers, assert_api_answer, assert_html_page, browser_form, rolled_back
from .targets import transition_plan

# lex Maria's machine is lex Sarah's (workflows/ivo_flow.py): its steps are walked there.
WALKS = ("lex_sarah", "deviation")


@pytest.fixture
def api(client, session):
    return Api(client, session)


def advance(session: Any, world: World, case: Case, done: str, state: str) -> None:
    """The steps from ``done`` to ``state`` on the factories' paths, taken by their people."""
    path = PATHS[case.case_type]
    for trigger, who, data in path[state][len(path[done]) :]:
        actor = escalation_target(world, case) if who == "target" else getattr(world, who)
        if trigger == "__investigate__":
            save_investigation(session, case, actor, data)
        elif trigger == "__feedback__":
            record_feedback(session, case, actor, data)
        elif "assess" in data:
            fire(session, case, actor, trigger, assessment(session, **data["assess"]))
        else:
            fire(session, case, actor, trigger, data)
    assert case.state == state


def test_every_step_refuses_spoiled_data(app, api, session, world):
    browsers = Browsers(app)
    plan = transition_plan(session, world)
    fired = set()
    for case_type in WALKS:
        case = new_case_of(session, world, case_type)
        done = "submitted"
        for state, steps in plan[case_type]:
            if state not in PATHS[case_type]:
                break
            advance(session, world, case, done, state)
            done = state
            if state == "under_investigation":
                # So that completing it can be accepted too.
                save_investigation(session, case, world.sas, investigation_data())
            if state == "follow_up":
                # So that closing can be accepted too: it needs the feedback given first.
                handler = world.sas if case_type == "lex_sarah" else world.manager
                record_feedback(session, case, handler, FEEDBACK)
            for trigger, who, valid in steps:
                user = getattr(world, who)
                api.token(user)
                browsers(user)
                accepted(api, session, case, user, trigger, valid)
                spoiled_step(api, browsers, session, case, user, trigger, valid)()
                fired.add(trigger)
    assert fired == {t for walk in WALKS for _s, steps in plan[walk] for t, _w, _d in steps}


def accepted(api: Api, session: Any, case: Case, user: User, trigger: str, valid: Any) -> None:
    with rolled_back(session):
        response = api.fire(user, case.id, trigger, valid, expected_version=case.version)
        assert response.status_code == 200, (trigger, response.get_json())


def spoiled_step(
    api: Api,
    browsers: Browsers,
    session: Any,
    case: Case,
    user: User,
    trigger: str,
    valid: dict[str, Any],
) -> Any:
    # A step without data (completing the investigation) ignores any: a few draws show that.
    @settings(FEW, max_examples=FEW.max_examples if valid else 2)
    @given(data=mutated(valid or {"x": ""}, ("expected_version", "comment")))
    def run(data: dict[str, Any]) -> None:
        with rolled_back(session):
            response = api.fire(user, case.id, trigger, data)
            assert_api_answer(response, (trigger, data))
        form = browser_form(data)
        with rolled_back(session):
            response = browsers(user).post(f"/arenden/{case.id}/steg/{trigger}", data=form)
            html = assert_html_page(response, (trigger, data))
        if response.status_code in (400, 409, 422):
            assert 'class="error-summary"' in html, (trigger, response.status_code)
        if response.status_code == 422:
            kept(html, form, trigger, case)

    return run


def kept(html: str, form: MultiDict[str, str], trigger: str, case: Case) -> None:
    """The page shown again holds what was typed in the step's text fields, escaped."""
    step = flow_for(case.case_type).step(trigger)
    assert step is not None
    if step.form is None:
        return
    for name, unbound in unbound_fields(step.form):
        value = form.get(name, "")
        text = issubclass(unbound.field_class, StringField)
        if text and value.strip() and not has_forbidden(value):
            assert str(escape(value)) in html, (trigger, name, value[:80])
