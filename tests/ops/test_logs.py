"""One log line per request (request id, user id, endpoint, method, status, duration) and never
a name or an e-mail; JSON lines in production; the scheduler's and the admin's events through
the same handler; tests keep pytest's caplog."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from app import create_app
from app.ops.logs import JsonFormatter
from app.scheduler import run_clock


def request_records(caplog) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.name == "lexflode.request"]


def test_a_request_logs_one_json_line_without_names(client, auth, world, caplog):
    auth.login(world.sas.email)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lexflode.request"):
        response = client.get("/", headers={"X-Request-ID": "nginx-4f2a9c"})
    assert response.headers["X-Request-ID"] == "nginx-4f2a9c"
    [record] = request_records(caplog)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    fields = json.loads(line)
    assert fields["event"] == "request"
    assert fields["level"] == "info"
    assert fields["request_id"] == "nginx-4f2a9c"
    assert fields["user_id"] == world.sas.id
    assert fields["endpoint"] == "cases.inbox"
    assert fields["method"] == "GET"
    assert fields["status"] == response.status_code
    assert isinstance(fields["duration_ms"], float)
    assert world.sas.email not in line
    assert world.sas.name not in line


def test_a_request_id_that_is_not_sane_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="lexflode.request"):
        response = client.get("/login", headers={"X-Request-ID": "a b\x01" + "x" * 100})
    given = response.headers["X-Request-ID"]
    assert len(given) == 32
    [record] = request_records(caplog)
    assert record.request_id == given
    assert record.endpoint == "auth.login"
    assert record.user_id is None
    other = client.get("/login").headers["X-Request-ID"]
    assert other != given


def test_probes_log_quietly(client, caplog):
    with caplog.at_level(logging.INFO, logger="lexflode.request"):
        client.get("/healthz")
    assert request_records(caplog) == []
    with caplog.at_level(logging.DEBUG, logger="lexflode.request"):
        client.get("/healthz")
    [record] = request_records(caplog)
    assert record.endpoint == "ops.healthz"


@pytest.fixture
def root_handlers() -> Iterator[None]:
    """configure() changes the process's root logger; put it back for the tests after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _served_app(database_url: str, tmp_path, log_format: str = ""):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "x",
            "UPLOAD_FOLDER": str(tmp_path),
            "LOG_FORMAT": log_format,
        }
    )


def test_json_lines_through_one_handler(app, migrated, tmp_path, capsys, root_handlers, caplog):
    own = _served_app(migrated, tmp_path, "json")
    own_again = _served_app(migrated, tmp_path, "json")  # the handler is replaced, not added
    assert own.config["LOG_FORMAT"] == "json"
    ours = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(ours) == 1
    capsys.readouterr()
    logging.getLogger("lexflode.admin").info("changed unit %s", 12)
    run_clock(app)  # the scheduler's line
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines()]
    events = {(line["logger"], line["event"]) for line in lines}
    assert ("lexflode.admin", "changed unit 12") in events
    [clock] = [line for line in lines if line["event"] == "clock run"]
    assert clock["logger"] == "app.scheduler"
    assert {"acts", "sweep_ms", "mails_sent", "mails_failed"} <= set(clock)
    # pytest's caplog still sees the records.
    assert any(r.getMessage() == "clock run" for r in caplog.records)
    own.extensions["lexflode_engine"].dispose()
    own_again.extensions["lexflode_engine"].dispose()


def test_console_lines_in_development(migrated, tmp_path, capsys, root_handlers):
    own = _served_app(migrated, tmp_path)
    assert own.config["LOG_FORMAT"] == "console"
    capsys.readouterr()
    logging.getLogger("app.scheduler").info("clock run", extra={"acts": 3})
    err = capsys.readouterr().err
    assert "INFO  app.scheduler  clock run  acts=3" in err
    own.extensions["lexflode_engine"].dispose()


def test_library_chatter_stays_out(migrated, tmp_path, capsys, root_handlers):
    # `make run` walks hundreds of demo cases: transitions' and WeasyPrint's INFO lines (one per
    # callback, one per layout step) buried the demo users' table among 2,349 lines.
    own = _served_app(migrated, tmp_path)
    capsys.readouterr()
    logging.getLogger("transitions.core").info("Executed callback")
    logging.getLogger("weasyprint.progress").info("Step 1 - Fetching and parsing HTML")
    logging.getLogger("transitions.core").warning("a real problem")
    err = capsys.readouterr().err
    assert "Executed callback" not in err
    assert "Fetching and parsing" not in err
    assert "a real problem" in err
    own.extensions["lexflode_engine"].dispose()


def test_a_test_app_installs_no_handler(app):
    assert not [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
