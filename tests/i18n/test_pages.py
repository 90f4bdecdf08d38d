"""Every kind of page, rendered for the role that works on it: in English no Swedish is left, in
Swedish no code name shows and no English creeps in. What people typed and the organisation set
up (names, report texts, categories) is data, shown as written, and is cut out first."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.deadline_labels import DEADLINE_LABELS, DEADLINE_STATUS_LABELS, NOTIFICATION_KIND_LABELS
from app.models.cases import CASE_TYPES
from app.models.org import ROLES, UNIT_KINDS
from workflows.registry import flow_for

from .catalog import PLACEHOLDER, english, forms
from .site import build, data_texts, render, set_locale, without_data

SWEDISH_WORD = re.compile(r"\w*[åäöÅÄÖ]\w*")


def _swedish_fragments() -> set[str]:
    """The catalog's Swedish, in pieces between placeholders, that English never says: a piece
    whose translation is itself (Lexflöde, Status) or that is also an English word the catalog
    uses (Start) is left out, so that finding one on an English page means it was not
    translated."""
    english_text = "\n".join(text for m in english() if m.id for _, text in forms(m))
    english_words = set(re.findall(r"\w+", english_text))
    pieces = set()
    for message in english():
        for source, text in forms(message) if message.id else []:
            if source == text:
                continue
            for piece in PLACEHOLDER.split(source):
                piece = " ".join(piece.split()).strip(" .,:;!?–-()”“")
                if len(piece) < 4 or not re.search(r"[^\W\d_]", piece):
                    continue
                if piece in english_words or _says(english_text, piece):
                    continue
                pieces.add(piece)
    return pieces


def _says(text: str, piece: str) -> bool:
    """Whether ``text`` has ``piece`` as whole words."""
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None


def _english_words_kept() -> set[str]:
    """Words with å, ä or ö that the English catalog itself uses (names it keeps)."""
    return {
        w for m in english() if m.id for _, text in forms(m) for w in SWEDISH_WORD.findall(text)
    }


def _codes() -> set[str]:
    """The contract's names (DOMAIN.md §3): fine in the API and exports, never on a page."""
    codes = set(CASE_TYPES) | set(ROLES) | set(UNIT_KINDS)
    for case_type in CASE_TYPES:
        flow = flow_for(case_type)
        codes |= set(flow.states) | {step.trigger for step in flow.steps}
    codes |= set(DEADLINE_LABELS) | set(DEADLINE_STATUS_LABELS) | set(NOTIFICATION_KIND_LABELS)
    return codes


SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
# Small words of English that no Swedish page has; one of them means English came through.
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "is",
    "are",
    "not",
    "this",
    "field",
    "required",
    "invalid",
    "please",
    "choice",
    "value",
    "must",
    "error",
}


def _report(found: dict[str, Iterable[str]]) -> str:
    return "\n".join(f"{page}: {sorted(set(items))}" for page, items in found.items() if items)


@pytest.fixture
def site(app: Flask, session: Session):  # type: ignore[no-untyped-def]
    return build(session)


def test_english_pages_hold_no_swedish(app: Flask, session: Session, site) -> None:  # type: ignore[no-untyped-def]
    world, pages = site
    set_locale(session, world, "en")
    # Before signing in there is no one whose choice to follow: those pages are Swedish.
    html = render(app, world, [p for p in pages if p.who != "anonymous"])
    data = data_texts(app, session)
    fragments = _swedish_fragments()
    kept = _english_words_kept()

    not_english = {name: page for name, page in html.items() if '<html lang="en">' not in page}
    assert not not_english, f"not marked English: {sorted(not_english)}"
    leaks: dict[str, list[str]] = {}
    for name, page in html.items():
        text = "\n".join(without_data(page, data))
        found = [f for f in fragments if f in text and _says(text, f)]
        found += [w for w in SWEDISH_WORD.findall(text) if w not in kept]
        leaks[name] = found
    assert not any(leaks.values()), "Swedish on English pages:\n" + _report(leaks)


def test_swedish_pages_show_no_code_names_or_english(app: Flask, session: Session, site) -> None:  # type: ignore[no-untyped-def]
    world, pages = site
    # No choice made is Swedish, as is the explicit choice; half the users each.
    for i, user in enumerate(world.users().values()):
        user.locale = "sv" if i % 2 else None
    session.flush()
    html = render(app, world, pages)
    data = data_texts(app, session)
    codes = _codes()

    not_swedish = {name: page for name, page in html.items() if '<html lang="sv">' not in page}
    assert not not_swedish, f"not marked Swedish: {sorted(not_swedish)}"
    found: dict[str, list[str]] = {}
    english_found: dict[str, list[str]] = {}
    for name, page in html.items():
        # <code> marks an identifier shown as one on purpose (a deadline rule's key, beside its
        # name, for the system administrator).
        text = "\n".join(without_data(page, data, skip=("code",)))
        words = re.findall(r"[A-Za-z0-9_]+", text)
        found[name] = [w for w in words if w in codes or SNAKE.fullmatch(w)]
        english_found[name] = [w for w in words if w.lower() in ENGLISH_WORDS]
    assert not any(found.values()), "code names on Swedish pages:\n" + _report(found)
    assert not any(english_found.values()), "English on Swedish pages:\n" + _report(english_found)
