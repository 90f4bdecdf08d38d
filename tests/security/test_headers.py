"""Security headers on every kind of response, and pages the Content-Security-Policy does not
break: no inline script, style or event handler anywhere a browser is served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import case_in
from workflows.diagram import render_svg
from workflows.registry import flow_for

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
# Rendered to PDF by WeasyPrint, never served to a browser: the policy does not apply.
PDF_ONLY = ("documents/", "statistics/pdf.html")
# A script from our own files (<script src=…>) is what the policy allows; one without src is inline.
INLINE = re.compile(
    r"""\sstyle\s*=|<style\b|<script\b(?![^>]*\ssrc=)|\son[a-z]+\s*=|javascript:""", re.I
)

EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_hardened(response, *, cacheable: bool = False) -> None:  # type: ignore[no-untyped-def]
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(policy.split(", "))
    if cacheable:
        assert "no-store" not in response.headers.get("Cache-Control", "")
    else:
        assert "no-store" in response.headers["Cache-Control"]


def test_anonymous_pages_errors_and_redirects_carry_the_headers(client):
    assert_hardened(client.get("/login"))
    assert_hardened(client.get("/glomt-losenord"))
    assert_hardened(client.get("/finns-inte"))  # 404
    redirect = client.get("/arenden")
    assert redirect.status_code == 302
    assert_hardened(redirect)


def test_signed_in_pages_are_never_cached(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("sas@test.se")
    for url in ("/", "/arenden", f"/arenden/{case.id}", "/statistik"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)


def test_api_answers_carry_them_too(client):
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert_hardened(response)


def test_static_files_may_be_cached_but_are_still_guarded(client):
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert_hardened(response, cacheable=True)


def test_strict_transport_security_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://lexflode.exempelby.se")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_template_served_to_a_browser_has_inline_script_or_style():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith(PDF_ONLY):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("case_type", ["lex_sarah", "lex_maria", "deviation"])
def test_the_process_diagram_uses_attributes_not_styles(case_type):
    # SVG presentation attributes (fill, stroke) are not styles to the policy; a style attribute
    # or element would be refused.
    svg = render_svg(flow_for(case_type), "submitted")
    assert svg.startswith("<svg")
    assert INLINE.search(svg) is None


def test_the_case_page_has_no_inline_style_once_rendered(client, auth, world, session):
    case = case_in(session, world, "submitted")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "<svg" in html
    assert INLINE.search(html) is None
