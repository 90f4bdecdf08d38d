"""Records requests (begäran om allmän handling, DOMAIN.md §9 rev. 2): the SAS or MAS releases a
case's documents with personal data masked; what is stored and logged holds nothing of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.documents.redaction import Redactor
from app.models import CaseEvent, RecordsRelease
from app.models.audit import AccessLogEntry
from app.models.base import frozen_now
from tests.factories import case_in, investigation_data, report_data, walk
from tests.retention.support import OLD
from tests.test_documents_pdf import assert_pdf_a_2b, pdf_text
from workflows.engine import fire
from workflows.errors import InvalidData, NotAllowed
from workflows.records import save_investigation, submit_report
from workflows.records_release import release_records
from workflows.retention import purge

PLANTED = (
    "Gunnel Svanström",
    "Svanström",
    "Gunnel",
    "19340512-2387",
    "340512-2387",
    "Olle Berg",
    "Birgitta Lindqvist",
    "Lindqvist",
    "Kalle Nyberg",
    "Nyberg",
    "471103-4563",
)
# Text around the planted names that must survive the masking.
KEPT = (
    "föll i badrummet",
    "Larmade sjuksköterskan.",
    "Tillsynsrutinen följdes inte.",
    "Ny tillsynsrutin.",
    "Allvarligt.",
    "Anmälan till IVO",
    "Beslut",
    "Utredning",
    "[maskerat]",
)
ALL = ["report", "investigation", "decision", "ivo_report"]


def planted_case(session, world):
    data = report_data(
        world.solgarden,
        description=(
            "Gunnel Svanström (19340512-2387) föll i badrummet. Kalle Nyberg hittade henne "
            "och ringde GUNNEL SVANSTRÖMS dotter."
        ),
        persons=[
            {"name": "Gunnel Svanström", "personnummer": "19340512-2387"},
            {"name": "Olle Berg", "description": "Rumsgranne till Svanström."},
        ],
    )
    case = submit_report(session, world.reporter, data)
    # The reporter's name as the report stored it.
    case.reporter_name = "Birgitta Lindqvist"
    session.flush()
    walk(session, world, case, "under_investigation")
    save_investigation(
        session,
        case,
        world.sas,
        investigation_data(
            what_happened=(
                "Svanström låg på golvet. Nyberg, som arbetade natt, larmade. "
                "Grannen (471103-4563) hörde ropen."
            ),
            how_noticed="Kalle Nyberg hörde ett ljud.",
        ),
    )
    fire(session, case, world.sas, "complete_investigation", {})
    fire(session, case, world.chair, "approve_filing", {"motivation": "Allvarligt."})
    return case


def request_data(case, **overrides):
    data = {
        "documents": ALL,
        "requester": "Journalist på Lokaltidningen",
        "requester_reference": "LT 2026-44",
        "redact_terms": "Kalle Nyberg\nNyberg\n",
        "expected_version": case.version,
    }
    data.update(overrides)
    return data


def assert_nothing_planted(text: str) -> None:
    for planted in PLANTED:
        assert planted.casefold() not in text.casefold(), planted


def test_the_released_pdf_masks_every_planted_name_and_keeps_the_rest(client, auth, world, session):
    case = planted_case(session, world)
    auth.login("sas@test.se")

    page = client.get(f"/arenden/{case.id}/allman-handling")
    assert page.status_code == 200
    assert "Begäran om allmän handling" in page.get_data(as_text=True)

    preview = client.post(f"/arenden/{case.id}/allman-handling/granska", data=request_data(case))
    assert preview.status_code == 200
    shown = preview.get_data(as_text=True)
    # The preview is the masked text itself; the marked names come back only as the form's
    # hidden field, to be sent with the release.
    body = shown.split('class="records-preview"')[1]
    assert_nothing_planted(body)
    for kept in KEPT:
        assert kept in body, kept

    released = client.post(f"/arenden/{case.id}/allman-handling", data=request_data(case))
    assert released.status_code == 302
    release = session.scalars(select(RecordsRelease).where(RecordsRelease.case_id == case.id)).one()

    response = client.get(f"/arenden/{case.id}/allman-handling/{release.id}.pdf")
    assert response.status_code == 200
    assert response.data == release.content
    text = pdf_text(response.data)
    assert_nothing_planted(text)
    for kept in KEPT:
        assert kept in text, kept
    assert case.reference in text
    assert_pdf_a_2b(response.data)

    # The row: who, which documents, for whom, how much was masked; nothing planted.
    assert release.released_by_id == world.sas.id
    assert release.documents == ALL
    assert release.requester_reference == "LT 2026-44"
    assert release.redactions["marked_terms"] == 2
    assert release.redactions["personnummer"] >= 3
    assert release.redactions["names"] >= 5
    assert release.redactions["marked"] >= 3
    stored = json.dumps(
        [
            release.documents,
            release.requester,
            release.requester_reference,
            release.redactions,
            release.filename,
            release.released_by_name,
        ],
        ensure_ascii=False,
    )
    assert_nothing_planted(stored)
    for planted in PLANTED:
        assert planted.encode() not in release.content

    # The history: the step, with the same summary.
    event = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.trigger == "release_records"
        )
    ).one()
    assert event.data["documents"] == ALL
    assert_nothing_planted(json.dumps(event.data, ensure_ascii=False) + event.comment)

    # Every read is in the access log: the preview and the download.
    details = session.scalars(
        select(AccessLogEntry.detail).where(AccessLogEntry.case_id == case.id)
    ).all()
    assert "allmän handling, granskning" in details
    assert release.filename in details


def test_only_the_documents_asked_for_are_released(session, world):
    case = planted_case(session, world)
    release = release_records(session, case, world.sas, request_data(case, documents=["decision"]))
    text = pdf_text(release.content)
    assert "Allvarligt." in text
    assert "Tillsynsrutinen följdes inte." not in text
    assert release.documents == ["decision"]


def test_a_document_the_case_does_not_have_is_refused(session, world):
    case = submit_report(session, world.reporter, report_data(world.solgarden))
    with pytest.raises(InvalidData) as refused:
        release_records(session, case, world.sas, request_data(case, documents=["decision"]))
    assert "documents" in refused.value.field_errors
    with pytest.raises(InvalidData):
        release_records(session, case, world.sas, request_data(case, documents=[]))
    assert session.scalars(select(RecordsRelease)).all() == []
    # The report alone can always be asked for.
    assert release_records(session, case, world.sas, request_data(case, documents=["report"]))


@pytest.mark.parametrize("who", ["manager@test.se", "reporter@test.se", "chair@test.se"])
def test_managers_reporters_and_the_decider_cannot_release(client, auth, world, session, who):
    case = planted_case(session, world)
    release = release_records(session, case, world.sas, request_data(case))
    auth.login(who)
    assert client.get(f"/arenden/{case.id}/allman-handling").status_code == 403
    preview = client.post(f"/arenden/{case.id}/allman-handling/granska", data=request_data(case))
    assert preview.status_code == 403
    done = client.post(f"/arenden/{case.id}/allman-handling", data=request_data(case))
    assert done.status_code == 403
    pdf = client.get(f"/arenden/{case.id}/allman-handling/{release.id}.pdf")
    assert pdf.status_code == 403
    assert b"allman-handling" not in client.get(f"/arenden/{case.id}").data
    assert len(session.scalars(select(RecordsRelease)).all()) == 1


@pytest.mark.parametrize("who", ["manager", "reporter", "chair"])
def test_the_operation_refuses_all_but_the_investigator(session, world, who):
    case = planted_case(session, world)
    with pytest.raises(NotAllowed):
        release_records(session, case, getattr(world, who), request_data(case))


def test_the_sas_finds_the_request_on_the_case_page(client, auth, world, session):
    case = planted_case(session, world)
    auth.login("sas@test.se")
    assert f"/arenden/{case.id}/allman-handling".encode() in client.get(f"/arenden/{case.id}").data


def test_a_refused_request_keeps_what_was_typed(client, auth, world, session):
    case = planted_case(session, world)
    auth.login("sas@test.se")
    response = client.post(
        f"/arenden/{case.id}/allman-handling/granska",
        data=request_data(case, documents=[], requester_reference="Ref 9"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Välj minst en handling." in page
    assert 'value="Ref 9"' in page


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Född 19340512-2387.", "Född [maskerat]."),
        ("Nr 193405122387 och 340512+2387.", "Nr [maskerat] och [maskerat]."),
        ("Datum 2026-05-02, tel 08-123 45.", "Datum 2026-05-02, tel 08-123 45."),
        # The whole name as one, a part of it alone, the genitive; not inside another word.
        ("Anna ANDERSSON och annars", "[maskerat] och annars"),
        ("Annas bror, Anderssons granne", "[maskerat] bror, [maskerat] granne"),
    ],
)
def test_the_redactor_masks_personnummer_and_names_as_words(session, world, text, masked):
    case = submit_report(session, world.reporter, report_data(world.solgarden))
    assert Redactor.for_case(case, []).text(text) == masked


def test_release_pdf_bytes_parse(session, world):
    case = planted_case(session, world)
    release = release_records(session, case, world.sas, request_data(case))
    assert len(PdfReader(BytesIO(release.content)).pages) > 3


def test_retention_removes_the_released_pdf(session, world):
    with frozen_now(OLD):
        case = case_in(session, world, "closed")
        release_records(session, case, world.sas, request_data(case, documents=["report"]))
    purged = purge(session, datetime.now(UTC), "Test")
    assert case.id in {r.case_id for r in purged.records}
    assert (
        session.scalars(select(RecordsRelease).where(RecordsRelease.case_id == case.id)).all() == []
    )
    # That it was released stays in the history.
    assert "release_records" in [e.trigger for e in case.events]
