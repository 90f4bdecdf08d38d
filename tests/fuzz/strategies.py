"""Hostile, malformed and oversized input, as hypothesis strategies.

The fixed lists hold what an attacker or a broken client would try first; the drawn values
around them find what nobody listed.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


class Big(str):
    """A long string that hypothesis reports by its length, not its megabyte of text."""

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        printer.text(f"<{len(self)} characters>")


class BigBytes(bytes):
    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:
        printer.text(f"<{len(self)} bytes: {bytes(self[:20])!r}...>")


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MEGABYTE = Big("A" * 1_000_000)

HOSTILE_TEXT = [
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{ 7*7 }}{% raw %}",
    "'; DROP TABLE cases; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)",
    "%(x)s %s {0} %n",
    "../../etc/passwd",
    "\x00",
    "före\x00efter",
    "\x01\x02\x1b[31m\x7f",
    "\ud800",  # a lone surrogate: valid in a JSON string, not in UTF-8
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "e\u0301" * 500,
    "👩‍⚕️🏳️‍🌈𝕏",
    "ÅÄÖ åäö",
    "   ",
    "\r\n\t",
    "",
    "²",
    "١٢",
    "９９",
    "-1",
    "0",
    "1e309",
    "NaN",
    "null",
    "true",
    "9" * 40,
    MEGABYTE,
]
HOSTILE_INTS = [0, -1, -(2**31), 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(10**30)]


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=50),
        st.text(st.characters(codec="utf-8"), max_size=20).map(lambda s: s + SCRIPT),
    )


def nested(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


def json_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        st.sampled_from(HOSTILE_INTS),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    )


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value a field might get instead of the one it wants."""
    return st.one_of(
        json_scalars(),
        st.lists(json_scalars(), max_size=4),
        st.dictionaries(st.text(max_size=8), json_scalars(), max_size=4),
        st.sampled_from([nested(50), nested(400), [{"a": SCRIPT}], {"": None}, [[]]]),
    )


def mutated(valid: dict[str, Any], extra_keys: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """The valid body with some of its fields replaced by hostile values or dropped, perhaps an
    optional one (``extra_keys``) or an unknown one added: the rest stays valid, so that the
    spoiled part is what gets judged."""
    own = sorted(valid)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        body = dict(valid)
        for key in draw(st.lists(st.sampled_from(own), min_size=1, max_size=3, unique=True)):
            if draw(st.integers(0, 5)) == 0:
                body.pop(key, None)
            else:
                body[key] = draw(json_values())
        if extra_keys and draw(st.booleans()):
            body[draw(st.sampled_from(extra_keys))] = draw(json_values())
        if draw(st.booleans()):
            body[draw(st.sampled_from(["<script>", "\x00", "__proto__", "a" * 300]))] = SCRIPT
        return body

    return build()


MALFORMED_BODIES = [
    b"{",
    b"}",
    b"{'single': 'quotes'}",
    b'{"a": 1,}',
    b"\xff\xfe\x00{",
    b"\xef\xbb\xbf{}",
    b"[1, 2, 3]",
    b'"a string"',
    b"42",
    b"null",
    b"true",
    b'{"a": NaN, "b": Infinity}',
    b'{"a": "\\ud800"}',
    b'{"a": "\\u0000"}',
    BigBytes(b"[" * 100_000 + b"]" * 100_000),
    BigBytes(b'{"a":' * 5000 + b"1" + b"}" * 5000),
    BigBytes(b'{"x": "' + b"A" * 1_000_000 + b'"}'),
    b"\x00" * 64,
    b"<html><script>alert(1)</script></html>",
    b"trigger=close&data=1",
]


def malformed_bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(st.sampled_from(MALFORMED_BODIES), st.binary(max_size=200))


def sendable(text: str) -> str:
    """As a URL or a browser's form can carry it: a lone surrogate has no UTF-8 bytes."""
    return text.encode("utf-8", "replace").decode()


def query_values() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), st.sampled_from([str(i) for i in HOSTILE_INTS])).map(sendable)
