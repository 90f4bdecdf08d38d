"""The complaint's machine is declared like the others: the diagram draws it from the
declaration, and every step names its section."""

from __future__ import annotations

from workflows.diagram import render_svg
from workflows.permissions import ALL_SECTIONS
from workflows.registry import flow_for, registered_types, reportable_types


def test_the_complaint_is_registered_but_not_reportable():
    assert "complaint" in registered_types()
    assert "complaint" not in reportable_types()


def test_the_diagram_draws_every_state_and_move(app):
    flow = flow_for("complaint")
    with app.test_request_context():
        svg = render_svg(flow, "received")
    for label in ("Inkommen", "Mottagen", "Utreds", "Besvarad", "Avslutad"):
        assert label in svg
    edges = set(flow.edges())
    assert ("received", "answer", "answered") in edges
    assert ("escalated", "answer", "answered") in edges
    assert ("closed", "reopen", "under_investigation") in edges
    assert all(s.section in ALL_SECTIONS for s in (*flow.steps, *flow.records))
