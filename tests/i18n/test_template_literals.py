"""No template shows text that bypasses the i18n layer: every letter a person can see or hear
comes from an expression (``_()``, a label, data), never from literal HTML."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from jinja2 import nodes
from jinja2.visitor import NodeVisitor

from .visible import visible_chunks

# A character that is no letter stands in for each expression, so the HTML around it still parses.
HOLE = "\ue000"

# Literal text that is no language, each with its reason. Matched against a whole chunk with the
# expressions taken out.
NOT_LANGUAGE = {
    # Names of laws and authorities, written the same in every language of the UI.
    "IVO": "the national inspectorate's name",
    "SoL": "the Social Services Act's abbreviation",
    "LSS": "an act's abbreviation",
    "HSL": "the Health and Medical Services Act's abbreviation",
    # File formats.
    "PDF": "a file format",
    "CSV": "a file format",
    "kB": "a unit symbol",
    # The public pages' language switch names each language in that language (as
    # forms/account.py's LANGUAGE_NAMES do): a reader who has neither must still find theirs.
    "In": "'In English': English, offered in English",
    "English": "'In English'",
    "På": "'På svenska': Swedish, offered in Swedish",
    "svenska": "'På svenska'",
}


class _Literals(NodeVisitor):
    """Template source rebuilt from the syntax tree: literal text as written, each output
    expression a HOLE; ``{% trans %}`` blocks are calls, so they are holes too."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def visit_Output(self, node: nodes.Output) -> None:  # noqa: N802  (NodeVisitor's naming)
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                self.parts.append(child.data)
            else:
                # A constant printed as it is takes its place, so the HTML around it tells
                # whether anyone sees it (a class name does not count, a caption does).
                self.parts.append(" ".join(_printed_constants(child)) or HOLE)
                # A macro call's caller body or a lambda can hold output of its own.
                self.generic_visit(child)


def _printed_constants(expr: nodes.Node) -> list[str]:
    """String constants printed as they are: ``{{ 'Spara' }}``, ``{{ 'Ja' if x else 'Nej' }}``."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, nodes.CondExpr):
        return _printed_constants(expr.expr1) + (
            _printed_constants(expr.expr2) if expr.expr2 is not None else []
        )
    if isinstance(expr, nodes.Concat):
        return [s for n in expr.nodes for s in _printed_constants(n)]
    return []


def _templates(app: Flask) -> list[str]:
    return sorted(t for t in app.jinja_env.list_templates() if t.endswith(".html"))


def _problems(app: Flask, name: str) -> list[str]:
    source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]  # type: ignore[union-attr]
    visitor = _Literals()
    visitor.visit(app.jinja_env.parse(source, name))
    found = []
    for chunk in visible_chunks("".join(visitor.parts)):
        text = chunk.replace(HOLE, " ")
        words = set(re.findall(r"[^\W\d_]+", text))
        if words - set(NOT_LANGUAGE):
            found.append(chunk.replace(HOLE, "{{…}}"))
    return found


def test_templates_are_found(app: Flask) -> None:
    # The check below would pass on nothing at all.
    names = _templates(app)
    assert "base.html" in names
    assert len(names) > 40


def test_no_template_has_literal_text(app: Flask) -> None:
    problems = {name: found for name in _templates(app) if (found := _problems(app, name))}
    assert not problems, "text not going through _(): " + "\n".join(
        f"{name}: {found}" for name, found in problems.items()
    )


@pytest.mark.parametrize(
    ("source", "leak"),
    [
        ("<p>Spara</p>", "Spara"),
        ('<img alt="Logga" src="x.png">', "Logga"),
        ('<input type="submit" value="Skicka">', "Skicka"),
        ('<a href="{{ u }}" title="Öppna {{ n }}">x</a>', "Öppna"),
        ("<p>{{ 'Ja' if x else 'Nej' }}</p>", "Ja"),
        ("{% if x %}<b>Klar</b>{% endif %}", "Klar"),
    ],
)
def test_the_check_sees_literal_text(app: Flask, source: str, leak: str) -> None:
    visitor = _Literals()
    visitor.visit(app.jinja_env.parse(source))
    chunks = visible_chunks("".join(visitor.parts))
    assert any(leak in chunk for chunk in chunks)


def test_the_check_lets_expressions_and_code_through(app: Flask) -> None:
    source = (
        '<a class="button" href="{{ url_for(\'x\') }}" title="{{ _(\'Öppna\') }}">'
        "{{ _('Spara') }}</a><script>var a = 1;</script> · – (IVO) {{ n }}"
    )
    visitor = _Literals()
    visitor.visit(app.jinja_env.parse(source))
    chunks = visible_chunks("".join(visitor.parts))
    assert all(
        not (set(re.findall(r"[^\W\d_]+", c.replace(HOLE, " "))) - set(NOT_LANGUAGE))
        for c in chunks
    )
