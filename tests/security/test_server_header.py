"""No response names the server software or its version: werkzeug's development server would
say "Werkzeug/… Python/…" and gunicorn "gunicorn". Over real HTTP, since the servers, not the
application, write that header."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.security.headers import SERVER
from tests.clock.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
# What docs/operations.md asks of gunicorn.conf.py: gunicorn 27 has no setting for its Server
# line, but reads it from this module global for every response.
HIDE_GUNICORN = 'import gunicorn.http.wsgi\ngunicorn.http.wsgi.SERVER = "Lexflode"\n'


def server_headers(port: int, path: str = "/login") -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return [value for name, value in response.getheaders() if name.lower() == "server"]
    finally:
        connection.close()


def test_the_application_leaves_the_header_to_the_server(client):
    # Werkzeug's and gunicorn's servers write their own line whatever the application says: one
    # from the application would be a second Server header.
    assert "Server" not in client.get("/login").headers
    assert "Server" not in client.get("/finns-inte").headers


@pytest.fixture
def werkzeug_server(own_app: Flask) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, own_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_the_development_server_does_not_say_werkzeug_or_python(werkzeug_server):
    for path in ("/login", "/finns-inte", "/static/does-not-exist.css"):
        assert server_headers(werkzeug_server, path) == [SERVER], path


def test_under_gunicorn_there_is_one_server_header_and_it_names_nothing(own_app, tmp_path):
    config = tmp_path / "gunicorn.conf.py"
    config.write_text(HIDE_GUNICORN + "workers = 1\n")
    port = free_port()
    env = {
        **os.environ,
        "LEXFLODE_DATABASE_URL": own_app.config["DATABASE_URL"],
        "LEXFLODE_SECRET_KEY": "test-secret-for-gunicorn",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--config",
                str(config),
                "--bind",
                f"127.0.0.1:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                headers = server_headers(port)
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert headers == ["Lexflode"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
