"""What an attachment must be before it is stored: not larger than the per-file limit, and
content that is what its extension says (a program renamed to .pdf is refused).

The browser's claimed content type is ignored: the type served back is the one for the
extension, which the content has just been checked against.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import IO

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _starts(prefix: bytes) -> Callable[[IO[bytes]], bool]:
    return lambda stream: stream.read(len(prefix)) == prefix


def _is_text(stream: IO[bytes]) -> bool:
    data = stream.read()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _zip_names(stream: IO[bytes]) -> zipfile.ZipFile | None:
    if stream.read(4) != b"PK\x03\x04":
        return None
    stream.seek(0)
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _is_docx(stream: IO[bytes]) -> bool:
    archive = _zip_names(stream)
    if archive is None:
        return False
    names = archive.namelist()
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def _is_odt(stream: IO[bytes]) -> bool:
    archive = _zip_names(stream)
    if archive is None:
        return False
    # OpenDocument's own rule: the first entry is 'mimetype', stored, naming the type.
    first = archive.infolist()[:1]
    if not first or first[0].filename != "mimetype" or first[0].file_size > 100:
        return False
    try:
        return archive.read(first[0]).strip() == ODT_MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return False


SNIFFERS: dict[str, Callable[[IO[bytes]], bool]] = {
    "pdf": _starts(b"%PDF-"),
    "png": _starts(b"\x89PNG\r\n\x1a\n"),
    "jpg": _starts(b"\xff\xd8\xff"),
    "jpeg": _starts(b"\xff\xd8\xff"),
    "txt": _is_text,
    "docx": _is_docx,
    "odt": _is_odt,
}


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def megabytes(size: int | None) -> str:
    """20971520 → '20', 1572864 → '1,5' (as Swedes write it)."""
    value = (size or 0) / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")


def upload_problem(upload: FileStorage, extension: str, max_bytes: int) -> str | None:
    """Why this upload cannot be stored, in Swedish, or None. Leaves the stream at its start."""
    stream = upload.stream
    size = _size(stream)
    if size > max_bytes:
        limit = megabytes(max_bytes)
        return str(_("Filen är för stor. En bilaga får vara högst %(size)s MB.", size=limit))
    if size == 0:
        return str(_("Filen är tom."))
    sniff = SNIFFERS.get(extension)
    try:
        # An extension allowed in the settings that no check here knows is refused: deny by default.
        matches = sniff is not None and sniff(stream)
    finally:
        stream.seek(0)
    if matches:
        return None
    if extension == "txt":
        return str(_("Textfilen måste vara sparad som UTF-8 och får inte innehålla binära data."))
    return str(_("Filens innehåll stämmer inte med filtypen .%(extension)s.", extension=extension))
