"""The English catalog is complete and agrees with the code: every string the code hands to
gettext has a plain English translation with the same placeholders, and the compiled .mo the app
loads is the .po as it stands."""

from __future__ import annotations

import io
import re

from babel.messages.mofile import write_mo

from .catalog import ENGLISH_MO, english, extracted, forms, msgids, placeholders

# Swedish words an English text may keep: names English has none for. Anything else with å, ä
# or ö in an English msgstr is Swedish left behind.
SWEDISH_NAMES = {
    "Lexflöde": "the product's name",
    "Läkemedelsverket": "kept after its English name, so the reader can find the authority",
}


def _label(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else " | ".join(msgid)


def test_extraction_finds_every_kind_of_string() -> None:
    # The checks below would pass on an empty extraction.
    found = msgids(extracted())
    assert "Logga in för att fortsätta." in found  # lazy_gettext as _l
    assert "Ärendet avslutades." in found  # N_, stored and translated when shown
    assert "Hoppa till innehållet" in found  # _() in a template
    assert ("oläst notis", "olästa notiser") in found  # ngettext in a template
    assert ("%(num)d dag", "%(num)d dagar") in found  # ngettext in Python


def test_placeholders_are_found() -> None:
    assert placeholders("%(name)s har %(num)d, 50 %% av %(x).1f") == [
        "%%",
        "%(name)s",
        "%(num)d",
        "%(x).1f",
    ]


def test_every_string_in_the_code_is_in_the_catalog() -> None:
    missing = msgids(extracted()) - msgids(english())
    assert not missing, (
        "strings without an entry in app/translations/en (run `make translations` and "
        "translate them):\n" + "\n".join(sorted(map(_label, missing)))
    )


def test_the_catalog_holds_no_strings_the_code_no_longer_has() -> None:
    stale = msgids(english()) - msgids(extracted())
    assert not stale, "run `make translations`; gone from the code:\n" + "\n".join(
        sorted(map(_label, stale))
    )


def test_every_entry_is_translated_and_not_fuzzy() -> None:
    untranslated = [
        _label(m.id)
        for m in english()
        if m.id and (m.fuzzy or not all(text.strip() for _, text in forms(m)))
    ]
    assert not untranslated, "untranslated or fuzzy:\n" + "\n".join(untranslated)


def test_placeholders_are_kept() -> None:
    wrong = [
        f"{source!r} → {text!r}"
        for m in english()
        if m.id
        for source, text in forms(m)
        if placeholders(source) != placeholders(text)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_english_is_english() -> None:
    leftovers = [
        text
        for m in english()
        if m.id
        for _, text in forms(m)
        if set(re.findall(r"\w*[åäöÅÄÖ]\w*", text)) - set(SWEDISH_NAMES)
    ]
    assert not leftovers, "Swedish words in English msgstrs:\n" + "\n".join(leftovers)


def test_the_compiled_catalog_is_the_catalog() -> None:
    # The .mo is committed so that an installed package needs no build step; this keeps it from
    # drifting from the .po it is compiled from.
    compiled = io.BytesIO()
    write_mo(compiled, english())
    assert ENGLISH_MO.read_bytes() == compiled.getvalue(), (
        "app/translations/en/LC_MESSAGES/messages.mo is not the compiled .po: run "
        "`make translations`"
    )
