"""Completing the investigation from the case page saves what was typed first: no click of
"Slutför utredning" throws text away, and a refused completion shows the text again with each
gap at its field (issue 14)."""

from __future__ import annotations

from tests.factories import case_in, investigation_data


def _post_complete(client, case, fields, version=None):
    return client.post(
        f"/arenden/{case.id}/steg/complete_investigation",
        data={
            **fields,
            "with_investigation": "1",
            "expected_version": str(case.version if version is None else version),
        },
    )


def test_the_page_offers_completion_inside_the_investigation_form(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'id="utredningsformular"' in html
    target = f'formaction="/arenden/{case.id}/steg/complete_investigation"'
    # Both buttons, in the form and among the next steps, submit the investigation form.
    assert html.count(target) == 2
    assert 'form="utredningsformular"' in html
    assert f' action="/arenden/{case.id}/steg/complete_investigation"' not in html


def test_refused_completion_keeps_the_typed_text(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = _post_complete(client, case, {"what_happened": "Text som inte får försvinna"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Text som inte får försvinna" in html
    # The gaps are at their fields; the summary leads to the first rather than listing them all.
    assert 'id="how_noticed-error"' in html
    assert 'id="what_happened-error"' not in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li>") == 1 + summary.count("Omedelbara")
    assert "uppgifter i utredningen saknas" in summary
    session.expire_all()
    assert case.state == "under_investigation"
    assert case.investigation.what_happened == "Text som inte får försvinna"


def test_completion_with_everything_typed_saves_and_completes(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = _post_complete(client, case, investigation_data(grade="no_misconduct"))
    assert response.status_code == 302
    session.expire_all()
    assert case.state == "follow_up"
    assert case.investigation.how_noticed == "Personal upptäckte det vid tillsyn."
    assert case.investigation.completed_at is not None


def test_stale_completion_saves_nothing_and_shows_the_text(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = _post_complete(client, case, {"what_happened": "Min text"}, case.version - 1)
    assert response.status_code == 409
    assert "Min text" in response.get_data(as_text=True)
    session.expire_all()
    assert case.investigation.what_happened == ""
    assert case.state == "under_investigation"
