"""The committee's PDFs, parsed back: reference, promised fields, legal basis, nothing from another
case, user text as text, and the renderer fetching nothing."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.documents.renderer import OfflineFetcher, css_string
from tests.factories import FILING, case_in, case_of, new_case, walk
from workflows.engine import fire


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(content))
    # Layout breaks lines anywhere; compare with whitespace collapsed.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def download(client, case, kind, status=200, **query):
    response = client.get(f"/arenden/{case.id}/dokument/{kind}.pdf", query_string=query)
    assert response.status_code == status
    return response


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/a.css", "https://x/y"])
def test_the_fetcher_refuses_files_and_remote_urls(url):
    with pytest.raises(ValueError, match="refused"):
        OfflineFetcher()(url)


def test_the_fetcher_allows_inline_data():
    assert OfflineFetcher()("data:text/plain,hej").read() == b"hej"


def test_css_strings_cannot_end_the_rule():
    assert css_string('a"; } @page { x') == '"a\\22 \\3b \\20 \\7d \\20 \\40 page\\20 \\7b \\20 x"'


def test_sas_downloads_ivo_report_and_investigation_of_a_lex_sarah_case(
    client, auth, world, session
):
    case = case_in(session, world, "closed")
    other = case_of(
        session,
        world,
        "lex_sarah",
        "closed",
        unit=world.linden,
        manager=world.other_manager,
        description="Helt annan händelse på Linden.",
    )
    auth.login("sas@test.se")

    report = download(client, case, "ivo_report")
    assert report.headers["Content-Disposition"].startswith("attachment")
    assert f"Anmalan_IVO_{case.reference}.pdf" in report.headers["Content-Disposition"]
    text = pdf_text(report.data)
    for expected in (
        case.reference,
        "Sekretess enligt OSL 26 kap. 1 §",
        "Sida 1 av",
        "Socialnämnden",
        "Exempelby kommun",
        "SN 2026/12",  # own case number from the filing
        "Allvarligt missförhållande",
        "Solgården",
        "En boende föll i badrummet",
        "Tillsynsrutinen följdes inte.",  # causes
        "Extra tillsyn infördes samma kväll.",  # immediate measures
        "Ny tillsynsrutin.",
        "Sas",  # contact person: the investigator
        "Socialtjänstlagen (2025:400) 27 kap. 6 §",
        "SOSFS 2011:5",
        "Bilaga: utredningen",
    ):
        assert expected in text, expected
    assert other.reference not in text
    assert "Helt annan händelse" not in text
    assert "Linden" not in text

    inv = download(client, case, "investigation")
    assert f"Utredning_{case.reference}_1.pdf" in inv.headers["Content-Disposition"]
    text = pdf_text(inv.data)
    for expected in (
        case.reference,
        "Utredning",
        "Den boende blev liggande utan hjälp",
        "Personal upptäckte det vid tillsyn.",
        "Motivering av graden.",
        "SOSFS 2011:5 5 kap.",
    ):
        assert expected in text, expected
    assert other.reference not in text

    decision = pdf_text(download(client, case, "decision").data)
    for expected in (case.reference, "Anmäls till IVO", "Allvarligt.", "Chair", "Beslutat"):
        assert expected in decision, expected


def test_lex_sarah_under_lss_cites_lss(client, auth, world, session):
    case = case_of(
        session,
        world,
        "lex_sarah",
        "awaiting_filing",
        unit=world.linden,
        manager=world.other_manager,
    )
    auth.login("sas@test.se")
    text = pdf_text(download(client, case, "ivo_report").data)
    assert "(LSS) 24 f §" in text
    assert "27 kap. 6 §" not in text


def test_mas_downloads_ivo_report_and_investigation_of_a_lex_maria_case(
    client, auth, world, session
):
    case = case_of(session, world, "lex_maria", "closed")
    auth.login("mas@test.se")
    text = pdf_text(download(client, case, "ivo_report").data)
    for expected in (
        case.reference,
        "Sekretess enligt OSL 25 kap. 1 §",
        "Allvarlig vårdskada",
        "Patienten fick dubbel dos",
        "Signeringslistan fördes inte.",
        "Digital signering införs.",
        "Mas",
        "Patientsäkerhetslagen (2010:659) 3 kap. 5 §",
        "HSLF-FS 2017:41",
    ):
        assert expected in text, expected
    text = pdf_text(download(client, case, "investigation").data)
    for expected in (
        case.reference,
        "Händelseanalys",
        "Klarlägga hur dubbeldoseringen kunde ske.",
        "Hög arbetsbelastning under kvällen.",
        "HSLF-FS 2017:40",
    ):
        assert expected in text, expected


def test_markup_in_user_text_is_printed_as_text(client, auth, world, session):
    case = case_in(session, world, "submitted")
    case.description = "<script>alert(1)</script><b>fet</b>"
    session.flush()
    walk(session, world, case, "awaiting_filing")
    auth.login("sas@test.se")
    for kind in ("ivo_report", "investigation"):
        text = pdf_text(download(client, case, kind).data)
        assert "<script>alert(1)</script><b>fet</b>" in text


@pytest.mark.parametrize("who", ["reporter@test.se", "manager@test.se"])
def test_reporter_and_manager_are_refused(client, auth, world, session, who):
    case = case_in(session, world, "awaiting_filing")
    auth.login(who)
    for kind in ("ivo_report", "investigation", "decision"):
        download(client, case, kind, status=403)
    assert b"dokument/" not in client.get(f"/arenden/{case.id}").data


def test_documents_that_do_not_exist_yet_are_not_found(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    for kind in ("ivo_report", "investigation", "decision", "nonsense"):
        download(client, case, kind, status=404)
    assert b"dokument/" not in client.get(f"/arenden/{case.id}").data


def test_deviations_have_no_ivo_documents(client, auth, world, session):
    case = case_of(session, world, "deviation", "closed")
    auth.login("manager@test.se")
    download(client, case, "investigation", status=404)


# --- the IVO report as IVO's form asks for it (DOMAIN.md §7 rev. 2) ----------------------------


def report_part(text: str) -> str:
    """The report itself, without the investigation attached to it."""
    return text.split("Bilaga: utredningen")[0]


def test_the_report_carries_the_committees_number_or_a_blank_line_never_our_reference(
    client, auth, world, session
):
    unfiled = case_in(session, world, "awaiting_filing")
    filed = case_in(session, world, "filed")
    auth.login("sas@test.se")

    text = report_part(pdf_text(download(client, unfiled, "ivo_report").data))
    assert "Nämndens diarienummer ____" in text
    assert f"Nämndens diarienummer {unfiled.reference}" not in text
    assert "Eget diarienummer" not in text
    # Our reference is there, under its own name.
    assert f"Ärende {unfiled.reference}" in text

    text = report_part(pdf_text(download(client, filed, "ivo_report").data))
    assert "Nämndens diarienummer SN 2026/12" in text
    assert "____" not in text


def test_lex_maria_report_cites_the_lex_maria_regulation(client, auth, world, session):
    case = case_of(session, world, "lex_maria", "awaiting_filing")
    auth.login("mas@test.se")
    text = report_part(pdf_text(download(client, case, "ivo_report").data))
    assert "HSLF-FS 2017:41" in text
    assert "2017:40" not in text


def test_the_severity_is_headed_as_on_the_case_page(client, auth, world, session):
    case = case_in(session, world, "awaiting_filing")
    auth.login("sas@test.se")
    text = pdf_text(download(client, case, "ivo_report").data)
    assert "Allvarlighetsgrad Betydande" in report_part(text)
    assert not re.search(r"\bKonsekvens\b", text)


def test_unanswered_headings_say_so(client, auth, world, session):
    case = new_case(session, world)
    case.location = ""
    session.flush()
    walk(session, world, case, "under_investigation")
    # Filed before the investigation is completed: the report has no causes or severity yet.
    fire(
        session,
        case,
        world.sas,
        "propose_early_filing",
        {"proposed_grade": "risk_of_serious_misconduct", "grade_motivation": "Risk."},
    )
    fire(session, case, world.chair, "approve_filing", {"motivation": "Ja."})
    auth.login("sas@test.se")
    text = pdf_text(download(client, case, "ivo_report").data)
    for expected in (
        "Plats Uppgift saknas",
        "Allvarlighetsgrad Uppgift saknas",
        "Orsaksområden Uppgift saknas",
        "Planerade och genomförda åtgärder Uppgift saknas",
    ):
        assert expected in text, expected


def test_an_empty_investigation_item_is_not_an_orphaned_heading(client, auth, world, session):
    case = case_in(session, world, "awaiting_filing")
    assert case.investigation.other_findings == ""
    auth.login("sas@test.se")
    for kind in ("ivo_report", "investigation"):
        text = pdf_text(download(client, case, kind).data)
        assert "8. Annat som framkommit Uppgift saknas" in text, kind


def test_the_place_is_its_own_field_and_the_unit_its_path(client, auth, world, session):
    case = new_case(session, world)
    case.location = "Avdelning 3"
    case.occurred_time = None
    session.flush()
    walk(session, world, case, "awaiting_filing")
    auth.login("sas@test.se")
    for kind in ("ivo_report", "decision"):
        text = pdf_text(download(client, case, kind).data)
        assert "Plats Avdelning 3" in text, kind
        assert ", Avdelning 3" not in text, kind
        assert f"Händelsen inträffade {case.occurred_on.isoformat()} Plats" in text, kind
        assert "Förvaltningen › Äldreomsorg › Solgården" in text, kind


# --- PDF/A-2b (DOMAIN.md §7 rev. 2) -----------------------------------------------------------


def assert_pdf_a_2b(content: bytes) -> None:
    reader = PdfReader(BytesIO(content))
    xmp = reader.xmp_metadata
    assert xmp is not None
    described = [
        d
        for d in xmp.rdf_root.getElementsByTagNameNS(
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
        )
        if d.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "part")
    ]
    assert [
        (
            d.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "part"),
            d.getAttributeNS("http://www.aiim.org/pdfa/ns/id/", "conformance"),
        )
        for d in described
    ] == [("2", "B")]
    [intent] = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile.get_data()[36:40] == b"acsp"  # an ICC profile's signature
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for each in [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]:
                descriptor = each["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), each
                fonts += 1
    assert fonts


def test_every_document_is_pdf_a_2b(client, auth, world, session):
    case = case_in(session, world, "closed")
    auth.login("sas@test.se")
    for kind in ("ivo_report", "investigation", "decision"):
        assert_pdf_a_2b(download(client, case, kind).data)


def test_the_statistics_pdf_is_pdf_a_2b(client, auth, world, session):
    case_in(session, world, "closed")
    auth.login(world.chair.email)
    response = client.get("/statistik.pdf")
    assert response.status_code == 200
    assert_pdf_a_2b(response.data)


# --- the committee's number entered before the filing -------------------------------------------


def test_the_committees_number_entered_before_the_filing_is_on_the_report(
    client, auth, world, session
):
    case = case_in(session, world, "awaiting_filing")
    auth.login("sas@test.se")
    page = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert f'action="/arenden/{case.id}/diarienummer"' in page

    empty = client.post(
        f"/arenden/{case.id}/diarienummer",
        data={"own_case_number": "  ", "expected_version": case.version},
    )
    assert empty.status_code == 422
    session.refresh(case)
    assert case.own_case_number is None

    saved = client.post(
        f"/arenden/{case.id}/diarienummer",
        data={"own_case_number": "SN 2026/77", "expected_version": case.version},
    )
    assert saved.status_code == 302
    session.refresh(case)
    assert case.own_case_number == "SN 2026/77"
    assert [e.trigger for e in case.events][-1] == "record_own_case_number"
    text = report_part(pdf_text(download(client, case, "ivo_report").data))
    assert "Nämndens diarienummer SN 2026/77" in text
    assert "____" not in text

    # A number given at the filing is the one IVO was sent.
    fire(session, case, world.sas, "record_filing", FILING)
    text = report_part(pdf_text(download(client, case, "ivo_report").data))
    assert "Nämndens diarienummer SN 2026/12" in text


@pytest.mark.parametrize("who", ["reporter@test.se", "manager@test.se", "chair@test.se"])
def test_only_the_investigator_enters_the_committees_number(client, auth, world, session, who):
    case = case_in(session, world, "awaiting_filing")
    auth.login(who)
    response = client.post(
        f"/arenden/{case.id}/diarienummer",
        data={"own_case_number": "SN 2026/77", "expected_version": case.version},
    )
    assert response.status_code == 403
    session.refresh(case)
    assert case.own_case_number is None
