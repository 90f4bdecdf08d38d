"""axe-core on the page as it stands, for the WCAG 2.0 and 2.1 A and AA rules.

The axe script ships inside axe-playwright-python, so nothing is fetched from the network. Every
page a journey visits must pass through assert_accessible: the page fixture records each page the
browser navigates to and fails the test for any it was never asked to check (see ``Coverage``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE = Axe()


def violations(page: Page) -> list[dict]:
    results = _AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return list(results.response["violations"])


def describe(found: list[dict]) -> str:
    lines = []
    for rule in found:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        more = len(rule["nodes"]) - 5
        lines.append(
            f"- {rule['id']} ({rule['impact']}): {rule['help']} — {targets}"
            + (f" and {more} more" if more > 0 else "")
        )
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> None:
    """Fails listing every WCAG A/AA violation axe finds on the page now."""
    page.wait_for_load_state("load")
    found = violations(page)
    Coverage.of(page).checked()
    if found:
        pytest.fail(
            f"axe: {len(found)} WCAG violation(s) on {name} ({page.url}):\n{describe(found)}"
        )


class Coverage:
    """Every document a tab loaded, and whether axe checked it while it was shown. A page is
    counted per load, not per address: the case page after each step is a page of its own."""

    def __init__(self, page: Page) -> None:
        self.loads: list[str] = []
        self.checked_loads: set[int] = set()
        page.on("load", self._loaded)

    @classmethod
    def of(cls, page: Page) -> Coverage:
        found = getattr(page, "_lexflode_coverage", None)
        if found is None:
            found = cls(page)
            page._lexflode_coverage = found  # type: ignore[attr-defined]
        return found

    def _loaded(self, page: Page) -> None:
        self.loads.append(urlsplit(page.url).path)

    def checked(self) -> None:
        if self.loads:
            self.checked_loads.add(len(self.loads) - 1)

    def unchecked(self) -> list[str]:
        return [url for i, url in enumerate(self.loads) if i not in self.checked_loads]
