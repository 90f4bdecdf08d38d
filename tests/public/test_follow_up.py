"""Following a case with receipt code and secret (DOMAIN.md §3.5 rev. 2): the status in plain
words and the feedback, never the investigation, names or other cases; wrong code and wrong
secret indistinguishable; attempts limited per address and per code."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth import passwords
from app.models import Case, Receipt
from app.public import operations as ops
from tests.factories import MEASURES, case_in, investigation_data, walk
from tests.public.helpers import link_for, open_follow_up, report_form, submit
from workflows.feedback import record_feedback


def _submitted(client, session, world, **overrides):  # type: ignore[no-untyped-def]
    link = link_for(session, world.solgarden)
    session.commit()
    code, secret = submit(client, link, report_form(world, **overrides))
    receipt = session.scalar(select(Receipt).where(Receipt.code == code))
    return receipt.case, code, secret


def test_the_follow_up_shows_plain_status_and_feedback_but_not_the_investigation(
    client, session, world
):
    case, code, secret = _submitted(client, session, world, **{"persons-0-name": "Anna Andersson"})
    other = case_in(session, world, "under_investigation")
    session.commit()

    opened = open_follow_up(client, code, secret)
    assert opened.status_code == 302
    page = client.get("/foljupp/arende")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert case.reference in html
    assert "Mottaget. Det väntar på att bli behandlat." in html
    # No internal state name, no names, no other case.
    assert "submitted" not in html
    assert "Anna Andersson" not in html
    assert world.sas.name not in html
    assert other.reference not in html

    # Walk the case to feedback: the feedback is shown, the investigation and the immediate
    # measures never.
    walk(session, world, case, "awaiting_decision")
    record_feedback(
        session,
        case,
        world.sas,
        {
            "feedback_on": date.today().isoformat(),
            "feedback_channel": "direct",
            "feedback_text": "Rutinen för tillsyn nattetid är ändrad.",
        },
    )
    session.commit()
    html = client.get("/foljupp/arende").get_data(as_text=True)
    assert "Rutinen för tillsyn nattetid är ändrad." in html
    assert "Behandlas." in html
    for text in ("what_happened", "causes_text", "measures_text", "grade_motivation"):
        assert investigation_data()[text] not in html
    assert MEASURES["measures"] not in html
    assert world.sas.name not in html
    assert world.manager.name not in html


def test_a_wrong_code_and_a_wrong_secret_answer_alike_and_both_run_scrypt(
    client, session, world, monkeypatch
):
    _case, code, secret = _submitted(client, session, world)
    checked: list[str] = []
    real = passwords.check_password

    def counting(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password", counting)
    wrong_secret = open_follow_up(client, code, "fel lösenord som är långt")
    assert len(checked) == 1
    wrong_code = open_follow_up(client, "AAAA-AAAA-AAAA", secret)
    assert len(checked) == 2
    # The unknown code was checked against the dummy hash, at the same cost.
    assert checked[1].split("$")[0] == checked[0].split("$")[0]
    assert wrong_secret.status_code == wrong_code.status_code == 422
    # The same page, but for the code the visitor typed, which is kept in its field.
    assert wrong_secret.get_data(as_text=True).replace(code, "KOD") == wrong_code.get_data(
        as_text=True
    ).replace("AAAA-AAAA-AAAA", "KOD")
    assert f'value="{code}"' in wrong_secret.get_data(as_text=True)
    assert "Kvittokoden eller lösenordet stämmer inte" in wrong_code.get_data(as_text=True)
    # Not signed in to anything.
    assert client.get("/foljupp/arende").status_code == 401


def test_follow_up_attempts_are_limited_per_code_and_per_address(app, client, session, world):
    _case, code, secret = _submitted(client, session, world)
    app.config["PUBLIC_FOLLOW_UP_PER_CODE"] = 3
    for _ in range(3):
        assert open_follow_up(client, code, "fel lösenord igen").status_code == 422
    # The fourth try on this code is refused even with the right secret, from anywhere.
    refused = client.post(
        "/foljupp",
        data={"code": code, "secret": secret},
        environ_base={"REMOTE_ADDR": "10.1.1.1"},
    )
    assert refused.status_code == 429
    assert client.get("/foljupp/arende").status_code == 401
    # Per address: many codes from one address.
    app.config["PUBLIC_FOLLOW_UP_PER_CODE"] = 100
    app.config["PUBLIC_FOLLOW_UP_PER_ADDRESS"] = 2
    elsewhere = {"REMOTE_ADDR": "10.2.2.2"}

    def tried(code: str) -> int:
        return client.post(
            "/foljupp", data={"code": code, "secret": "x" * 12}, environ_base=elsewhere
        ).status_code

    assert tried("BBBB-BBBB-BBB0") == 422
    assert tried("BBBB-BBBB-BBB1") == 422
    assert tried("CCCC-CCCC-CCCC") == 429


def test_the_follow_up_expires_and_asks_for_the_secret_again(app, client, session, world):
    _case, code, secret = _submitted(client, session, world)
    open_follow_up(client, code, secret)
    assert client.get("/foljupp/arende").status_code == 200
    app.config["PUBLIC_FOLLOW_UP_MINUTES"] = 0
    assert client.get("/foljupp/arende").status_code == 401
    app.config["PUBLIC_FOLLOW_UP_MINUTES"] = 30
    assert client.get("/foljupp/arende").status_code == 401
    # Leaving ends it at once.
    open_follow_up(client, code, secret)
    client.post("/foljupp/avsluta")
    assert client.get("/foljupp/arende").status_code == 401


def test_the_public_status_never_names_a_state(session, world):
    case = case_in(session, world, "submitted")
    assert ops.public_status(case) == str(ops.PUBLIC_STATUS["submitted"])
    for state in ("under_investigation", "awaiting_decision", "filed", "follow_up"):
        assert state not in str(ops.PUBLIC_STATUS.get(state, ops.IN_PROGRESS))
    assert isinstance(case, Case)


def test_the_public_posts_need_the_csrf_token(migrated, tmp_path):  # type: ignore[no-untyped-def]
    import re

    from tests.conftest import rolled_back_app

    with rolled_back_app(migrated, tmp_path, WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        refused = client.post("/foljupp", data={"code": "AAAA-AAAA-AAAA", "secret": "x" * 12})
        assert refused.status_code == 400
        page = client.get("/foljupp").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answered = client.post(
            "/foljupp",
            data={"code": "AAAA-AAAA-AAAA", "secret": "x" * 12, "csrf_token": token},
        )
        # Past the CSRF check: the code is simply wrong.
        assert answered.status_code == 422
        assert client.post("/foljupp/meddelande", data={"text": "Hej"}).status_code == 400
