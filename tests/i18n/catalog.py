"""The strings of the code base, extracted as `make translations` extracts them, and the English
catalog they are translated in."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
ENGLISH_PO = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
ENGLISH_MO = ENGLISH_PO.with_suffix(".mo")
# As the Makefile's `pybabel extract -k _l -k lazy_gettext` (N_ is among Babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
# Python %-formatting, the only kind gettext and Jinja's _() apply: %(name)s, %(num)d, %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@cache
def extracted() -> Catalog:
    """Every string the code hands to gettext, found the way pybabel finds it."""
    with MAPPING.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(MAPPING))
    catalog = Catalog(locale=None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


@cache
def english() -> Catalog:
    with ENGLISH_PO.open("rb") as po:
        return read_po(po, locale="en")


def msgids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: the singular and the plural each with their msgstr."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))
