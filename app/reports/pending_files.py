"""Files attached to a report that is shown again for correction (a validation error, "Lägg till
person", the proposal), kept on the server so the reporter need not choose them again: a
browser cannot put a chosen file back into a file field.

They live in the instance's upload folder under pending/<key>, the key a random name held in the
user's session (the names of the files may be case content, so they are kept beside the files,
not in the cookie). A file is checked as an attachment would be before it is kept, and removed
when the report is sent, when the reporter removes it, or a day later by the next sweep.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, session
from werkzeug.datastructures import FileStorage

from workflows.records import attachment_problem

SESSION_KEY = "pending_upload_area"
KEEP_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PendingFile:
    id: str
    name: str


def _root() -> Path:
    return Path(current_app.instance_path) / current_app.config["UPLOAD_FOLDER"] / "pending"


def _area(create: bool = False) -> Path | None:
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or not key.isalnum():
        if not create:
            return None
        key = secrets.token_hex(16)
        session[SESSION_KEY] = key
    area = _root() / key
    if create:
        area.mkdir(parents=True, exist_ok=True)
    return area


def _valid_id(file_id: str) -> bool:
    return len(file_id) == 32 and all(c in "0123456789abcdef" for c in file_id)


def sweep(now: float | None = None) -> None:
    """Removes the areas no one has touched for a day."""
    root = _root()
    if not root.is_dir():
        return
    limit = (now if now is not None else time.time()) - KEEP_SECONDS
    for area in root.iterdir():
        if area.is_dir() and area.stat().st_mtime < limit:
            shutil.rmtree(area, ignore_errors=True)


def keep(uploads: Iterable[FileStorage]) -> tuple[list[PendingFile], list[str]]:
    """Keeps the files that would be taken; returns them, and the problems of those that would
    not."""
    sweep()
    kept: list[PendingFile] = []
    problems = []
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        refused = attachment_problem(upload)
        if refused is not None:
            problems.append(f"{upload.filename}: {refused}")
            continue
        area = _area(create=True)
        assert area is not None  # noqa: S101  (created)
        file_id = secrets.token_hex(16)
        upload.save(area / file_id)
        (area / f"{file_id}.json").write_text(
            json.dumps({"name": upload.filename, "type": upload.mimetype}), encoding="utf-8"
        )
        area.touch()
        kept.append(PendingFile(file_id, upload.filename))
    return kept, problems


def listed(ids: Iterable[str]) -> list[PendingFile]:
    """The kept files among these ids (as posted back by the form), in the order kept."""
    area = _area()
    if area is None:
        return []
    found = []
    for file_id in dict.fromkeys(ids):
        meta = area / f"{file_id}.json"
        if _valid_id(file_id) and meta.is_file() and (area / file_id).is_file():
            name = json.loads(meta.read_text(encoding="utf-8"))["name"]
            found.append((meta.stat().st_mtime, PendingFile(file_id, name)))
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]


@contextmanager
def opened(files: list[PendingFile]) -> Iterator[list[FileStorage]]:
    """The kept files as uploads, for the operation that stores attachments."""
    area = _area()
    with ExitStack() as stack:
        uploads = []
        for f in files if area is not None else []:
            assert area is not None  # noqa: S101
            meta = json.loads((area / f"{f.id}.json").read_text(encoding="utf-8"))
            stream = stack.enter_context((area / f.id).open("rb"))
            uploads.append(FileStorage(stream=stream, filename=f.name, content_type=meta["type"]))
        yield uploads


def discard(ids: Iterable[str]) -> None:
    area = _area()
    if area is None:
        return
    for file_id in ids:
        if _valid_id(file_id):
            (area / file_id).unlink(missing_ok=True)
            (area / f"{file_id}.json").unlink(missing_ok=True)
