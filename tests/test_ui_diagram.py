"""The state diagram: every state drawn, the current one marked in more than colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.labels import STATE_LABELS
from workflows.diagram import describe_edges, render_svg, state_steps
from workflows.registry import flow_for

SVG = "{http://www.w3.org/2000/svg}"


def test_diagram_has_every_state_and_marks_the_current_one(app):
    flow = flow_for("lex_sarah")
    svg = render_svg(flow, "awaiting_decision")
    root = ET.fromstring(svg)  # noqa: S314  (our own output: checks it is well-formed XML)
    assert root.get("role") == "img"
    assert "Förslag till beslut" in root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for state in flow.states:
        assert str(STATE_LABELS["lex_sarah"][state]) in texts
    assert texts.count("(nuvarande)") == 1
    current = [g for g in root.iter(f"{SVG}g") if "state--current" in (g.get("class") or "")]
    assert len(current) == 1
    labels = [t.text for t in current[0].iter(f"{SVG}text")]
    assert labels == ["Förslag till beslut", "(nuvarande)"]
    assert current[0].find(f"{SVG}rect").get("stroke-width") == "4"


def test_diagram_labels_moves_with_their_steps(app):
    svg = render_svg(flow_for("lex_sarah"), "submitted")
    for label in (
        "Starta utredning",
        "Besluta om anmälan till IVO",
        "Återuppta ärendet",
        "Omklassificera",
    ):
        assert label in svg
    # One arrow head per drawn move, all pointing with the shared marker.
    assert svg.count('marker-end="url(#lf-arrow)"') >= 10


def test_diagram_escapes_text(app, monkeypatch):
    from app import labels

    monkeypatch.setitem(labels.STATE_LABELS["lex_sarah"], "closed", "<b>&Stängd</b>")
    svg = render_svg(flow_for("lex_sarah"), "closed")
    assert "<b>" not in svg
    assert "&lt;b&gt;&amp;Stängd&lt;/b&gt;" in svg
    ET.fromstring(svg)  # noqa: S314  (our own output)


def test_moves_as_text(app):
    rows = describe_edges(flow_for("lex_sarah"))
    assert ("Förslag till beslut", "Återsänd till utredaren", "Under utredning") in rows
    assert len(rows) == len(set(rows))
    assert all(not re.search(r"[a-z]+_[a-z]+", " ".join(row)) for row in rows)


def test_every_case_type_is_drawn_with_its_own_state_names(app):
    for case_type, current in (("lex_maria", "under_investigation"), ("deviation", "escalated")):
        flow = flow_for(case_type)
        root = ET.fromstring(render_svg(flow, current))  # noqa: S314  (our own output)
        texts = [t.text for t in root.iter(f"{SVG}text")]
        for state in flow.states:
            assert str(STATE_LABELS[case_type][state]) in texts
        assert texts.count("(nuvarande)") == 1
        rows = describe_edges(flow)
        assert len(rows) == len(set(rows))
        assert "Rapport inkommen" not in texts  # lex Sarah's name for the first state
    assert (
        "Bedöms av SAS/MAS",
        "Gör om till lex Sarah-ärende",
        "Omvandlad till lex Sarah eller lex Maria",
    ) in describe_edges(flow_for("deviation"))


def test_svg_scales_to_its_column(app):
    root = ET.fromstring(render_svg(flow_for("lex_sarah"), "submitted"))  # noqa: S314
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("viewBox", "").startswith("0 0 ")


def test_states_as_a_list_for_narrow_screens(app):
    flow = flow_for("lex_sarah")
    rows = state_steps(flow, "awaiting_decision")
    assert [r.label for r in rows] == [str(STATE_LABELS["lex_sarah"][s]) for s in flow.states]
    assert [r.label for r in rows if r.current] == ["Förslag till beslut"]
    assert {r.label for r in rows if r.final} == {"Avslutad", "Omklassificerad"}
    decision = next(r for r in rows if r.current)
    assert ("Återsänd till utredaren", "Under utredning") in decision.moves
    assert ("Besluta att inte anmäla", "Uppföljning av åtgärder") in decision.moves
    assert len(decision.moves) == len(set(decision.moves))
    # Every drawn move is listed from its source.
    listed = {(r.label, *move) for r in rows for move in r.moves}
    assert {(src, dest_step, dest) for src, dest_step, dest in describe_edges(flow)} == listed
