"""A real server on a free local port, over its own committed database with the demo data, and
Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import _create_postgres_database, _drop_postgres_database

CHROMIUM = os.environ.get("LEXFLODE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
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
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["lexflode_engine"].dispose()
    if name:
        _drop_postgres_database(base, name)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--lang=sv-SE",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):  # type: ignore[no-untyped-def]
    """Opens pages in fresh contexts (one per person); screenshots go to test-artifacts/."""
    contexts = []

    def open_page(viewport: tuple[int, int] = (1280, 900)):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server,
            locale="sv-SE",
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
