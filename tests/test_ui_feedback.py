"""Feedback to the reporter on the case page and in "Mina rapporter" (DOMAIN.md §3.1 rev. 2): its
own form in the follow-up part from the investigation's completion on, the list of what was given,
closing refused in Swedish until there is some, and the reporter reading it before closing."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import CLOSE, FEEDBACK, case_in, case_of
from workflows.feedback import record_feedback


def _page(client, case, status=200):
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def _follow_up_part(html: str) -> str:
    start = html.index('id="del-uppfoljning"')
    end = html.index('class="phase"', start)
    return html[start:end]


def _post(client, case, data):
    return client.post(
        f"/arenden/{case.id}/aterkoppling", data={"expected_version": str(case.version), **data}
    )


def test_the_form_is_offered_in_the_follow_up_part_once_the_investigation_is_complete(
    client, auth, world, session
):
    auth.login("sas@test.se")
    under = case_in(session, world, "under_investigation")
    assert f'action="/arenden/{under.id}/aterkoppling"' not in _page(client, under)

    case = case_in(session, world, "awaiting_decision")
    part = _follow_up_part(_page(client, case))
    assert f'action="/arenden/{case.id}/aterkoppling"' in part
    assert "Ingen återkoppling till den som rapporterade är registrerad än." in part
    # The closing form asks only what closing records now.
    closing = case_in(session, world, "follow_up")
    html = _page(client, closing)
    assert 'name="close-person_informed"' in html
    assert 'name="close-feedback_text"' not in html


def test_feedback_recorded_through_the_page_is_listed(client, auth, world, session):
    case = case_in(session, world, "follow_up")
    auth.login("sas@test.se")
    response = _post(client, case, FEEDBACK)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#aterkoppling")
    session.expire_all()
    assert [f.text for f in case.feedback] == [FEEDBACK["feedback_text"]]
    part = _follow_up_part(_page(client, case))
    assert FEEDBACK["feedback_text"] in part
    assert "På arbetsplatsträff (APT)" in part


def test_refused_feedback_keeps_what_was_typed(client, auth, world, session):
    case = case_in(session, world, "follow_up")
    auth.login("sas@test.se")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = _post(
        client,
        case,
        {
            "feedback_on": tomorrow,
            "feedback_channel": "direct",
            "feedback_text": "Vi har pratat om rutinen.",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="feedback_on-error"' in html
    assert "Datumet kan inte ligga i framtiden." in html
    assert "Vi har pratat om rutinen." in html
    session.expire_all()
    assert case.feedback == []


def test_closing_without_feedback_is_refused_in_swedish(client, auth, world, session):
    case = case_in(session, world, "follow_up")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/steg/close",
        data={"expected_version": str(case.version), **{f"close-{k}": v for k, v in CLOSE.items()}},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Återkopplingen till den som rapporterade måste registreras innan ärendet avslutas." in html
    )
    session.expire_all()
    assert case.state == "follow_up"


def test_a_deviation_s_manager_gives_feedback_on_the_page(client, auth, world, session):
    case = case_of(session, world, "deviation", "follow_up")
    auth.login("manager@test.se")
    assert f'action="/arenden/{case.id}/aterkoppling"' in _page(client, case)
    assert _post(client, case, FEEDBACK).status_code == 302
    session.expire_all()
    assert case.feedback[0].recorded_by_id == world.manager.id


def test_others_are_refused(client, auth, world, session):
    case = case_in(session, world, "follow_up")
    auth.login("manager@test.se")
    assert f'action="/arenden/{case.id}/aterkoppling"' not in _page(client, case)
    assert _post(client, case, FEEDBACK).status_code == 403
    session.expire_all()
    assert case.feedback == []


def test_the_reporter_reads_the_feedback_before_the_case_is_closed(client, auth, world, session):
    case = case_in(session, world, "follow_up")
    record_feedback(session, case, world.sas, FEEDBACK)
    session.flush()
    auth.login("reporter@test.se")
    html = client.get("/mina-rapporter").get_data(as_text=True)
    assert FEEDBACK["feedback_text"] in html
    assert date.today().isoformat() in html
