"""One entry for reporters (issue 3): plain answers — who was affected, was anyone harmed or at
risk — propose the case type; the reporter may choose another; a report about both laws opens a
lex Sarah and a lex Maria case, linked, each with its own gapless reference."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.models import Case, CaseEvent, ReferenceCounter
from tests.factories import report_data
from workflows.errors import InvalidData, NotAllowed
from workflows.intake import propose_case_types, report_event
from workflows.permissions import visible_sections

AFFECTED = ("care_recipient", "patient", "both", "unknown")
HARM = ("harmed", "risk", "none", "unknown")
BOTH = ("lex_sarah", "lex_maria")

# Written from the questions' meaning: harm or a risk of it to a person receiving care or
# support is lex Sarah, to a patient lex Maria, to both both; without harm or risk (or not
# known) it is a deviation. Harm to someone unknown is proposed as lex Sarah, the broader duty
# in a municipality's care; the SAS can reclassify it.
PROPOSALS = {
    **{(a, h): ("deviation",) for a in AFFECTED for h in ("none", "unknown")},
    **{("care_recipient", h): ("lex_sarah",) for h in ("harmed", "risk")},
    **{("patient", h): ("lex_maria",) for h in ("harmed", "risk")},
    **{("both", h): BOTH for h in ("harmed", "risk")},
    **{("unknown", h): ("lex_sarah",) for h in ("harmed", "risk")},
}
YEAR = date.today().year


def test_the_table_covers_every_answer():
    assert set(PROPOSALS) == {(a, h) for a in AFFECTED for h in HARM}


@pytest.mark.parametrize(("affected", "harm"), sorted(PROPOSALS))
def test_the_answers_propose_the_case_type(affected, harm):
    assert propose_case_types(affected, harm) == PROPOSALS[(affected, harm)]


@pytest.mark.parametrize(("affected", "harm"), sorted(PROPOSALS))
def test_a_report_becomes_the_proposed_cases(session, world, affected, harm):
    cases = report_event(
        session, world.reporter, report_data(world.solgarden, affected=affected, harm=harm)
    )
    assert tuple(c.case_type for c in cases) == PROPOSALS[(affected, harm)]
    for case in cases:
        assert (case.state, case.affected, case.harm) == ("submitted", affected, harm)
        assert case.reporter_id == world.reporter.id


def test_unanswered_questions_propose_a_deviation(session, world):
    data = {k: v for k, v in report_data(world.solgarden).items() if k not in ("affected", "harm")}
    [case] = report_event(session, world.reporter, data)
    assert (case.case_type, case.affected, case.harm) == ("deviation", "unknown", "unknown")


@pytest.mark.parametrize(
    ("kind", "types"),
    [
        ("auto", ("lex_maria",)),
        ("deviation", ("deviation",)),
        ("lex_sarah", ("lex_sarah",)),
        ("lex_maria", ("lex_maria",)),
        ("both", BOTH),
    ],
)
def test_the_reporter_may_choose_another_type(session, world, kind, types):
    # The answers propose lex Maria; an explicit choice wins.
    data = report_data(world.solgarden, affected="patient", harm="harmed", report_kind=kind)
    cases = report_event(session, world.reporter, data)
    assert tuple(c.case_type for c in cases) == types


@pytest.mark.parametrize("kind", ["lex_sarah", "lex_maria", "both"])
def test_a_reporter_may_report_a_case_the_answers_would_not_propose(session, world, kind):
    data = report_data(world.solgarden, affected="unknown", harm="none", report_kind=kind)
    cases = report_event(session, world.reporter, data)
    assert tuple(c.case_type for c in cases) == (BOTH if kind == "both" else (kind,))


def _nothing_written(session):
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Case)),
        session.scalar(select(func.count()).select_from(CaseEvent)),
        sorted(
            tuple(r)
            for r in session.execute(select(ReferenceCounter.case_type, ReferenceCounter.last))
        ),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"report_kind": "ivo"}, "report_kind"),
        ({"affected": "visitor"}, "affected"),
        ({"harm": "maybe"}, "harm"),
        ({"description": ""}, "description"),
    ],
)
def test_a_report_with_unknown_answers_creates_nothing(session, world, change, field):
    before = _nothing_written(session)
    with pytest.raises(InvalidData) as caught:
        report_event(
            session,
            world.reporter,
            report_data(world.solgarden, **{"report_kind": "both", **change}),
        )
    assert caught.value.status == 422
    assert field in caught.value.field_errors
    assert _nothing_written(session) == before


def test_an_inactive_user_cannot_report(session, world):
    world.reporter.active = False
    session.flush()
    before = _nothing_written(session)
    with pytest.raises(NotAllowed):
        report_event(session, world.reporter, report_data(world.solgarden))
    assert _nothing_written(session) == before


def test_both_laws_open_two_linked_cases(session, world, tmp_path):
    photo = FileStorage(
        stream=io.BytesIO(b"%PDF-1.4 bild"), filename="journal.pdf", content_type="application/pdf"
    )
    data = report_data(world.solgarden, affected="both", harm="harmed", medical_device=True)
    lex_sarah, lex_maria = report_event(session, world.reporter, data, [photo], upload_dir=tmp_path)
    session.expire_all()

    assert (lex_sarah.case_type, lex_maria.case_type) == BOTH
    assert (lex_sarah.related_case_id, lex_maria.related_case_id) == (lex_maria.id, lex_sarah.id)
    assert lex_sarah.related_case.id == lex_maria.id
    # Not a conversion: neither comes from the other.
    assert {
        lex_sarah.origin_case_id,
        lex_sarah.successor_case_id,
        lex_maria.origin_case_id,
        lex_maria.successor_case_id,
    } == {None}
    assert (lex_sarah.reference, lex_maria.reference) == (f"LS-{YEAR}-0001", f"LM-{YEAR}-0001")
    for case, other in ((lex_sarah, lex_maria), (lex_maria, lex_sarah)):
        assert case.state == "submitted"
        assert case.description == data["description"]
        assert case.medical_device
        assert [(p.name, p.personnummer) for p in case.persons] == [
            ("Anna Andersson", "19121212-1212")
        ]
        assert [a.filename for a in case.attachments] == ["journal.pdf"]
        assert [a.size for a in case.attachments] == [len(b"%PDF-1.4 bild")]
        history = [(e.trigger, e.actor_id, e.actor_role, e.data) for e in case.events]
        assert history == [
            ("submit", world.reporter.id, "reporter", {"reference": case.reference}),
            (
                "reported_together",
                world.reporter.id,
                "reporter",
                {"related_case_id": other.id, "related_reference": other.reference},
            ),
        ]
        assert visible_sections(session, world.reporter, case) >= {"report", "status"}
    assert lex_sarah.persons[0].id != lex_maria.persons[0].id
    assert lex_sarah.attachments[0].stored_name != lex_maria.attachments[0].stored_name
    # Each goes its own way: the SAS investigates the one, the MAS the other.
    assert "investigation" in visible_sections(session, world.sas, lex_sarah)
    assert visible_sections(session, world.sas, lex_maria) == frozenset()
    assert "investigation" in visible_sections(session, world.mas, lex_maria)
    assert visible_sections(session, world.mas, lex_sarah) == frozenset()


def test_references_are_gapless_per_type(session, world):
    def report(kind, **overrides):
        data = report_data(world.solgarden, report_kind=kind, **overrides)
        return [c.reference for c in report_event(session, world.reporter, data)]

    got = [report("lex_sarah"), report("both"), report("deviation"), report("lex_maria")]
    # A refused report takes no number.
    with pytest.raises(InvalidData):
        report("both", description="")
    got += [report("both"), report("deviation"), report("auto", affected="patient")]
    assert got == [
        [f"LS-{YEAR}-0001"],
        [f"LS-{YEAR}-0002", f"LM-{YEAR}-0001"],
        [f"AV-{YEAR}-0001"],
        [f"LM-{YEAR}-0002"],
        [f"LS-{YEAR}-0003", f"LM-{YEAR}-0003"],
        [f"AV-{YEAR}-0002"],
        [f"LM-{YEAR}-0004"],
    ]
    seqs = {
        t: session.scalars(select(Case.seq).where(Case.case_type == t).order_by(Case.seq)).all()
        for t in ("lex_sarah", "lex_maria", "deviation")
    }
    assert seqs == {"lex_sarah": [1, 2, 3], "lex_maria": [1, 2, 3, 4], "deviation": [1, 2]}
