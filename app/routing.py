"""URL converters. ``<int:...>`` in this app is always a row id: one past what an id column can
hold is no address at all (404), rather than a number SQLite refuses to bind (a 500)."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# PostgreSQL's integer; SQLite's is wider, and no id of either comes near it.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def whole_number(raw: str) -> bool:
    """ASCII digits within an id's range, for ids and counts read from a form or a query string:
    "²" is a digit to str.isdigit() but not to int(), and 5000 digits are too many for int()."""
    return raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) <= MAX_ID
