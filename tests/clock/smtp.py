"""A real SMTP server for the tests (aiosmtpd), on a free local port, that can be stopped and
started again on the same port to play a mail outage."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from notifications.outbox import SmtpSettings


class _Collect:
    def __init__(self, inbox: list[Message]) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.inbox.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Message] = []
        self._controller: Controller | None = None

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host="127.0.0.1", port=self.port, mail_from="lexflode@exempelby.se", timeout=5
        )

    def start(self) -> MailServer:
        self._controller = Controller(_Collect(self.received), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.received]
