"""The outbox's connection to the mail server is encrypted and the server is who it says: a real
aiosmtpd server with a certificate of the test's own making. STARTTLS and implicit TLS (port 465)
both refuse a certificate no trusted CA vouches for and deliver once SMTP_CA_FILE names the CA;
SMTP_STARTTLS (the older setting) still means STARTTLS."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import OutboxMail
from notifications.outbox import SmtpSettings, deliver
from tests.clock.smtp import MailServer, _Collect, free_port

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command (the venv has no
    `cryptography`)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=Lexflode test mail server",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


class TlsMailServer:
    """aiosmtpd with STARTTLS required before any mail (mode "starttls"), or wrapped in TLS
    from the first byte (mode "ssl")."""

    def __init__(self, certificate: tuple[Path, Path], mode: str) -> None:
        self.port = free_port()
        self.received: list[Message] = []
        context = server_context(certificate)
        tls: dict[str, Any] = (
            {"ssl_context": context}
            if mode == "ssl"
            else {"tls_context": context, "require_starttls": True}
        )
        self.controller = Controller(
            _Collect(self.received), hostname="127.0.0.1", port=self.port, **tls
        )
        self.settings = SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            mail_from="lexflode@exempelby.se",
            timeout=5,
            security=mode,
        )

    def __enter__(self) -> TlsMailServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()


@pytest.fixture
def mail(session) -> OutboxMail:
    row = OutboxMail(
        to_address="sas@exempelby.se",
        subject="Ny uppgift",
        body="Du har en ny uppgift i Lexflöde.",
        dedupe_key="tls-test",
        next_attempt_at=NOW - timedelta(minutes=1),
    )
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def starttls_server(certificate) -> Iterator[TlsMailServer]:
    with TlsMailServer(certificate, "starttls") as server:
        yield server


@pytest.fixture
def ssl_server(certificate) -> Iterator[TlsMailServer]:
    with TlsMailServer(certificate, "ssl") as server:
        yield server


def stored(session, mail: OutboxMail) -> OutboxMail:
    session.expire_all()
    return session.scalars(select(OutboxMail).where(OutboxMail.id == mail.id)).one()


def assert_refused_unverified(session, mail, server, settings) -> None:
    report = deliver(session, NOW, settings)
    assert (report.sent, report.failed) == (0, 1)
    assert "CERTIFICATE_VERIFY_FAILED" in report.errors[0]
    assert server.received == []
    row = stored(session, mail)
    assert row.status == "pending"
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error


def assert_delivered(session, mail, server, settings) -> None:
    report = deliver(session, NOW, settings)
    assert (report.sent, report.failed) == (1, 0), report.errors
    [message] = server.received
    assert message["Subject"] == "Ny uppgift"
    assert str(message["Message-ID"]) == f"<lexflode-outbox-{mail.id}@exempelby.se>"
    assert stored(session, mail).status == "sent"


def test_starttls_refuses_a_certificate_no_trusted_ca_signed(session, mail, starttls_server):
    assert_refused_unverified(session, mail, starttls_server, starttls_server.settings)


def test_starttls_delivers_when_the_ca_file_vouches_for_the_server(
    session, mail, starttls_server, certificate
):
    settings = replace(starttls_server.settings, ca_file=str(certificate[0]))
    assert_delivered(session, mail, starttls_server, settings)


def test_starttls_checks_the_name_too(session, mail, starttls_server, certificate):
    # The certificate is for 127.0.0.1 and localhost: a server reached by another name is not it.
    settings = replace(starttls_server.settings, ca_file=str(certificate[0]), host="127.0.0.2")
    report = deliver(session, NOW, settings)
    assert report.sent == 0
    assert starttls_server.received == []


def test_starttls_never_falls_back_to_plain_text(session, mail):
    server = MailServer().start()  # offers no STARTTLS
    try:
        report = deliver(session, NOW, replace(server.settings, security="starttls"))
    finally:
        server.stop()
    assert (report.sent, report.failed) == (0, 1)
    assert "STARTTLS" in report.errors[0]
    assert server.received == []


def test_implicit_tls_refuses_an_unverified_certificate(session, mail, ssl_server):
    assert_refused_unverified(session, mail, ssl_server, ssl_server.settings)


def test_implicit_tls_delivers(session, mail, ssl_server, certificate):
    settings = replace(ssl_server.settings, ca_file=str(certificate[0]))
    assert_delivered(session, mail, ssl_server, settings)


def config(**values: object) -> dict[str, object]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": 25,
        "MAIL_FROM": "lexflode@exempelby.se",
        **values,
    }


def test_the_older_setting_still_means_starttls(session, mail, starttls_server, certificate):
    settings = SmtpSettings.from_config(
        config(
            SMTP_PORT=starttls_server.port,
            SMTP_STARTTLS=True,
            SMTP_CA_FILE=str(certificate[0]),
        )
    )
    assert settings.security == "starttls"
    assert_delivered(session, mail, starttls_server, settings)


def test_the_security_setting_is_one_clear_choice():
    assert SmtpSettings.from_config(config()).security == "none"
    assert SmtpSettings.from_config(config(SMTP_SECURITY="SSL", SMTP_PORT=465)).security == "ssl"
    # SMTP_SECURITY wins over the older switch, except that it may not switch TLS off.
    assert (
        SmtpSettings.from_config(config(SMTP_SECURITY="ssl", SMTP_STARTTLS=True)).security == "ssl"
    )
    with pytest.raises(ValueError, match="SMTP_STARTTLS"):
        SmtpSettings.from_config(config(SMTP_SECURITY="none", SMTP_STARTTLS=True))
    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        SmtpSettings.from_config(config(SMTP_SECURITY="tls"))


def test_the_app_defaults_are_a_valid_setting(app):
    settings = SmtpSettings.from_config(app.config)
    assert (settings.security, settings.ca_file) == ("none", "")
    assert settings.lease == timedelta(minutes=10)
