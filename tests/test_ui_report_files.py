"""A file chosen for a report survives the report being shown again for correction: it is kept
on the server, shown as "bifogad", may be removed, and is attached when the corrected report is
sent (issue 14)."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

from sqlalchemy import select

from app.models import Case
from app.reports import pending_files
from tests.test_ui_reports import _form

PDF = b"%PDF-1.4 test"


def _refused_with_file(client, world, name="foto.pdf", content=PDF):
    response = client.post(
        "/rapportera",
        data={**_form(world, description=""), "attachments": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    return response.get_data(as_text=True)


def _kept_ids(html):
    return re.findall(r'name="kept_file" value="([0-9a-f]{32})"', html)


def _pending_root(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "pending"


def test_a_file_is_kept_through_a_validation_error_and_attached(client, auth, world, session, app):
    auth.login("reporter@test.se")
    html = _refused_with_file(client, world)
    assert "bifogad: foto.pdf" in html
    [kept] = _kept_ids(html)
    response = client.post(
        "/rapportera",
        data={**_form(world), "kept_file": kept},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.expire_all()
    case = session.scalars(
        select(Case).where(Case.reporter_id == world.reporter.id).order_by(Case.id.desc())
    ).first()
    assert [a.filename for a in case.attachments] == ["foto.pdf"]
    stored = Path(app.config["UPLOAD_FOLDER"]) / case.attachments[0].stored_name
    assert stored.read_bytes() == PDF
    # Used, the kept file is gone from the temporary area.
    assert not any(p.is_file() for p in _pending_root(app).rglob("*"))


def test_a_kept_file_can_be_removed(client, auth, world, session, app):
    auth.login("reporter@test.se")
    [kept] = _kept_ids(_refused_with_file(client, world))
    response = client.post(
        "/rapportera",
        data={**_form(world, description=""), "kept_file": kept, "remove_file": kept},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "bifogad: foto.pdf" not in html
    assert _kept_ids(html) == []
    assert not any(p.is_file() for p in _pending_root(app).rglob("*"))


def test_a_file_that_would_be_refused_is_not_kept_and_says_why(client, auth, world):
    auth.login("reporter@test.se")
    html = _refused_with_file(client, world, name="virus.exe", content=b"MZ")
    assert "bifogad:" not in html
    assert _kept_ids(html) == []
    assert "virus.exe: Tillåtna filtyper" in html


def test_another_session_cannot_use_a_kept_file(client, auth, world, session, app):
    auth.login("reporter@test.se")
    [kept] = _kept_ids(_refused_with_file(client, world))
    other = app.test_client()
    other.post("/login", data={"email": "other.reporter@test.se", "password": "password"})
    response = other.post(
        "/rapportera", data={**_form(world), "kept_file": kept}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    session.expire_all()
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case.attachments == []


def test_areas_untouched_for_a_day_are_swept(app):
    root = _pending_root(app)
    old, fresh = root / ("a" * 32), root / ("b" * 32)
    for area in (old, fresh):
        area.mkdir(parents=True)
        (area / "x").write_bytes(b"x")
    day_ago = time.time() - pending_files.KEEP_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    with app.test_request_context():
        pending_files.sweep()
    assert not old.exists()
    assert fresh.exists()
