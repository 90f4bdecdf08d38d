"""The statistics PDF in the background: asking makes one row for the figures, rendering it is
safe to run twice, the page follows it and the finished PDF holds the figures; asking again for
unchanged figures finds the same file."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

import app.statistics.pdf_jobs as jobs
from app.models import StatisticsPdf
from app.statistics.pdf_jobs import claim, render
from tests.test_statistics_figures import build


@pytest.fixture
def data(session, world):
    return build(session, world)


@pytest.fixture
def queued(app):
    """The ids of the rows a request would hand to a worker thread, which the test plays."""
    started: list[int] = []
    app.config["STATISTICS_PDF_RUNNER"] = "none"
    original = jobs.start

    def start(job_id: int) -> None:
        started.append(job_id)
        original(job_id)

    jobs.start = start  # type: ignore[assignment]
    yield started
    jobs.start = original  # type: ignore[assignment]


def test_asking_queues_one_row_and_the_page_follows_it(client, auth, session, world, data, queued):
    auth.login(world.sas.email)
    response = client.get("/statistik/pdf?year=2026")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    [job_id] = queued
    page = client.get(job_url).get_data(as_text=True)
    assert "PDF:en står på tur att skapas." in page
    assert "/statistik.pdf" not in page
    assert client.get(f"/statistik/pdf/{job_id}/statistik.pdf").status_code == 404

    # Asked again before it is done: the same row, no second render started.
    again = client.get("/statistik/pdf?year=2026")
    assert again.headers["Location"] == job_url
    assert queued == [job_id]
    assert session.scalar(select(func.count(StatisticsPdf.id))) == 1

    # Two workers: the first renders, the second finds it taken.
    assert render(session, job_id) is True
    assert render(session, job_id) is False
    assert claim(session, job_id) is False

    page = client.get(job_url).get_data(as_text=True)
    assert "PDF:en är klar." in page
    pdf = client.get(f"/statistik/pdf/{job_id}/statistik.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Statistik 2026" in text
    assert "Rapporter per ärendetyp" in text
    assert "Ingen allvarlighetsgrad angiven" in text
    assert data.a.reference not in text
    assert data.a.reference not in text

    # Unchanged figures: the finished file at once, nothing queued.
    assert client.get("/statistik/pdf?year=2026").headers["Location"] == job_url
    assert queued == [job_id]


def test_changed_figures_get_a_new_pdf(client, auth, session, world, data, queued):
    auth.login(world.mas.email)
    client.get("/statistik/pdf?year=2026")
    render(session, queued[0])
    data.b.received_at = data.b.received_at.replace(year=2025)
    session.flush()
    response = client.get("/statistik/pdf?year=2026")
    assert len(queued) == 2
    assert response.headers["Location"].endswith(f"/statistik/pdf/{queued[1]}")


def test_inline_rendering_answers_with_a_finished_pdf(app, client, auth, world, data):
    app.config["STATISTICS_PDF_RUNNER"] = "inline"
    auth.login(world.chair.email)
    response = client.get("/statistik/pdf?year=2026", follow_redirects=True)
    assert "PDF:en är klar." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["reporter", "admin"])
def test_others_may_not_ask_or_open(client, auth, session, world, data, queued, who):
    auth.login(world.sas.email)
    client.get("/statistik/pdf?year=2026")
    render(session, queued[0])
    auth.logout()
    auth.login(getattr(world, who).email)
    for path in (
        "/statistik/pdf?year=2026",
        f"/statistik/pdf/{queued[0]}",
        f"/statistik/pdf/{queued[0]}/statistik.pdf",
    ):
        assert client.get(path).status_code == 403, path


def test_a_worker_thread_renders_it_after_the_request_commits(own_app):
    """On a database of its own, as a server runs: the request commits its row, the thread
    renders it with its own session, the page then links the file."""
    import time

    from tests.factories import make_world

    own_app.config["STATISTICS_PDF_RUNNER"] = "thread"
    from app import db

    world = make_world(db.session())
    db.session().commit()
    client = own_app.test_client()
    client.post("/login", data={"email": world.sas.email, "password": "password"})
    response = client.get("/statistik/pdf?year=2026")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    job_url = response.headers["Location"]
    deadline = time.monotonic() + 120
    while "PDF:en är klar." not in (page := client.get(job_url).get_data(as_text=True)):
        assert "kunde inte skapas" not in page
        assert time.monotonic() < deadline, page
        time.sleep(0.5)
    job_id = int(job_url.rsplit("/", 1)[1])
    pdf = client.get(f"/statistik/pdf/{job_id}/statistik.pdf")
    assert pdf.data.startswith(b"%PDF")


def test_a_row_whose_thread_was_lost_is_queued_again(client, auth, session, world, data, queued):
    auth.login(world.sas.email)
    client.get("/statistik/pdf?year=2026")
    row = session.get(StatisticsPdf, queued[0])
    row.status = "running"
    row.requested_at = row.requested_at - timedelta(hours=1)
    session.flush()
    client.get("/statistik/pdf?year=2026")
    assert queued == [row.id, row.id]
    session.refresh(row)
    assert row.status == "queued"
    assert render(session, row.id) is True


def test_a_manager_asks_for_their_own_units_and_never_opens_the_whole(
    client, auth, session, world, data, queued
):
    """A manager's statistics are their units' (DOMAIN.md §8 rev. 2): their PDF is a row of its
    own, and the SAS's row for the whole municipality is not theirs to open."""
    auth.login(world.sas.email)
    client.get("/statistik/pdf?year=2026")
    whole = queued[0]
    auth.logout()
    auth.login(world.manager.email)
    asked = client.get("/statistik/pdf?year=2026")
    assert asked.status_code == 302
    own = queued[-1]
    assert own != whole
    row = session.get(StatisticsPdf, own)
    assert row.scope != "all"
    assert client.get(f"/statistik/pdf/{whole}").status_code == 404
    assert render(session, own) is True
    assert client.get(f"/statistik/pdf/{own}/statistik.pdf").status_code == 200
    assert client.get(f"/statistik/pdf/{whole}/statistik.pdf").status_code == 404
