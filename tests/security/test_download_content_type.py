"""A downloaded attachment or document says its type once, with at most one charset: the type
checked at upload, exactly (a second charset parameter makes the header ambiguous to clients)."""

from __future__ import annotations

import io

import pytest

from tests.factories import case_in
from tests.security.test_uploads import PDF, TEXT


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("anteckning.txt", TEXT, "text/plain; charset=utf-8"),
        ("foto.pdf", PDF, "application/pdf"),
    ],
)
def test_an_attachment_is_served_with_its_exact_content_type(
    client, auth, world, session, name, content, content_type
):
    case = case_in(session, world, "submitted")
    auth.login("manager@test.se")
    response = client.post(
        f"/arenden/{case.id}/bilagor",
        data={"attachment": (io.BytesIO(content), name, "application/octet-stream")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    [attachment] = case.attachments

    with client.get(f"/arenden/{case.id}/bilagor/{attachment.id}") as download:
        assert download.status_code == 200
        assert download.data == content
        assert download.headers.getlist("Content-Type") == [content_type]


def test_a_document_pdf_is_served_as_a_pdf_only(client, auth, world, session):
    case = case_in(session, world, "awaiting_decision")
    auth.login(world.sas.email)
    with client.get(f"/arenden/{case.id}/dokument/investigation.pdf") as download:
        assert download.status_code == 200
        assert download.data.startswith(b"%PDF")
        assert download.headers.getlist("Content-Type") == ["application/pdf"]
