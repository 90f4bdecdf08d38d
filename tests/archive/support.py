"""Packages opened back up: the zip's members by their path inside the package's root folder,
and METS.xml's file entries."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET

from app.archive.mets import METS, XLINK
from app.models import set_setting

ERMS = "{https://DILCIS.eu/XML/ERMS}"


def keep(session, *case_types: str) -> None:
    for case_type in case_types:
        set_setting(session, f"retention_plan.{case_type}", "keep")
    session.flush()


def members(content: bytes) -> tuple[str, dict[str, bytes]]:
    """The package's root folder and its files by path below it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        roots = {name.split("/", 1)[0] for name in names}
        assert len(roots) == 1, roots
        root = roots.pop()
        return root, {name.split("/", 1)[1]: archive.read(name) for name in names}


def xml(content: bytes) -> ET.Element:
    return SafeET.fromstring(content)


def listed_files(mets: ET.Element) -> dict[str, dict[str, str]]:
    """Every file METS.xml points at (fileSec and dmdSec), by href: its attributes."""
    listed = {}
    for entry in mets.iter(f"{{{METS}}}file"):
        href = entry.find(f"{{{METS}}}FLocat").get(f"{{{XLINK}}}href")
        listed[href] = dict(entry.attrib)
    for ref in mets.iter(f"{{{METS}}}mdRef"):
        listed[ref.get(f"{{{XLINK}}}href")] = dict(ref.attrib)
    return listed


def delivered_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.exists() else []
