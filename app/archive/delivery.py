"""Delivering packages to the e-archive and recording each delivery (DOMAIN.md §9, rev. 2).

The archive takes packages either from a folder it watches (``ARCHIVE_DIRECTORY``, relative to
the instance folder unless absolute) or at an address that accepts a POST of the zip
(``ARCHIVE_URL``; when set, it is used instead of the folder). A case is delivered once: the
delivery row is unique per case, and only cases without one are due."""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import ArchiveDelivery, Case
from app.models.cases import CASE_TYPES
from workflows.registry import flow_for
from workflows.retention import kept_types

from .package import Package, build_package

TIMEOUT_SECONDS = 120


class DeliveryFailed(Exception):
    """The package did not reach the archive; nothing is recorded and the case stays due."""


@dataclass(frozen=True)
class Destination:
    folder: Path | None = None
    url: str | None = None

    @classmethod
    def from_config(cls) -> Destination:
        config = current_app.config
        url = str(config.get("ARCHIVE_URL") or "")
        if url:
            if urlsplit(url).scheme not in ("http", "https"):
                raise DeliveryFailed(f"ARCHIVE_URL ska börja med http:// eller https://: {url}")
            return cls(url=url)
        folder = str(config.get("ARCHIVE_DIRECTORY") or "")
        if not folder:
            raise DeliveryFailed("Varken ARCHIVE_DIRECTORY eller ARCHIVE_URL är inställt.")
        return cls(folder=Path(current_app.instance_path) / folder)

    def send(self, package: Package) -> str:
        """Hands the package over; returns where it went."""
        if self.url is not None:
            return _post(self.url, package)
        assert self.folder is not None  # noqa: S101  (from_config sets one of the two)
        return _write(self.folder, package)


def _write(folder: Path, package: Package) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / package.filename
    # Under a name the archive ignores until it is whole, then renamed in one step.
    partial = folder / f".{package.filename}.part"
    with partial.open("wb") as out:
        out.write(package.content)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(target)
    return str(target)


def _post(url: str, package: Package) -> str:
    digest = base64.b64encode(bytes.fromhex(package.sha256)).decode()
    request = urllib.request.Request(  # noqa: S310  (scheme checked in from_config)
        url,
        data=package.content,
        method="POST",
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{package.filename}"',
            # RFC 3230: the archive can check what it received.
            "Digest": f"SHA-256={digest}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        # urllib raises on 4xx and 5xx with the response open: close it.
        exc.close()
        raise DeliveryFailed(f"{url}: svar {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"{url}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{url}: svar {status}")
    return url


def _due() -> Select[Case]:
    return select(Case).where(
        Case.purged_at.is_(None), Case.id.not_in(select(ArchiveDelivery.case_id))
    )


def due_for_delivery(session: Session) -> list[Case]:
    """Ended cases of the types the plan keeps, not yet delivered (and not purged before the plan
    said to keep them: nothing is left of those to deliver)."""
    types = kept_types(session)
    if not types:
        return []
    ended = {s for t in CASE_TYPES for s in flow_for(t).final}
    query = _due().where(Case.case_type.in_(types), Case.state.in_(ended)).order_by(Case.id)
    return list(session.scalars(query))


def claim(session: Session, case: Case) -> bool:
    """Locks the case for its delivery, if no one else holds it and it is still undelivered. One
    case at a time, each committed on its own: on PostgreSQL two runs at once share the cases
    instead of sending one twice (a lock taken on all of them would end at the first commit)."""
    query = _due().where(Case.id == case.id).with_for_update(skip_locked=True, of=Case)
    return session.scalars(query).first() is not None


def deliver_case(
    session: Session,
    case: Case,
    now: datetime,
    delivered_by: str,
    destination: Destination,
    upload_dir: Path | None = None,
) -> ArchiveDelivery:
    """Builds, sends and records one package; flushes, the caller commits."""
    package = build_package(session, case, now, upload_dir or _upload_dir())
    where = destination.send(package)
    delivery = ArchiveDelivery(
        case_id=case.id,
        reference=case.reference,
        delivered_at=now,
        delivered_by=delivered_by,
        package_id=package.package_id,
        checksum=package.sha256,
        size=len(package.content),
        file_count=len(package.files),
        destination=where,
    )
    session.add(delivery)
    session.flush()
    return delivery


def _upload_dir() -> Path:
    return Path(current_app.instance_path) / str(current_app.config["UPLOAD_FOLDER"])
