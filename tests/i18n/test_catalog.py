"""The English catalog is complete and agrees with the code: every string the code hands to
gettext has a plain English translation with the same placeholders, and the compiled .mo the app
loads is the .po as it stands."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .catalog import ENGLISH_MO, ENGLISH_PO, english, extracted, forms, msgids, placeholders

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
    assert (
        "ärende där du ska göra något",
        "ärenden där du ska göra något",
    ) in found  # ngettext in a template
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


def _entries_of_po() -> dict[object, str]:
    """What the .po says, keyed as the .mo keys it: (context, msgid) for singulars,
    (context, msgid, n) for each plural form; the header entry left out."""
    entries: dict[object, str] = {}
    for m in english():
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple):
            for n, text in enumerate(m.string):
                entries[(m.context, m.id[0], n)] = text
        else:
            entries[(m.context, m.id, None)] = m.string
    return entries


def _entries_of_mo(path: Path = ENGLISH_MO) -> dict[object, str]:
    """What the compiled .mo says, read back by the standard library's gettext, which is how
    the app reads it: the meaning, not the bytes one Babel version writes."""
    with path.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    entries: dict[object, str] = {}
    for key, text in catalog.items():
        if key == "":
            continue
        msgid, n = key if isinstance(key, tuple) else (key, None)
        context, _, msgid = msgid.rpartition("\x04")
        entries[(context or None, msgid, n)] = text
    return entries


def test_the_compiled_catalog_is_the_catalog() -> None:
    # The .mo is committed so that an installed package needs no build step; this keeps it from
    # drifting from the .po it is compiled from. It compares what each says, so that a .mo
    # compiled by another Babel version (whose header and byte layout differ) still passes.
    po, mo = _entries_of_po(), _entries_of_mo()
    missing = sorted(map(str, po.keys() - mo.keys()))
    stale = sorted(map(str, mo.keys() - po.keys()))
    changed = sorted(str(key) for key in po.keys() & mo.keys() if po[key] != mo[key])
    hint = "app/translations/en/LC_MESSAGES/messages.mo is not the compiled .po: run `make translations`"
    assert not missing, f"{hint}; missing: {missing[:10]}"
    assert not stale, f"{hint}; stale: {stale[:10]}"
    assert not changed, f"{hint}; changed: {changed[:10]}"


def test_the_comparison_sees_a_changed_translation(tmp_path: Path) -> None:
    # The comparison above would pass if both sides came back empty or ignored the texts.
    with ENGLISH_PO.open("rb") as po:
        catalog = read_po(po, locale="en")  # not english(): that one is cached and shared
    assert len(_entries_of_po()) > 100
    message = next(m for m in catalog if m.id == "Hoppa till innehållet")
    message.string = "Something else"
    changed = tmp_path / "messages.mo"
    with changed.open("wb") as mo:
        write_mo(mo, catalog)
    differs = {k for k, v in _entries_of_mo(changed).items() if _entries_of_po().get(k) != v}
    assert differs == {(None, "Hoppa till innehållet", None)}
