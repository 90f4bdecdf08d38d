"""One case as one FGS package: a zip whose single root folder is named by the package id
(CSIPSTR1–4), holding METS.xml, metadata/descriptive/arende.xml, representations/rep1/data/,
documentation/ and schemas/.

A zip rather than a folder per case: one file is delivered whole or not at all (written under
a temporary name and renamed; posted as one body), and one checksum in the delivery row vouches
for everything the archive received."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from app.models import Case

from .contents import case_records
from .erms import PATH as METADATA_PATH
from .erms import case_metadata
from .mets import Header, PackageFile, mets_document
from .schemas import PACKAGE_SCHEMAS, SCHEMA_DIR, erms_schema, mets_schema

# What the package is and how its case metadata reads, for the archive's staff (CSIPSTR16).
DOCUMENTATION_DIR = Path(__file__).parent / "documentation"


class PackageInvalid(Exception):
    """The package built does not validate against its own schemas: a defect, not bad input."""


@dataclass(frozen=True)
class Package:
    package_id: str
    content: bytes
    files: list[PackageFile]

    @property
    def filename(self) -> str:
        return f"{self.package_id}.zip"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def build_package(session: Session, case: Case, now: datetime, upload_dir: Path) -> Package:
    package_id = str(uuid.uuid4())
    records = case_records(session, case, upload_dir, now)
    metadata = PackageFile(METADATA_PATH, case_metadata(case, records, now), "application/xml", now)
    schemas = [
        PackageFile(f"schemas/{name}", (SCHEMA_DIR / name).read_bytes(), "application/xml", now)
        for name in PACKAGE_SCHEMAS
    ]
    documentation = [
        PackageFile(f"documentation/{path.name}", path.read_bytes(), "text/plain", now)
        for path in sorted(DOCUMENTATION_DIR.iterdir())
    ]
    data = [PackageFile(r.path, r.content, r.mimetype, r.created_at) for r in records]
    config = current_app.config
    header = Header(
        package_id=package_id,
        label=case.reference,
        created_at=now,
        organisation=f"{config['COMMITTEE_NAME']}, {config['MUNICIPALITY_NAME']}",
    )
    document = mets_document(header, metadata, schemas, documentation, data)
    mets = PackageFile("METS.xml", document, "text/xml", now)
    _check(mets, metadata)
    files = [mets, metadata, *documentation, *data, *schemas]
    return Package(package_id, _zip(package_id, files, now), files)


def _check(mets: PackageFile, metadata: PackageFile) -> None:
    for schema, f in ((mets_schema(), mets), (erms_schema(), metadata)):
        errors = [str(e.reason or e) for e in schema.iter_errors(f.content.decode())]
        if errors:
            raise PackageInvalid(f"{f.path}: {errors[0]}")


def _zip(root: str, files: list[PackageFile], now: datetime) -> bytes:
    stamp = now.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            info = zipfile.ZipInfo(f"{root}/{f.path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, f.content)
    return buffer.getvalue()
