"""Masking personal data in a document's data before it is laid out (DOMAIN.md §9 rev. 2): the
text is replaced, so nothing of it is left under a box in the PDF.

What is masked: the names and personnummer of the persons the case concerns, the reporter's
name, anything in the text shaped like a personnummer or samordningsnummer, and the terms the
SAS or MAS marks. A name is masked whole and word by word ("Anna Andersson", and "Anna" alone),
whatever its case and in the genitive; a marked term is masked as written, whatever its case."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.models import Case

MASK = "[maskerat]"

# Twelve or ten digits, with or without the separator ('-', '+' for the hundred-year-old, or a
# space), not inside a longer number.
PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")


def _words(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        out.add(name)
        out.update(part for part in re.split(r"[\s,]+", name) if len(part) > 1)
    return out


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so that "Anna Andersson" is masked as one, not as two masks.
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(t) for t in ordered)
    # With the genitive too ("Svanströms", "Ali:s"): Swedish adds it to the name itself.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?::?s)?(?!\w)", re.IGNORECASE)


@dataclass
class Redactor:
    names: re.Pattern[str] | None
    marked: re.Pattern[str] | None
    marked_terms: int
    counts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def for_case(cls, case: Case, marked: Iterable[str]) -> Redactor:
        terms = [" ".join(t.split()) for t in marked]
        terms = [t for t in terms if t]
        names = [p.name for p in case.persons if p.name] + [case.reporter_name or ""]
        personnummer = [p.personnummer for p in case.persons if p.personnummer]
        return cls(
            names=_pattern([*_words(names), *personnummer]),
            marked=_pattern(terms),
            marked_terms=len(set(t.casefold() for t in terms)),
        )

    def text(self, value: str) -> str:
        value, n = PERSONNUMMER.subn(MASK, value)
        self.counts["personnummer"] += n
        if self.names is not None:
            value, n = self.names.subn(MASK, value)
            self.counts["names"] += n
        if self.marked is not None:
            value, n = self.marked.subn(MASK, value)
            self.counts["marked"] += n
        return value

    def data(self, value: Any) -> Any:
        """``value`` (a document's plain data) with every text in it masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.data(v) for v in value)
        return value

    def summary(self) -> dict[str, int]:
        """What the release records: how many of each were masked, never what."""
        return {
            "personnummer": self.counts["personnummer"],
            "names": self.counts["names"],
            "marked": self.counts["marked"],
            "marked_terms": self.marked_terms,
        }
