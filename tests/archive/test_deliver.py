"""flask archive deliver [--dry-run]: every ended case the plan keeps goes to the archive once,
to its folder or to its address, and each delivery is recorded."""

from __future__ import annotations

import base64
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import ArchiveDelivery
from tests.factories import case_of

from .support import delivered_files, keep, members


def invoke(app, *args: str, code: int = 0) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == code, result.output
    return result.output


def deliveries(session) -> list[ArchiveDelivery]:
    session.expire_all()
    return list(session.scalars(select(ArchiveDelivery).order_by(ArchiveDelivery.id)))


@pytest.fixture
def folder(app, tmp_path) -> Path:
    app.config["ARCHIVE_DIRECTORY"] = str(tmp_path / "e-arkiv")
    return tmp_path / "e-arkiv"


@pytest.fixture
def cases(session, world):
    keep(session, "lex_sarah", "deviation")
    kept = case_of(session, world, "lex_sarah", "closed")
    kept_deviation = case_of(session, world, "deviation", "closed")
    still_open = case_of(session, world, "lex_sarah", "follow_up")
    purged_type = case_of(session, world, "lex_maria", "closed")
    session.flush()
    return kept, kept_deviation, still_open, purged_type


def test_a_dry_run_lists_the_due_cases_and_delivers_nothing(app, session, folder, cases):
    kept, kept_deviation, still_open, purged_type = cases

    out = invoke(app, "archive", "deliver", "--dry-run")

    assert f"{kept.reference}  lex_sarah  closed" in out
    assert f"{kept_deviation.reference}  deviation  closed" in out
    assert still_open.reference not in out
    assert purged_type.reference not in out
    assert "2 ärenden skulle levereras. Provkörning: ingenting har ändrats." in out
    assert deliveries(session) == []
    assert delivered_files(folder) == []


def test_deliver_writes_one_package_per_kept_case_and_a_second_run_delivers_nothing(
    app, session, folder, cases
):
    kept, kept_deviation, _still_open, _purged_type = cases

    out = invoke(app, "archive", "deliver", "--delivered-by", "Arkiv Arkivsson")

    rows = deliveries(session)
    assert [(r.case_id, r.reference) for r in rows] == [
        (kept.id, kept.reference),
        (kept_deviation.id, kept_deviation.reference),
    ]
    files = delivered_files(folder)
    assert [f.name for f in files] == sorted(f"{r.package_id}.zip" for r in rows)
    for row in rows:
        path = folder / f"{row.package_id}.zip"
        content = path.read_bytes()
        assert (row.destination, row.checksum, row.size) == (
            str(path),
            hashlib.sha256(content).hexdigest(),
            len(content),
        )
        root, inside = members(content)
        assert root == row.package_id
        assert row.file_count == len(inside)
        assert row.delivered_by == "Arkiv Arkivsson"
        assert f"{row.reference}  levererat" in out
    assert "2 ärenden levererade till e-arkivet." in out

    again = invoke(app, "archive", "deliver")

    assert "0 ärenden levererade till e-arkivet." in again
    assert deliveries(session) == rows
    assert delivered_files(folder) == files


def test_nothing_is_delivered_while_the_plan_keeps_nothing(app, session, folder, world):
    case_of(session, world, "lex_sarah", "closed")
    session.flush()
    assert "0 ärenden levererade" in invoke(app, "archive", "deliver")
    assert delivered_files(folder) == []


class Archive(BaseHTTPRequestHandler):
    """The e-archive's receiving end: keeps what it was sent, answers with the given status."""

    received: list[tuple[dict[str, str], bytes]]
    status = 201

    def do_POST(self) -> None:  # noqa: N802  (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads what was received, not http.server's log lines."""


@pytest.fixture
def archive_server():
    def start(status: int) -> tuple[str, list]:
        handler = type("Handler", (Archive,), {"received": [], "status": status})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/inleverans", handler.received

    servers: list[ThreadingHTTPServer] = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_deliver_posts_the_package_to_the_archives_address(
    app, session, folder, world, archive_server
):
    keep(session, "lex_sarah")
    case = case_of(session, world, "lex_sarah", "closed")
    session.flush()
    url, received = archive_server(201)
    app.config["ARCHIVE_URL"] = url

    invoke(app, "archive", "deliver")

    [row] = deliveries(session)
    [(headers, body)] = received
    assert (row.case_id, row.destination) == (case.id, url)
    assert headers["Content-Type"] == "application/zip"
    assert headers["Content-Disposition"] == f'attachment; filename="{row.package_id}.zip"'
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert headers["Digest"] == f"SHA-256={digest}"
    assert row.checksum == hashlib.sha256(body).hexdigest()
    assert members(body)[0] == row.package_id
    # The address replaces the folder.
    assert delivered_files(folder) == []


def test_a_refused_post_records_nothing_and_the_case_stays_due(
    app, session, folder, world, archive_server
):
    keep(session, "lex_sarah")
    case = case_of(session, world, "lex_sarah", "closed")
    session.flush()
    url, received = archive_server(500)
    app.config["ARCHIVE_URL"] = url

    out = invoke(app, "archive", "deliver", code=1)

    assert f"{case.reference}: leveransen misslyckades" in out
    assert len(received) == 1
    assert deliveries(session) == []
    assert case.reference in invoke(app, "archive", "deliver", "--dry-run")


def test_without_a_destination_the_command_says_so(app, session, world):
    keep(session, "lex_sarah")
    case_of(session, world, "lex_sarah", "closed")
    session.flush()
    app.config["ARCHIVE_DIRECTORY"] = ""

    out = invoke(app, "archive", "deliver", code=1)

    assert "Varken ARCHIVE_DIRECTORY eller ARCHIVE_URL är inställt." in out
    assert deliveries(session) == []


def test_a_case_whose_attachment_file_is_gone_is_not_delivered(app, session, world, folder):
    from tests.retention.support import marked_case

    keep(session, "lex_sarah")
    case = marked_case(session, world, "lex_sarah")
    session.flush()
    (Path(app.config["UPLOAD_FOLDER"]) / case.attachments[1].stored_name).unlink()

    out = invoke(app, "archive", "deliver", code=1)

    assert f"{case.reference}: leveransen misslyckades (bilagan 'journal.pdf' saknas" in out
    assert deliveries(session) == []
    assert delivered_files(folder) == []
