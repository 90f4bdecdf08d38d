"""An FGS package (E-ARK CSIP/SIP) of a case walked to closed by the real operations: its folder
structure, METS.xml valid against the METS schema it carries, every checksum true, and the case
metadata (FGS Ärendehantering, E-ARK ERMS) naming the case and each of its documents."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema

from app.archive.mets import CSIP, METS
from app.archive.package import build_package
from tests.factories import case_of
from tests.retention.support import marked_case

from .support import ERMS, listed_files, members, xml

NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def package(app, session, world):
    case = marked_case(session, world, "lex_sarah")
    upload_dir = Path(app.config["UPLOAD_FOLDER"])
    return case, build_package(session, case, NOW, upload_dir)


def test_the_package_has_the_csip_structure(package):
    case, pkg = package
    root, files = members(pkg.content)

    assert root == pkg.package_id
    assert str(pkg.package_id) == str(__import__("uuid").UUID(pkg.package_id))
    data = sorted(p for p in files if p.startswith("representations/rep1/data/"))
    assert data == sorted(
        [
            f"representations/rep1/data/Anmalan_IVO_{case.reference}.pdf",
            f"representations/rep1/data/Beslut_{case.reference}.pdf",
            f"representations/rep1/data/Utredning_{case.reference}_1.pdf",
            f"representations/rep1/data/Bilaga_{case.reference}_1_Qxzvmarkor-foto.pdf",
            f"representations/rep1/data/Bilaga_{case.reference}_2_journal.pdf",
            f"representations/rep1/data/Bilaga_{case.reference}_3_Qxzvmarkor-senare.pdf",
        ]
    )
    assert set(files) == {
        "METS.xml",
        "metadata/descriptive/arende.xml",
        "documentation/Om_paketet.txt",
        *data,
        "schemas/mets.xsd",
        "schemas/xlink.xsd",
        "schemas/DILCISExtensionMETS.xsd",
        "schemas/DILCISExtensionSIPMETS.xsd",
        "schemas/ERMS.xsd",
    }


def test_mets_is_valid_against_the_schemas_the_package_carries(package, tmp_path):
    _case, pkg = package
    _root, files = members(pkg.content)
    for path, content in files.items():
        if path.startswith("schemas/"):
            (tmp_path / Path(path).name).write_bytes(content)
    schema = xmlschema.XMLSchema(
        str(tmp_path / "mets.xsd"),
        locations=[
            ("http://www.w3.org/1999/xlink", (tmp_path / "xlink.xsd").as_uri()),
            (CSIP, (tmp_path / "DILCISExtensionMETS.xsd").as_uri()),
            (
                "https://DILCIS.eu/XML/METS/SIPExtensionMETS",
                (tmp_path / "DILCISExtensionSIPMETS.xsd").as_uri(),
            ),
        ],
        allow="local",
    )
    schema.validate(files["METS.xml"].decode())
    xmlschema.XMLSchema(str(tmp_path / "ERMS.xsd"), allow="local").validate(
        files["metadata/descriptive/arende.xml"].decode()
    )

    # And a document that breaks the schema is refused, so the check above checks something.
    broken = files["METS.xml"].replace(b'LABEL="CSIP"', b'LABEL="CSIP" BOGUS="1"')
    assert not schema.is_valid(broken.decode())


def test_mets_names_the_package_and_its_profile(package):
    case, pkg = package
    _root, files = members(pkg.content)
    mets = xml(files["METS.xml"])
    assert (mets.get("OBJID"), mets.get("LABEL")) == (pkg.package_id, case.reference)
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
    assert mets.get(f"{{{CSIP}}}CONTENTINFORMATIONTYPE") == "ERMS"
    header = mets.find(f"{{{METS}}}metsHdr")
    assert header.get(f"{{{CSIP}}}OAISPACKAGETYPE") == "SIP"
    agents = [(a.get("ROLE"), a.get("TYPE"), a.findtext(f"{{{METS}}}name")) for a in header]
    assert agents == [
        ("CREATOR", "OTHER", "Lexflöde"),
        ("ARCHIVIST", "ORGANIZATION", "Socialnämnden, Exempelby kommun"),
        ("CREATOR", "ORGANIZATION", "Socialnämnden, Exempelby kommun"),
    ]
    struct = mets.find(f"{{{METS}}}structMap")
    assert (struct.get("TYPE"), struct.get("LABEL")) == ("PHYSICAL", "CSIP")
    labels = [d.get("LABEL") for d in struct.find(f"{{{METS}}}div")]
    assert labels == [
        "Metadata",
        "Documentation",
        "Schemas",
        "Representations",
        "Representations/rep1",
    ]


def test_every_file_is_listed_with_its_true_size_and_sha256(package):
    _case, pkg = package
    _root, files = members(pkg.content)
    listed = listed_files(xml(files["METS.xml"]))

    assert set(listed) == set(files) - {"METS.xml"}
    for path, attrs in listed.items():
        assert attrs["CHECKSUMTYPE"] == "SHA-256", path
        assert attrs["CHECKSUM"] == hashlib.sha256(files[path]).hexdigest(), path
        assert int(attrs["SIZE"]) == len(files[path]), path
    assert pkg.sha256 == hashlib.sha256(pkg.content).hexdigest()


def test_the_documents_are_pdfs_listed_in_the_case_metadata(package):
    case, pkg = package
    _root, files = members(pkg.content)
    erms = xml(files["metadata/descriptive/arende.xml"])
    casefile = erms.find(f"{ERMS}Aggregations/{ERMS}Aggregation")

    assert casefile.get("AggregationType") == "Casefile"
    assert casefile.findtext(f"{ERMS}ObjectID") == case.reference
    assert casefile.findtext(f"{ERMS}Status") == "Closed"
    assert case.unit.name in casefile.findtext(f"{ERMS}Title")
    filing = case.filings[0]
    extra = {e.get("ExtraIDType"): e.text for e in casefile.findall(f"{ERMS}ExtraID")}
    # The committee's diarienummer; IVO's number had not come (an empty one is left out).
    assert (filing.own_case_number, filing.ivo_case_number) == ("SN 2026/12", "")
    assert extra == {"Diarienummer": "SN 2026/12"}
    records = casefile.findall(f"{ERMS}Record")
    paths = [r.find(f"{ERMS}AdditionalInformation/{ERMS}Appendix").get("Path") for r in records]
    data = sorted(p for p in files if p.startswith("representations/rep1/data/"))
    assert sorted(paths) == data
    types = sorted(r.get("RecordType") for r in records)
    assert types == ["Anmälan till IVO", "Beslut", "Bilaga", "Bilaga", "Bilaga", "Utredning"]
    pdfs = [p for p in paths if not Path(p).name.startswith("Bilaga_")]
    assert len(pdfs) == 3
    for path in pdfs:
        assert files[path].startswith(b"%PDF"), path


def test_a_deviation_has_no_documents_but_its_attachments_and_metadata(app, session, world):
    case = case_of(session, world, "deviation", "closed")
    pkg = build_package(session, case, NOW, Path(app.config["UPLOAD_FOLDER"]))
    _root, files = members(pkg.content)
    erms = xml(files["metadata/descriptive/arende.xml"])
    assert erms.findtext(f"{ERMS}Aggregations/{ERMS}Aggregation/{ERMS}ObjectID") == case.reference
    assert set(listed_files(xml(files["METS.xml"]))) == set(files) - {"METS.xml"}
