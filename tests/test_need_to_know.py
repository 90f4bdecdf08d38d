"""Need to know (DOMAIN.md §2, §9, §3.1 rev. 2): the case page's history and the attachments show
each entry only to those who may see the section its step writes — the same answer as the API."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from tests.api_client import Api
from tests.factories import case_in, investigation_data
from workflows.engine import fire
from workflows.errors import NotAllowed
from workflows.records import add_attachment, save_investigation

START = "STARTKOMMENTAR-UTREDAREN"
RETURNED = "ORDFÖRANDENS-ÅTERFÖRVISNING"
COMPLETED = "SLUTFÖRDKOMMENTAR-UTREDAREN"


def _walk_with_comments(session, world):  # type: ignore[no-untyped-def]
    """The chair returns the case with a comment; the SAS starts and completes the
    investigation with comments."""
    case = case_in(session, world, "awaiting_investigation")
    fire(session, case, world.sas, "start_investigation", {}, comment=START)
    save_investigation(session, case, world.sas, investigation_data())
    fire(session, case, world.sas, "complete_investigation", {}, comment="Första versionen.")
    fire(session, case, world.chair, "return_to_investigator", {"comment": RETURNED})
    fire(session, case, world.sas, "complete_investigation", {}, comment=COMPLETED)
    session.flush()
    return case


def test_the_managers_case_page_shows_no_investigation_or_decision_comment(
    client, auth, world, session
):  # type: ignore[no-untyped-def]
    case = _walk_with_comments(session, world)
    auth.login("manager@test.se")
    response = client.get(f"/arenden/{case.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="historik"' in html  # the manager sees that the steps happened …
    for text in (START, RETURNED, COMPLETED):
        assert text not in html  # … but not what the investigator and the chair wrote
    auth.logout()

    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    for text in (START, RETURNED, COMPLETED):
        assert text in html


def test_the_page_and_the_api_redact_the_same_rows(client, world, session):  # type: ignore[no-untyped-def]
    case = _walk_with_comments(session, world)
    api = Api(client, session)
    items = api.request("GET", world.manager, f"cases/{case.id}/events").get_json()["items"]
    redacted = {i["trigger"] for i in items if i["redacted"]}
    assert {"start_investigation", "complete_investigation", "return_to_investigator"} <= redacted
    assert not {"submit", "record_immediate_measures"} & redacted


@pytest.fixture
def investigator_file(app, session, world):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "under_investigation")
    attachment = add_attachment(
        session,
        case,
        world.sas,
        FileStorage(BytesIO(b"%PDF-1.4\nUTREDARENS UNDERLAG\n"), filename="intervju.pdf"),
        Path(app.config["UPLOAD_FOLDER"]),
        section="investigation",
    )
    session.flush()
    return case, attachment


@pytest.mark.parametrize("email", ["reporter@test.se", "manager@test.se"])
def test_an_investigators_attachment_is_not_for_the_reporter_or_the_manager(
    client, auth, session, world, investigator_file, email
):  # type: ignore[no-untyped-def]
    case, attachment = investigator_file
    auth.login(email)
    response = client.get(f"/arenden/{case.id}/bilagor/{attachment.id}")
    assert response.status_code in (403, 404)
    response.close()
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "intervju.pdf" not in html
    user = {"reporter@test.se": world.reporter, "manager@test.se": world.manager}[email]
    detail = Api(client, session).request("GET", user, f"cases/{case.id}").get_json()
    assert "intervju.pdf" not in str(detail)


def test_the_investigator_reads_the_file_where_the_investigation_is(
    client, auth, investigator_file
):  # type: ignore[no-untyped-def]
    case, attachment = investigator_file
    auth.login("sas@test.se")
    response = client.get(f"/arenden/{case.id}/bilagor/{attachment.id}")
    assert response.status_code == 200
    assert b"UTREDARENS UNDERLAG" in response.data
    response.close()
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    investigation = html[html.index('id="utredning"') :]
    assert "intervju.pdf" in investigation


def test_the_investigator_uploads_in_the_investigation_section(client, auth, world, session):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'name="section" value="investigation"' in html
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={
            "section": "investigation",
            "attachment": (BytesIO(b"%PDF-1.4\n"), "samtal.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    [attachment] = case.attachments
    assert attachment.section == "investigation"


def test_the_reporter_cannot_write_to_the_investigation(app, world, session):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "under_investigation")
    for user in (world.reporter, world.manager):
        with pytest.raises(NotAllowed):
            add_attachment(
                session,
                case,
                user,
                FileStorage(BytesIO(b"%PDF-1.4\n"), filename="x.pdf"),
                Path(app.config["UPLOAD_FOLDER"]),
                section="investigation",
            )


def test_a_file_uploaded_in_the_investigation_is_not_the_reporters(client, auth, world, session):  # type: ignore[no-untyped-def]
    """Through the pages alone, as it happens: the SAS adds a file where the investigation is
    written; the reporter and the manager then ask for it."""
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={"section": "investigation", "attachment": (BytesIO(b"%PDF-1.4\n"), "samtal.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    auth.logout()
    session.expire_all()
    [attachment] = case.attachments
    for email in ("reporter@test.se", "manager@test.se"):
        auth.login(email)
        response = client.get(f"/arenden/{case.id}/bilagor/{attachment.id}")
        assert response.status_code in (403, 404), email
        response.close()
        auth.logout()


def test_the_deciders_file_belongs_to_the_decision(app, client, auth, session, world):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "awaiting_decision")
    upload = FileStorage(BytesIO(b"%PDF-1.4\nSIGNERAT PROTOKOLL\n"), filename="protokoll.pdf")
    folder = Path(app.config["UPLOAD_FOLDER"])
    # Only the decider writes there; the reporter may not, whatever they ask for.
    with pytest.raises(NotAllowed):
        add_attachment(session, case, world.reporter, upload, folder, section="decision")
    attachment = add_attachment(session, case, world.chair, upload, folder, section="decision")
    session.commit()
    assert attachment.section == "decision"
    for email, status in (
        ("chair@test.se", 200),
        ("sas@test.se", 200),
        ("reporter@test.se", 403),
        ("manager@test.se", 403),
    ):
        auth.login(email)
        response = client.get(f"/arenden/{case.id}/bilagor/{attachment.id}")
        assert response.status_code == status, email
        response.close()
        auth.logout()


def test_the_decider_uploads_in_the_decision_section(client, auth, world, session):  # type: ignore[no-untyped-def]
    case = case_in(session, world, "awaiting_decision")
    session.commit()
    auth.login("chair@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert 'name="section" value="decision"' in html
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={
            "section": "decision",
            "expected_version": str(case.version),
            "attachment": (BytesIO(b"%PDF-1.4\n"), "beslut.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#beslut-bilagor")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "beslut.pdf" in html[html.index('id="beslut-filer"') :]
