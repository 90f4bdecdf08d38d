"""Uploads: content must match the extension, one file and one request are bounded in size with
a clear Swedish answer, files are stored outside the web root under random names and are served
back only as downloads."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.security.uploads import upload_problem
from tests.api_client import Api
from tests.factories import case_in, report_data

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
TEXT = "Anteckning från kvällspasset: åäö ÅÄÖ.\n".encode()


def problem(name: str, content: bytes, limit: int = 1024 * 1024) -> str | None:
    upload = FileStorage(stream=io.BytesIO(content), filename=name)
    found = upload_problem(upload, name.rsplit(".", 1)[1], limit)
    assert upload.stream.tell() == 0  # left ready to be saved
    return found


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", PDF),
        ("a.png", PNG),
        ("a.jpg", JPEG),
        ("a.jpeg", JPEG),
        ("a.docx", DOCX),
        ("a.odt", ODT),
        ("a.txt", TEXT),
        ("a.txt", b"\xef\xbb\xbf" + TEXT),
    ],
)
def test_real_files_of_each_type_pass(app, name, content):
    assert problem(name, content) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a Windows program renamed
        ("bild.png", PDF),
        ("bild.jpg", PNG),
        ("sida.pdf", b"<html><script>alert(1)</script></html>"),
        ("brev.docx", ODT),  # a zip, but not Word's
        ("brev.docx", b"PK\x03\x04 not really a zip"),
        ("brev.odt", DOCX),
        ("brev.odt", zipped({"mimetype": b"application/zip"})),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused(app, name, content):
    extension = name.rsplit(".", 1)[1]
    assert problem(name, content) == f"Filens innehåll stämmer inte med filtypen .{extension}."


@pytest.mark.parametrize("content", [b"text\x00med nolla", "Latin-1: åäö".encode("latin-1")])
def test_text_files_must_be_utf8_without_binary_data(app, content):
    message = problem("a.txt", content)
    assert message == "Textfilen måste vara sparad som UTF-8 och får inte innehålla binära data."


def test_size_and_emptiness(app):
    limit = 1024 * 1024
    assert problem("a.pdf", PDF + b"x" * (limit - len(PDF)), limit) is None
    too_big = problem("a.pdf", PDF + b"x" * limit, limit)
    assert too_big == "Filen är för stor. En bilaga får vara högst 1 MB."
    assert problem("a.pdf", b"") == "Filen är tom."


def test_an_allowed_extension_without_a_check_is_refused(app):
    app.config["ALLOWED_UPLOAD_EXTENSIONS"] = [*app.config["ALLOWED_UPLOAD_EXTENSIONS"], "xlsx"]
    assert problem("a.xlsx", zipped({"xl/workbook.xml": b"<x/>"})) is not None


# --- through the case page ---------------------------------------------------------------------


def upload(client, case, name: str, content: bytes):  # type: ignore[no-untyped-def]
    # Encoded here, in memory: the test client spools a large body to a temporary file that
    # nothing closes, and the suite turns that ResourceWarning into an error.
    boundary, body = encode_multipart(
        MultiDict([("attachment", FileStorage(io.BytesIO(content), name))])
    )
    return client.post(
        f"/arenden/{case.id}/bilagor",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_spoofed_file_is_refused_with_a_swedish_message_and_not_stored(
    app, client, auth, world, session
):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = upload(client, case, "bild.png", b"MZ\x90\x00 program")
    assert response.status_code == 422
    assert "Filens innehåll stämmer inte med filtypen .png." in response.get_data(as_text=True)
    session.expire_all()
    assert case.attachments == []
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_over_the_per_file_limit_is_refused(app, client, auth, world, session):
    app.config["MAX_ATTACHMENT_BYTES"] = 3 * 1024 * 1024 // 2
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = upload(client, case, "stor.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 422
    assert "Filen är för stor. En bilaga får vara högst 1,5 MB." in response.get_data(as_text=True)
    session.expire_all()
    assert case.attachments == []


def test_a_request_over_the_total_limit_gets_a_swedish_page(app, client, auth, world, session):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = upload(client, case, "enorm.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "<h1>Filen är för stor</h1>" in html
    assert "högst 10 MB" in html
    assert "högst 1 MB" in html
    session.expire_all()
    assert case.attachments == []


def test_a_report_with_a_spoofed_attachment_is_not_submitted(app, client, auth, world, session):
    from sqlalchemy import func, select

    from app.models import Case

    auth.login("reporter@test.se")
    before = session.scalar(select(func.count()).select_from(Case))
    form = report_data(world.solgarden)
    data = {k: v for k, v in form.items() if k != "persons"}
    data["attachments"] = (io.BytesIO(b"#!/bin/sh\nrm -rf /\n\x00"), "foto.jpg")
    response = client.post("/rapportera", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Filens innehåll stämmer inte med filtypen .jpg." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_the_api_answers_an_oversized_body_in_json(app, client, session, world):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    api = Api(client, session)
    response = api.post(world.reporter, "cases", {"description": "x" * 5000})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert response.json["error"]["message"] == "Begäran är för stor."


def test_stored_under_a_random_name_outside_the_web_root_and_served_as_a_download(
    app, client, auth, world, session
):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        # The browser claims HTML; the server serves it as what it was checked to be.
        data={"attachment": (io.BytesIO(PNG), "<script>bild.png", "text/html")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    [attachment] = case.attachments
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    assert attachment.content_type == "image/png"
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() == PNG
    assert Path(app.static_folder) not in stored.parents

    with client.get(f"/arenden/{case.id}/bilagor/{attachment.id}") as download:
        assert download.status_code == 200
        assert download.data == PNG
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.mimetype == "image/png"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in download.headers["Cache-Control"]
        assert download.headers["Content-Security-Policy"].endswith("; sandbox")
    # Nothing under /static reaches the stored file.
    assert client.get(f"/static/{attachment.stored_name}").status_code == 404
