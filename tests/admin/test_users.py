"""/admin/anvandare: the administrator adds, edits, switches off and on users (DOMAIN.md §2) —
never deletes them, never sees a password, and still reads no case."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.models import OutboxMail, User
from notifications.outbox import deliver
from tests.clock.smtp import MailServer
from tests.factories import new_case

from .conftest import signed_in

NEW_PASSWORD = "sju sjösjuka sjömän"
WELCOME = "Välkommen till Lexflöde: välj ditt lösenord"
LINK = re.compile(r"^http://localhost:5000/nytt-losenord/\S+$", re.M)


def new_user(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "Åsa Öberg",
        "email": "Asa.Oberg@Exempelby.se",
        "title": "Enhetschef",
        "employer": "",
        "roles": ["manager", "reporter"],
        "managed_units": [str(world.linden.id)],
    }
    data.update(overrides)
    return data


def by_email(session, email: str) -> User | None:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def element(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[^<>]*\bid="{element_id}"[^<>]*>', html)
    assert match, element_id
    return match.group(0)


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def welcome(session, server, email: str = "asa.oberg@exempelby.se"):  # type: ignore[no-untyped-def]
    """The welcome mail, delivered through a real SMTP server."""
    report = deliver(session, datetime.now(UTC), server.settings)
    assert report.failed == 0
    [mail] = [m for m in server.received if m["Subject"] == WELCOME and m["To"] == email]
    return mail


def choose_password(client, session, server) -> None:  # type: ignore[no-untyped-def]
    """Follows the link in the welcome mail."""
    body = welcome(session, server).get_content().replace("\r\n", "\n")
    path = urlsplit(LINK.search(body).group(0)).path
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/login"


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    server = MailServer().start()
    yield server
    server.stop()


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_roles_in_swedish_units_and_status(admin, world):
    html = admin.get("/admin/anvandare").get_data(as_text=True)
    assert "<h1>Användare</h1>" in html
    row = html[html.index(">manager@test.se<") :].split("</tr>", 1)[0]
    assert "Medarbetare, Enhetschef" in row
    assert "Solgården" in row
    assert "Aktiv" in row
    assert "Systemförvaltare" in html
    assert ">log_reviewer<" not in html  # codes stay out of the text


def test_the_list_filters_by_name_or_email_and_by_role(admin, world, session):
    world.chair.name = "Örjan Ägren"
    session.flush()
    html = admin.get("/admin/anvandare", query_string={"sok": "örjan"}).get_data(as_text=True)
    assert "chair@test.se" in html
    assert "sas@test.se" not in html
    html = admin.get("/admin/anvandare", query_string={"sok": "MANAGER@"}).get_data(as_text=True)
    assert "manager@test.se" in html
    assert "other.manager@test.se" in html
    assert "reporter@test.se" not in html
    html = admin.get("/admin/anvandare", query_string={"roll": "manager"}).get_data(as_text=True)
    emails = set(re.findall(r"<td>([\w.]+@test\.se)</td>", html))
    assert emails == {"manager@test.se", "other.manager@test.se", "area.manager@test.se"}
    assert '<option value="manager" selected>Enhetschef</option>' in html


# --- adding ---------------------------------------------------------------------------------------


def test_the_new_user_form_explains_each_role(admin, world):
    html = admin.get("/admin/anvandare/ny").get_data(as_text=True)
    assert "<h1>Ny användare</h1>" in html
    for label in (
        "Medarbetare",
        "Enhetschef",
        "Socialt ansvarig samordnare (SAS)",
        "Medicinskt ansvarig sjuksköterska (MAS)",
        "Nämndens ordförande",
        "Systemförvaltare",
        "Logggranskare",
    ):
        assert f">{label}</label>" in html
    assert 'aria-describedby="roles-5-hint"' in html
    assert "Ser inget innehåll i ärenden." in html
    assert 'type="password"' not in html


def test_adding_a_user_mails_a_link_to_choose_a_password(
    admin, client, world, session, server, caplog
):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    response = admin.post("/admin/anvandare/ny", data=new_user(world))
    assert response.status_code == 302
    user = by_email(session, "asa.oberg@exempelby.se")
    assert user is not None
    assert (user.name, user.title, user.active) == ("Åsa Öberg", "Enhetschef", True)
    assert user.roles == {"manager", "reporter"}
    assert [u.name for u in user.managed_units] == ["Linden"]
    assert "Ett mejl med en länk" in admin.get("/admin/anvandare").get_data(as_text=True)
    [record] = [r for r in caplog.records if r.name == "lexflode.admin"]
    assert record.levelno == logging.INFO
    assert "admin@test.se" in record.getMessage()
    assert "created user asa.oberg@exempelby.se" in record.getMessage()

    [mail] = session.scalars(select(OutboxMail).where(OutboxMail.user_id == user.id)).all()
    assert mail.to_address == "asa.oberg@exempelby.se"
    assert "Åsa" not in mail.body  # mail may travel in the clear: it names no one

    # No one knows the password the account was made with: not even "password" works.
    admin.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": ""}).status_code == 200
    choose_password(client, session, server)
    login = client.post(
        "/login", data={"email": "ASA.OBERG@exempelby.se", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_a_new_manager_sees_the_cases_of_their_unit(admin, app, world, session, server):
    at_linden = new_case(session, world, unit=world.linden)
    at_solgarden = new_case(session, world)
    assert admin.post("/admin/anvandare/ny", data=new_user(world)).status_code == 302
    manager = signed_in_after_choosing(app, session, server)
    assert manager.get(f"/arenden/{at_linden.id}").status_code == 200
    assert manager.get(f"/arenden/{at_solgarden.id}").status_code == 403


def signed_in_after_choosing(app, session, server):  # type: ignore[no-untyped-def]
    client = app.test_client()
    choose_password(client, session, server)
    return signed_in(app, "asa.oberg@exempelby.se", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Fältet måste fyllas i."),
        ({"email": ""}, "email", "Fältet måste fyllas i."),
        ({"email": "asa.oberg"}, "email", "Skriv e-postadressen som namn@exempel.se."),
        ({"email": "SAS@Test.SE"}, "email", "Det finns redan en användare med den e-postadressen."),
        ({"roles": []}, "roles", "Välj minst en roll."),
        ({"managed_units": []}, "managed_units", "En enhetschef måste leda minst en enhet."),
        ({"roles": ["reporter"]}, "managed_units", "Bara enhetschefer kan leda enheter."),
        ({"roles": ["manager", "owner"]}, "roles", "är inte ett giltigt val"),
        ({"managed_units": ["999999"]}, "managed_units", "är inte ett giltigt val"),
        ({"name": "x" * 201}, "name", "200"),
    ],
)
def test_a_refused_new_user_is_422_in_swedish_with_what_was_typed(
    admin, world, session, overrides, field, message
):
    users, mails = count(session, User), count(session, OutboxMail)
    data = new_user(world, **overrides)
    response = admin.post("/admin/anvandare/ny", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Fel: Ny användare" in html
    assert message in html
    assert f'href="#{field}"' in html
    assert f'id="{field}-error"' in html
    assert f"{field}-error" in element(html, field)
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    if data["roles"]:
        assert 'checked id="roles-1"' in html or "manager" not in data["roles"]
    assert (count(session, User), count(session, OutboxMail)) == (users, mails)


# --- editing --------------------------------------------------------------------------------------


def test_editing_a_user_changes_roles_and_units(admin, world, session, caplog):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    page = admin.get(f"/admin/anvandare/{world.reporter.id}").get_data(as_text=True)
    assert 'value="reporter@test.se"' in page
    assert 'type="password"' not in page
    response = admin.post(
        f"/admin/anvandare/{world.reporter.id}",
        data={
            "name": "Rapportör Ny",
            "email": "reporter@test.se",
            "title": "Undersköterska",
            "employer": "Bemanning AB",
            "roles": ["reporter", "manager"],
            "managed_units": [str(world.linden.id)],
        },
    )
    assert response.status_code == 302
    user = by_email(session, "reporter@test.se")
    assert (user.name, user.employer) == ("Rapportör Ny", "Bemanning AB")
    assert user.roles == {"reporter", "manager"}
    assert [u.name for u in user.managed_units] == ["Linden"]
    assert any("changed user reporter@test.se" in r.getMessage() for r in caplog.records)


def test_an_email_of_someone_else_is_refused_whatever_its_case(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.reporter.id}",
        data={"name": "R", "email": "Other.Reporter@TEST.se", "roles": ["reporter"]},
    )
    assert response.status_code == 422
    assert "Det finns redan en användare med den e-postadressen." in response.get_data(as_text=True)
    assert by_email(session, "reporter@test.se") is not None


def test_keeping_ones_own_email_in_other_letters_is_no_clash(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.sas.id}",
        data={"name": "Sas", "email": "SAS@test.se", "roles": ["sas"]},
    )
    assert response.status_code == 302
    assert by_email(session, "sas@test.se").id == world.sas.id


def test_the_admin_cannot_remove_their_own_admin_role(admin, world, session):
    response = admin.post(
        f"/admin/anvandare/{world.admin.id}",
        data={"name": "Admin", "email": "admin@test.se", "roles": ["reporter"]},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Du kan inte ändra dina egna roller." in html
    assert 'href="#roles"' in html
    session.expire_all()
    assert world.admin.roles == {"admin"}


# --- switching off and on -----------------------------------------------------------------------


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(admin, app, world, session, caplog):
    caplog.set_level(logging.INFO, logger="lexflode.admin")
    already_in = signed_in(app, world.sas.email)
    response = admin.post(f"/admin/anvandare/{world.sas.id}/aktiv", data={"active": "0"})
    assert response.status_code == 302
    session.expire_all()
    assert world.sas.active is False
    assert any("deactivated user sas@test.se" in r.getMessage() for r in caplog.records)
    page = admin.get(f"/admin/anvandare/{world.sas.id}").get_data(as_text=True)
    assert "Kontot är inaktiverat" in page

    # The session opened before is over at its next request.
    assert "/login" in already_in.get("/").headers["Location"]
    refused = app.test_client().post(
        "/login", data={"email": world.sas.email, "password": "password"}
    )
    assert refused.status_code == 200
    assert "Fel e-postadress eller lösenord." in refused.get_data(as_text=True)

    assert (
        admin.post(f"/admin/anvandare/{world.sas.id}/aktiv", data={"active": "1"}).status_code
        == 302
    )
    session.expire_all()
    assert world.sas.active is True
    signed_in(app, world.sas.email)
    # Never deleted: the list still has every user.
    assert "sas@test.se" in admin.get("/admin/anvandare").get_data(as_text=True)


def test_the_admin_cannot_deactivate_themselves(admin, world, session):
    response = admin.post(f"/admin/anvandare/{world.admin.id}/aktiv", data={"active": "0"})
    assert response.status_code == 409
    assert "Du kan inte inaktivera ditt eget konto." in response.get_data(as_text=True)
    session.expire_all()
    assert world.admin.active is True
    assert admin.get("/admin/anvandare").status_code == 200


# --- who may --------------------------------------------------------------------------------------

GETS = ["/admin/anvandare", "/admin/anvandare/ny", "/admin/anvandare/{id}"]
POSTS = ["/admin/anvandare/ny", "/admin/anvandare/{id}", "/admin/anvandare/{id}/aktiv"]


@pytest.mark.parametrize("who", ["reporter", "manager", "sas", "mas", "chair", "log_reviewer"])
def test_no_one_but_the_admin_may(app, world, session, who):
    client = signed_in(app, getattr(world, who).email)
    target = world.other_reporter
    for path in GETS:
        assert client.get(path.format(id=target.id)).status_code == 403, path
    for path in POSTS:
        response = client.post(
            path.format(id=target.id),
            data={"active": "0", **new_user(world, roles=["admin"], managed_units=[])},
        )
        assert response.status_code == 403, path
    session.expire_all()
    assert target.active is True
    assert by_email(session, "asa.oberg@exempelby.se") is None


def test_the_admin_still_reads_no_case(admin, world, session):
    case = new_case(session, world)
    assert admin.post("/admin/anvandare/ny", data=new_user(world)).status_code == 302
    assert admin.get(f"/arenden/{case.id}").status_code == 403
    for path in ("/admin/anvandare", f"/admin/anvandare/{world.reporter.id}"):
        assert "badrummet" not in admin.get(path).get_data(as_text=True)
