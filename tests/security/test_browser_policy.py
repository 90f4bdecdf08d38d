"""In a real Chromium: the Secure session cookie works over http://127.0.0.1 (as `make run` on
localhost does), and no page a person walks through trips the Content-Security-Policy."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import live_app, live_server  # noqa: F401  (fixtures)
from tests.browser.pages import log_in
from tests.conftest import CHROMIUM

pytestmark = pytest.mark.browser

# Collects what the browser refuses, reported by the page itself (DevTools-injected, so the
# policy does not apply to this script).
WATCH = """
window.__refused = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__refused.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile);
});
"""
PAGES = ("/", "/arenden", "/tidsfrister", "/statistik", "/rapportera", "/mina-rapporter")


def walk(base_url: str) -> dict[str, Any]:
    """Runs in a thread of its own: tests/browser's session-wide Playwright may be running in
    the main thread, and Playwright's sync API allows one per thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(base_url=base_url, locale="sv-SE")
            context.add_init_script(WATCH)
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text))
            log_in(page, "sas@exempelby.se")
            [cookie] = [c for c in context.cookies() if c["name"] == "session"]
            refused: dict[str, list[str]] = {}
            for path in PAGES:
                page.goto(path)
                refused[path] = page.evaluate("window.__refused")
            page.goto("/arenden")
            page.locator("main table a").first.click()
            page.wait_for_load_state()
            diagrams = page.locator("svg.state-diagram").count()
            refused[page.url] = page.evaluate("window.__refused")
            complaints = [text for text in console if "Content Security Policy" in text]
            # The watch itself works: an inline style, added as an injection would, is refused.
            page.evaluate(
                "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')"
            )
            page.wait_for_function("window.__refused.length > 0")
            control = page.evaluate("window.__refused")
            return {
                "cookie": (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]),
                "refused": {path: found for path, found in refused.items() if found},
                "console": complaints,
                "diagrams": diagrams,
                "control": control,
            }
        finally:
            browser.close()


def test_secure_cookie_over_local_http_and_no_policy_violation(live_server):  # noqa: F811
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(walk, live_server).result(timeout=300)
    assert seen["cookie"] == (True, True, "Lax")
    assert seen["diagrams"] == 1
    assert seen["refused"] == {}
    assert seen["console"] == []
    assert seen["control"][0].startswith("style-src")
