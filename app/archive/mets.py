"""METS.xml at the root of the package, per E-ARK CSIP 2.2 and SIP 2.2 (Riksarkivet's FGS
Paketstruktur builds on them): the package's id and profile, who made and who submits it, the
case metadata (dmdSec), every file with its size and SHA-256 (fileSec), and the CSIP structural
map. The documents are listed here directly (CSIP114 allows pointers to the content in place of
a METS per representation): one representation, one folder of files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
SOFTWARE = ("Lexflöde", "1")
for _prefix, _uri in (("xlink", XLINK), ("csip", CSIP), ("sip", SIP), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class PackageFile:
    """A file in the package, by its path from the package's root folder."""

    path: str
    content: bytes
    mimetype: str
    created_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Header:
    package_id: str
    label: str
    created_at: datetime
    # The archival creator and submitter: the committee, with the municipality.
    organisation: str


def _m(parent: ET.Element | None, tag: str, **attrs: str) -> ET.Element:
    # Unqualified here, in METS's namespace by the root's xmlns (see mets_document): ElementTree
    # will not write a default namespace beside unqualified attributes, and the profile's
    # examples and most archives' tools expect METS unprefixed.
    if parent is None:
        return ET.Element(tag, attrs)
    return ET.SubElement(parent, tag, attrs)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _file_attrs(f: PackageFile, **attrs: str) -> dict[str, str]:
    return {
        **attrs,
        "MIMETYPE": f.mimetype,
        "SIZE": str(len(f.content)),
        "CREATED": _when(f.created_at),
        "CHECKSUM": f.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _location() -> dict[str, str]:
    return {"LOCTYPE": "URL", f"{{{XLINK}}}type": "simple"}


def mets_document(
    header: Header,
    metadata: PackageFile,
    schemas: Sequence[PackageFile],
    documentation: Sequence[PackageFile],
    data: Sequence[PackageFile],
) -> bytes:
    schema_locations = " ".join(
        f"{ns} schemas/{name}"
        for ns, name in (
            (METS, "mets.xsd"),
            (XLINK, "xlink.xsd"),
            (CSIP, "DILCISExtensionMETS.xsd"),
            (SIP, "DILCISExtensionSIPMETS.xsd"),
        )
    )
    root = _m(
        None,
        "mets",
        OBJID=header.package_id,
        LABEL=header.label,
        TYPE="Mixed",
        PROFILE=PROFILE,
        xmlns=METS,
        **{
            f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "ERMS",
            f"{{{XSI}}}schemaLocation": schema_locations,
        },
    )
    head = _m(
        root,
        "metsHdr",
        CREATEDATE=_when(header.created_at),
        LASTMODDATE=_when(header.created_at),
        RECORDSTATUS="NEW",
        **{f"{{{CSIP}}}OAISPACKAGETYPE": "SIP"},
    )
    software = _m(head, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _m(software, "name").text = SOFTWARE[0]
    _m(software, "note", **{f"{{{CSIP}}}NOTETYPE": "SOFTWARE VERSION"}).text = SOFTWARE[1]
    # SIP9–SIP20: the archival creator (arkivbildare) and the submitter are the committee.
    for role in ("ARCHIVIST", "CREATOR"):
        agent = _m(head, "agent", ROLE=role, TYPE="ORGANIZATION")
        _m(agent, "name").text = header.organisation

    dmd = _m(root, "dmdSec", ID="dmd-arende", CREATED=_when(metadata.created_at), STATUS="CURRENT")
    _m(
        dmd,
        "mdRef",
        **_file_attrs(
            metadata,
            MDTYPE="OTHER",
            OTHERMDTYPE="ERMS",
            **_location(),
            **{f"{{{XLINK}}}href": metadata.path},
        ),
    )

    files = _m(root, "fileSec", ID="filesec")
    groups: tuple[tuple[str, str, Sequence[PackageFile], dict[str, str]], ...] = (
        ("Documentation", "grp-documentation", documentation, {}),
        ("Schemas", "grp-schemas", schemas, {}),
        # CSIP62: a representation's group says what content information type it holds.
        ("Representations/rep1", "grp-rep1", data, {f"{{{CSIP}}}CONTENTINFORMATIONTYPE": "ERMS"}),
    )
    for use, group_id, members, extra in groups:
        group = _m(files, "fileGrp", USE=use, ID=group_id, **extra)
        for number, f in enumerate(members, start=1):
            entry = _m(group, "file", **_file_attrs(f, ID=f"{group_id}-{number}"))
            _m(entry, "FLocat", **_location(), **{f"{{{XLINK}}}href": f.path})

    struct = _m(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP", ID="structmap")
    top = _m(struct, "div", ID="div-package", LABEL=header.package_id)
    _m(top, "div", ID="div-metadata", LABEL="Metadata", DMDID="dmd-arende")
    documentation_div = _m(top, "div", ID="div-documentation", LABEL="Documentation")
    _m(documentation_div, "fptr", FILEID="grp-documentation")
    _m(_m(top, "div", ID="div-schemas", LABEL="Schemas"), "fptr", FILEID="grp-schemas")
    representations = _m(top, "div", ID="div-representations", LABEL="Representations")
    _m(representations, "fptr", FILEID="grp-rep1")
    _m(_m(top, "div", ID="div-rep1", LABEL="Representations/rep1"), "fptr", FILEID="grp-rep1")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
