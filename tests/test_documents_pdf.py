"""The committee's PDFs, parsed back: reference, promised fields, legal basis, nothing from another
case, user text as text, and the renderer fetching nothing."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from app.documents.renderer import OfflineFetcher, css_string
from tests.factories import case_in, case_of, walk


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
        "HSLF-FS 2017:40",
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
