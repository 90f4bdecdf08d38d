"""What a person sees (or a screen reader says) on a page: the text outside tags, scripts and
styles, and the attributes that are read out or shown."""

from __future__ import annotations

from html.parser import HTMLParser

# Attributes a browser shows or a screen reader announces.
SPOKEN_ATTRIBUTES = frozenset(
    {
        "title",
        "alt",
        "placeholder",
        "label",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-valuetext",
    }
)
# An <input>'s value is its caption only on these buttons.
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
_SKIPPED = frozenset({"script", "style", "template"})


class _Collector(HTMLParser):
    def __init__(self, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipped = skipped
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._skipped:
            self._skip += 1
        for name, value in attrs:
            if value and name in SPOKEN_ATTRIBUTES:
                self.chunks.append(value)
        values = dict(attrs)
        caption = values.get("value")
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS and caption:
            self.chunks.append(caption)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self._skipped:
            self._skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipped and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(data)


def visible_chunks(html: str, skip: tuple[str, ...] = ()) -> list[str]:
    """The page's visible text and spoken attributes, one item per text node or attribute;
    nothing inside the elements named in ``skip``."""
    collector = _Collector(_SKIPPED | frozenset(skip))
    collector.feed(html)
    collector.close()
    return [" ".join(chunk.split()) for chunk in collector.chunks]


def visible_text(html: str) -> str:
    return "\n".join(visible_chunks(html))
