"""Every read of case content is in the access log: who, when, which case, which view, from
where (DOMAIN.md §9). A refused read is not a read; a page shown again with errors is."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.models import AccessLogEntry, AppendOnlyLogError, User
from tests.api_client import Api
from tests.factories import case_in, case_of, make_world
from workflows.records import add_attachment


@pytest.fixture
def setting(app, session) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    world = make_world(session)
    ls = case_in(session, world, "awaiting_decision")
    lm = case_of(session, world, "lex_maria", "under_investigation")
    attachment = add_attachment(
        session,
        ls,
        world.reporter,
        FileStorage(BytesIO(b"%PDF-1.4\n"), filename="underlag.pdf"),
        Path(app.config["UPLOAD_FOLDER"]),
    )
    session.flush()
    return {"world": world, "ls": ls, "lm": lm, "attachment": attachment}


def _log(session, user: User) -> list[AccessLogEntry]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(
        session.scalars(
            select(AccessLogEntry)
            .where(AccessLogEntry.user_id == user.id)
            .order_by(AccessLogEntry.chain_seq)
        )
    )


def _login(client, user: User) -> None:  # type: ignore[no-untyped-def]
    assert (
        client.post("/login", data={"email": user.email, "password": "password"}).status_code == 302
    )


UI_READS = [
    ("/arenden/{ls}", "cases.case_page", ""),
    ("/arenden/{ls}/dokument/investigation.pdf", "cases.case_document", "Utredning_"),
    ("/arenden/{ls}/bilagor/{attachment}", "cases.download_attachment", "bilaga "),
]


@pytest.mark.parametrize(("path", "view", "detail"), UI_READS)
def test_ui_reads_are_logged(client, session, setting, path, view, detail) -> None:  # type: ignore[no-untyped-def]
    sas = setting["world"].sas
    _login(client, sas)
    url = path.format(ls=setting["ls"].id, attachment=setting["attachment"].id)
    response = client.get(url, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    response.close()
    [entry] = [e for e in _log(session, sas) if e.view == view]
    assert entry.case_id == setting["ls"].id
    assert entry.case_reference == setting["ls"].reference
    assert entry.user_name == sas.name
    assert entry.address == "10.1.2.3"
    assert entry.detail.startswith(detail)
    assert entry.at is not None


def test_lists_log_each_case_they_show(client, session, setting) -> None:  # type: ignore[no-untyped-def]
    sas = setting["world"].sas
    _login(client, sas)
    assert client.get("/arenden").status_code == 200
    logged = {(e.view, e.case_id) for e in _log(session, sas)}
    assert ("cases.case_list", setting["ls"].id) in logged
    # The SAS sees no lex Maria case, so none is logged for them.
    assert ("cases.case_list", setting["lm"].id) not in logged
    # The chair's inbox holds the case awaiting the decision.
    chair = setting["world"].chair
    _login(client, chair)
    assert client.get("/").status_code == 200
    assert ("cases.inbox", setting["ls"].id) in {(e.view, e.case_id) for e in _log(session, chair)}


def test_the_reporter_reading_their_reports_is_logged(client, session, setting) -> None:  # type: ignore[no-untyped-def]
    reporter = setting["world"].reporter
    _login(client, reporter)
    assert client.get("/mina-rapporter").status_code == 200
    cases = {e.case_id for e in _log(session, reporter) if e.view == "reports.my_reports"}
    assert {setting["ls"].id, setting["lm"].id} <= cases


@pytest.mark.parametrize(
    ("path", "view"),
    [
        ("cases/{ls}", "api.case_detail"),
        ("cases/{ls}/events", "api.case_events"),
        ("cases/{ls}/deadlines", "api.case_deadlines_view"),
        ("cases/{ls}/documents/investigation.pdf", "api.case_document"),
        ("cases", "api.list_cases"),
    ],
)
def test_api_reads_are_logged(client, session, setting, path, view) -> None:  # type: ignore[no-untyped-def]
    sas = setting["world"].sas
    api = Api(client, session)
    assert api.get(sas, path.format(ls=setting["ls"].id)).status_code == 200
    assert (view, setting["ls"].id) in {(e.view, e.case_id) for e in _log(session, sas)}


def test_a_refused_read_is_not_logged(client, session, setting) -> None:  # type: ignore[no-untyped-def]
    mas = setting["world"].mas
    _login(client, mas)
    assert client.get(f"/arenden/{setting['ls'].id}").status_code == 403
    assert Api(client, session).get(mas, f"cases/{setting['ls'].id}").status_code == 403
    assert _log(session, mas) == []


def test_a_refused_step_still_logs_the_page_it_shows(client, session, setting) -> None:  # type: ignore[no-untyped-def]
    """The chair's decision without a motivation is refused (422) and the page is shown again
    with the case on it: that was a read."""
    chair = setting["world"].chair
    _login(client, chair)
    response = client.post(
        f"/arenden/{setting['ls'].id}/steg/return_for_completion", data={"comment": ""}
    )
    assert response.status_code in (409, 422)
    assert [e.view for e in _log(session, chair)] == ["cases.fire_step"]


def test_the_access_log_is_append_only(client, session, setting) -> None:  # type: ignore[no-untyped-def]
    sas = setting["world"].sas
    _login(client, sas)
    client.get(f"/arenden/{setting['ls'].id}")
    [entry] = _log(session, sas)

    def change() -> None:
        with session.begin_nested():
            entry.address = "127.0.0.1"
            session.flush()

    def remove() -> None:
        with session.begin_nested():
            session.delete(entry)
            session.flush()

    with pytest.raises(AppendOnlyLogError):
        change()
    with pytest.raises(AppendOnlyLogError):
        remove()
    assert [e.address for e in _log(session, sas)] == [entry.address]
