"""A real server on a free local port, over its own committed database with the demo data, and
Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app

# The one Chromium of the whole run lives in tests/conftest.py (Playwright's sync API allows
# one per thread, and tests/sso drives it too).
from tests.conftest import _create_postgres_database, _drop_postgres_database

from .a11y import Coverage, assert_accessible

# One folder per database: CI runs the SQLite and the PostgreSQL suites side by side.
ARTIFACTS = (
    Path(__file__).resolve().parents[2]
    / "test-artifacts"
    / ("postgresql" if os.environ.get("LEXFLODE_TEST_DATABASE_URL") else "sqlite")
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.lexflode_failed = report.failed  # type: ignore[attr-defined]
    return report


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app the live server runs, for journeys that let another person's work happen through
    the operations on its database (tests/browser/live.py) rather than through a browser."""
    base = os.environ.get("LEXFLODE_TEST_DATABASE_URL", "")
    instance = tmp_path_factory.mktemp("live-instance")
    if base.startswith("postgresql"):
        url, name = _create_postgres_database(base)
    else:
        url, name = "sqlite:///" + str(instance / "live.sqlite3"), ""
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-test",
            "UPLOAD_FOLDER": str(instance / "files"),
        }
    )
    with app.app_context():
        from app import db
        from app.cli.db import upgrade
        from app.cli.demo import seed

        upgrade()
        seed()
        db.session().commit()
    yield app
    app.extensions["lexflode_engine"].dispose()
    if name:
        _drop_postgres_database(base, name)


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def checked_pages(browser, base_url: str, request):  # type: ignore[no-untyped-def]
    """A fixture's body: opens pages in fresh contexts (one per person) on ``base_url``. Every
    page a tab loads must be checked with axe (a11y.assert_accessible) while it is shown: the
    test fails, naming the pages, if one was not."""
    contexts = []
    pages = []

    def open_page(viewport: tuple[int, int] = (1280, 900), scale: float = 1):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=base_url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            viewport={"width": viewport[0], "height": viewport[1]},
            device_scale_factor=scale,
        )
        contexts.append(context)
        page = context.new_page()
        Coverage.of(page)
        pages.append(page)
        return page

    yield open_page
    unchecked = [url for page in pages for url in Coverage.of(page).unchecked()]
    for context in contexts:
        context.close()
    # A test that failed stopped half-way through a page; its own failure says enough.
    if unchecked and not getattr(request.node, "lexflode_failed", False):
        pytest.fail("Pages shown but never checked with axe: " + ", ".join(unchecked))


@pytest.fixture
def new_page(browser, live_server, request):  # type: ignore[no-untyped-def]
    """Pages on the live app; screenshots go to test-artifacts/."""
    yield from checked_pages(browser, live_server, request)


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A key page as an artefact; axe checks it first."""
    assert_accessible(page, name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
