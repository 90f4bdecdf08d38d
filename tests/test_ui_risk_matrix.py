"""The risk matrix says what the assess step would do (DOMAIN.md §3.3, §5): each cell's colour and
word come from the same rule the step applies (workflows/escalation.py), at whatever thresholds
the administrator has set, with a legend in words and, on the assess step, a live preview line
for risk_matrix.js to fill."""

from __future__ import annotations

import re

from app.models import set_setting
from tests.factories import assessment, case_of, new_case_of
from workflows.engine import fire
from workflows.escalation import Thresholds

GRID = [(s, likelihood) for s in range(1, 5) for likelihood in range(1, 5)]
CELL = re.compile(
    r'<td class="risk-cell risk-cell--(\w+)[^"]*" data-severity="(\d)" data-likelihood="(\d)"'
    r' data-score="(\d+)" data-outcome="(\w+)">(.*?)</td>',
    re.S,
)


def _cells(html: str, anchor: str) -> dict[tuple[int, int], tuple[str, str, int, str]]:
    start = html.index(anchor)
    table = html[start : html.index("</table>", start)]
    return {
        (int(s), int(lk)): (cls, outcome, int(score), re.sub(r"\s+", " ", text))
        for cls, s, lk, score, outcome, text in CELL.findall(table)
    }


def test_every_cell_says_what_the_assess_step_does_at_non_default_thresholds(
    client, auth, world, session
):
    # Not the defaults (3 / 8): severity 4 alone, or a score of 6 or more, escalates.
    set_setting(session, "escalation.severity", 4)
    set_setting(session, "escalation.score", 6)
    session.flush()
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    cells = _cells(html, 'id="steg-assess"')
    assert set(cells) == set(GRID)
    assert "allvarlighetsgrad 4 eller högre, eller riskvärde 6 eller högre" in html
    outcomes = {}
    for (severity, likelihood), (cls, outcome, score, text) in cells.items():
        assert score == severity * likelihood
        assert cls == outcome
        # The word is in the cell, not only the colour.
        assert ("Eskaleras" if outcome == "escalates" else "Lokalt") in text
        assert Thresholds(4, 6).exceeded(severity, likelihood) == (outcome == "escalates")
        outcomes[(severity, likelihood)] = outcome
    # What the step then does with each cell, fired for real.
    for (severity, likelihood), outcome in outcomes.items():
        assessed = new_case_of(session, world, "deviation")
        fire(
            session,
            assessed,
            world.manager,
            "assess",
            assessment(session, "Fall", severity=severity, likelihood=likelihood),
        )
        want = "escalated" if outcome == "escalates" else "local_investigation"
        assert assessed.state == want, (severity, likelihood)
    # Written out for these thresholds: severity 4, and 2×3, 2×4, 3×2, 3×3, 3×4.
    assert sorted(k for k, v in outcomes.items() if v == "escalates") == [
        (2, 3), (2, 4), (3, 2), (3, 3), (3, 4), (4, 1), (4, 2), (4, 3), (4, 4)
    ]  # fmt: skip


def test_the_legend_says_each_colour_in_words_and_the_preview_is_ready_for_the_script(
    client, auth, world, session
):
    case = case_of(session, world, "deviation", "submitted")
    auth.login("manager@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    step = html[html.index('id="steg-assess"') :]
    assert "Röd ruta, märkt ”Eskaleras”: avvikelsen går till SAS eller MAS." in step
    assert "Grön ruta, märkt ”Lokalt”: enhetschefen utreder avvikelsen lokalt." in step
    preview = re.search(r'<p class="risk-preview"[^>]*>', step, re.S)
    assert preview is not None
    tag = preview.group(0)
    assert 'role="status"' in tag
    assert 'aria-live="polite"' in tag
    assert 'data-text-escalates="Riskvärde {score} av 16: Eskaleras till {role}."' in tag
    assert 'data-text-local="Riskvärde {score} av 16: Utreds lokalt av enhetschefen."' in tag
    assert re.search(r'data-escalates-to="SoL:SAS LSS:SAS HSL:MAS ?"', tag)
    always = re.search(r'data-always-escalating="([\d ]*)"', tag)
    assert always is not None
    assert always.group(1).split()
    # A module file, under the strict CSP: no inline script or style.
    assert '<script type="module" src="/static/risk_matrix.js"></script>' in html
    assert "style=" not in step


def test_a_lex_sarah_matrix_has_no_escalation_colours(client, auth, world, session):
    """No outcome follows from a lex Sarah case's cells, so none is coloured as one."""
    case = case_of(session, world, "lex_sarah", "awaiting_decision")
    auth.login("sas@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    cells = _cells(html, 'id="utredning"')
    assert {outcome for _cls, outcome, _score, _text in cells.values()} == {"none"}
    assert "Eskaleras" not in html[html.index('id="utredning"') :]


def test_the_assessment_matrix_follows_the_thresholds_in_force(client, auth, world, session):
    case = case_of(session, world, "deviation", "local_investigation")
    set_setting(session, "escalation.severity", 2)
    set_setting(session, "escalation.score", 16)
    session.flush()
    auth.login("manager@test.se")
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    cells = _cells(html, 'id="bedomning"')
    for (severity, likelihood), (_cls, outcome, _score, _text) in cells.items():
        assert (outcome == "escalates") == (severity >= 2 or severity * likelihood >= 16)
