"""HTML to PDF with WeasyPrint, offline: the documents carry case content under secrecy, so the
renderer must never reach out to the file system or the network while laying them out."""

from __future__ import annotations

import threading
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Every document is archived as it is (DOMAIN.md §7 rev. 2): PDF/A-2b, fonts embedded and an
# sRGB output intent, so the e-archive takes it without conversion.
PDF_VARIANT = "pdf/a-2b"

# Everything that does not depend on the case: A4, margins, type, tables.
BASE_CSS = """
@page {
  size: A4;
  margin: 25mm 20mm 22mm 20mm;
  @top-left { font-size: 8.5pt; color: #333; }
  @top-right { font-size: 8.5pt; color: #333; }
  @bottom-center { font-size: 8.5pt; color: #333; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; color: #000; }
body { margin: 0; line-height: 1.4; }
h1 { font-size: 16pt; margin: 0 0 4mm 0; }
h2 { font-size: 12pt; margin: 6mm 0 2mm 0; border-bottom: 0.5pt solid #666; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm 0; }
p, dd { white-space: pre-wrap; }
dl { margin: 0; }
dt { font-weight: bold; margin-top: 2mm; }
dd { margin: 0 0 0 0; }
table { border-collapse: collapse; width: 100%; margin-top: 2mm; }
th, td { border: 0.5pt solid #999; padding: 1.5mm; text-align: left; vertical-align: top; }
.legal-basis { margin-top: 8mm; font-size: 9pt; }
.attachment { break-before: page; }
.meta { font-size: 9pt; color: #333; }
"""


class OfflineFetcher(URLFetcher):
    """Refuses every URL except inline ``data:``: no file:, no http(s):, no anything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            raise ValueError(f"refused to fetch {url[:60]!r}: documents are rendered offline")
        return super().fetch(url, headers)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, every non-alphanumeric character escaped, so that no
    value can end the string or the rule."""
    return '"' + "".join(ch if ch.isalnum() else f"\\{ord(ch):x} " for ch in text) + '"'


def secrecy_text(case_type: str) -> str:
    # Health care (lex Maria) falls under OSL 25 kap.; social services under 26 kap.
    if case_type == "lex_maria":
        return _("Sekretess enligt OSL 25 kap. 1 §")
    return _("Sekretess enligt OSL 26 kap. 1 §")


def page_css(reference: str, case_type: str, marking: str | None = None) -> str:
    """The running header (reference, secrecy or ``marking``) and the footer "Sida X av Y"."""
    return (
        "@page {"
        f" @top-left {{ content: {css_string(reference)}; }}"
        f" @top-right {{ content: {css_string(marking or secrecy_text(case_type))}; }}"
        f" @bottom-center {{ content: {css_string(_('Sida'))} ' ' counter(page) ' '"
        f" {css_string(_('av'))} ' ' counter(pages); }}"
        " }"
    )


_fonts = threading.local()


def _font_config() -> FontConfiguration:
    """One per thread, kept: a new FontConfiguration per document is never given back, and a
    worker grew by about 0.25 MiB with every PDF (bench/run.py)."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    config: FontConfiguration = _fonts.config
    return config


def render_pdf(
    template: str,
    context: dict[str, Any],
    reference: str,
    case_type: str,
    marking: str | None = None,
) -> bytes:
    html = render_template(template, **context)
    fetcher = OfflineFetcher()
    fonts = _font_config()
    stylesheets = [
        CSS(string=BASE_CSS, url_fetcher=fetcher, font_config=fonts),
        CSS(string=page_css(reference, case_type, marking), url_fetcher=fetcher, font_config=fonts),
    ]
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=fonts, pdf_variant=PDF_VARIANT
    )
    assert pdf is not None  # noqa: S101  (no target given, so bytes come back)
    return bytes(pdf)
