"""/logg: the log reviewer searches the access log and runs sampled reviews (DOMAIN.md §2, §9).
Log rows are added as the views write them (the chain listener links them at flush); one test
reads a real case page first and finds that read in the log."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.logreview import operations
from app.logreview.period import previous_month
from app.models import AccessLogEntry, LogReview, LogReviewItem
from workflows.errors import NotAllowed, WrongState

from .factories import case_in, make_user, new_case, new_case_of

DENIED = ["admin", "sas", "mas", "manager", "reporter", "chair"]
JANUARY = {"period_start": "2026-01-01", "period_end": "2026-01-31"}


def read(session, user, at, reference="LS-2026-0001", view="cases.case_page", address="", **kw):
    session.add(
        AccessLogEntry(
            at=at,
            user_id=user.id,
            user_name=user.name,
            case_reference=reference,
            view=view,
            address=address,
            **kw,
        )
    )
    session.flush()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def addresses(html: str) -> set[str]:
    """The rows a page lists, told apart by the address each test row was read from."""
    return set(re.findall(r"10\.\d+\.\d+\.\d+", html))


def start(session, world, percent=100, **period):
    data = {**JANUARY, "sample_percent": str(percent), **period}
    return operations.start_review(session, world.log_reviewer, data)


def items(session, review) -> list[LogReviewItem]:
    session.expire_all()
    stmt = select(LogReviewItem).where(LogReviewItem.review_id == review.id)
    return list(session.scalars(stmt.order_by(LogReviewItem.id)))


# --- Who may come in ----------------------------------------------------------------------------


@pytest.fixture
def review(session, world):
    read(session, world.sas, utc(2026, 1, 10, 12))
    return start(session, world)


def _urls(review, item) -> tuple[list[str], list[str]]:
    base = f"/logg/granskningar/{review.id}"
    pages = ["/logg", "/logg?namn=sas", "/logg/granskningar", "/logg/granskningar/ny", base]
    posts = ["/logg/granskningar/ny", f"{base}/urval/{item.id}", f"{base}/avsluta"]
    return pages, posts


def test_the_log_reviewer_reaches_every_page(client, auth, session, world, review):
    auth.login(world.log_reviewer.email)
    pages, _posts = _urls(review, items(session, review)[0])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'href="/logg"' in response.get_data(as_text=True), "menu link"


@pytest.mark.parametrize("who", DENIED)
def test_every_other_role_is_refused_and_changes_nothing(client, auth, session, world, review, who):
    item = items(session, review)[0]
    pages, posts = _urls(review, item)
    auth.login(getattr(world, who).email)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Du har inte behörighet" in response.get_data(as_text=True)
    data = {**JANUARY, "conclusion": "Klart.", f"urval-{item.id}-outcome": "ok"}
    for url in posts:
        assert client.post(url, data=data).status_code == 403, url
    assert 'href="/logg"' not in client.get("/").get_data(as_text=True), "no menu link"
    assert session.scalar(select(func.count()).select_from(LogReview)) == 1
    assert items(session, review)[0].outcome == "pending"


def test_anonymous_is_sent_to_login(client, session, world, review):
    pages, posts = _urls(review, items(session, review)[0])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]
    for url in posts:
        assert "/login" in client.post(url, data=JANUARY).headers["Location"], url


def test_operations_refuse_anyone_but_an_active_log_reviewer(session, world):
    with pytest.raises(NotAllowed):
        operations.start_review(session, world.admin, JANUARY)
    world.log_reviewer.active = False
    with pytest.raises(NotAllowed):
        start(session, world)


# --- Searching the log --------------------------------------------------------------------------


@pytest.fixture
def log(session, world):
    """Four reads. 23:30 UTC on 31 January is already 1 February in Stockholm."""
    asa = make_user(session, "asa.oberg@test.se", ["sas"], name="Åsa Öberg")
    read(session, world.sas, utc(2026, 1, 10, 12), "LS-2026-0001", address="10.0.0.1")
    read(session, world.mas, utc(2026, 1, 20, 8), "LM-2026-0002", "api.case_detail", "10.0.0.2")
    read(session, world.sas, utc(2026, 2, 5, 9), "LM-2026-0002", "cases.case_document", "10.0.0.3")
    read(session, asa, utc(2026, 1, 31, 23, 30), "LS-2026-0001", address="10.0.0.4")
    return asa


def _search(client, **params):
    response = client.get("/logg", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_each_filter_narrows_the_search(client, auth, world, log):
    auth.login(world.log_reviewer.email)
    everything = _search(client)
    assert addresses(everything) == {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}
    assert "4 rader i loggen" in everything
    # Newest first.
    assert (
        everything.index("10.0.0.3") < everything.index("10.0.0.4") < everything.index("10.0.0.1")
    )
    assert "Ärendesidan" in everything
    assert "API: ärendet" in everything

    assert addresses(_search(client, namn="SAS@test")) == {"10.0.0.1", "10.0.0.3"}
    assert addresses(_search(client, namn="åsa")) == {"10.0.0.4"}
    assert addresses(_search(client, namn="ingen sådan")) == set()
    assert addresses(_search(client, anvandare=world.mas.id)) == {"10.0.0.2"}
    assert addresses(_search(client, referens="ls-2026")) == {"10.0.0.1", "10.0.0.4"}
    assert addresses(_search(client, referens="LM-2026-0002")) == {"10.0.0.2", "10.0.0.3"}
    assert addresses(_search(client, vy="api.case_detail")) == {"10.0.0.2"}
    # Whole days in Swedish time: the read at 00:30 on 1 February is February's.
    assert addresses(_search(client, fran="2026-01-01", till="2026-01-31")) == {
        "10.0.0.1",
        "10.0.0.2",
    }
    assert addresses(_search(client, fran="2026-02-01")) == {"10.0.0.3", "10.0.0.4"}
    assert addresses(_search(client, till="2026-01-10")) == {"10.0.0.1"}


def test_filters_combine(client, auth, world, log):
    auth.login(world.log_reviewer.email)
    page = _search(client, namn="sas", referens="LM")
    assert addresses(page) == {"10.0.0.3"}
    assert "1 rad i loggen" in page
    assert addresses(_search(client, anvandare=world.sas.id, fran="2026-02-01")) == {"10.0.0.3"}
    assert addresses(_search(client, namn="sas", vy="api.case_detail")) == set()
    both = _search(
        client, referens="LS", fran="2026-01-01", till="2026-01-31", vy="cases.case_page"
    )
    assert addresses(both) == {"10.0.0.1"}


def test_pages_run_newest_first_and_keep_the_filters(client, auth, session, world):
    for i in range(55):
        read(session, world.sas, utc(2026, 3, 1) + timedelta(minutes=i), address=f"10.1.0.{i}")
    read(session, world.mas, utc(2026, 3, 2), address="10.2.0.1")
    auth.login(world.log_reviewer.email)
    first = _search(client, namn="sas")
    assert "55 rader i loggen" in first
    assert len(addresses(first)) == 50
    assert "10.1.0.54" in addresses(first)
    assert "10.1.0.4" not in addresses(first)
    assert "namn=sas" in first
    assert "sida=2" in first
    second = _search(client, namn="sas", sida="2")
    assert addresses(second) == {f"10.1.0.{i}" for i in range(5)}


def test_a_large_log_is_counted_only_as_far_as_its_pages_reach(
    client, auth, session, world, monkeypatch
):
    """A nation's log holds millions of rows: the search counts no further than it can show."""
    monkeypatch.setattr("app.logreview.queries.MAX_PAGES", 1)
    for i in range(55):
        read(session, world.sas, utc(2026, 3, 1) + timedelta(minutes=i), address=f"10.1.0.{i}")
    auth.login(world.log_reviewer.email)
    page = _search(client, namn="sas")
    assert "Fler än 50 rader i loggen" in page
    assert "Bara de 1 första sidorna visas" in page
    assert len(addresses(page)) == 50
    assert "sida=2" not in page


def test_bad_filters_are_explained_in_swedish_and_kept(client, auth, world, log):
    auth.login(world.log_reviewer.email)
    response = client.get(
        "/logg",
        query_string={"namn": "Åsa", "fran": "2026-13-45", "till": "igår", "referens": "LS 1;--"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sökningen kunde inte göras" in page
    assert page.count("Skriv datumet som ÅÅÅÅ-MM-DD") >= 2
    assert "Referensen består av bokstäver, siffror och bindestreck." in page
    for typed in ('value="2026-13-45"', 'value="igår"', 'value="LS 1;--"', 'value="Åsa"'):
        assert typed in page
    assert "rader i loggen" not in page
    assert addresses(page) == set()

    response = client.get("/logg", query_string={"fran": "2026-02-01", "till": "2026-01-01"})
    assert response.status_code == 422
    assert "Slutdatumet kan inte ligga före startdatumet." in response.get_data(as_text=True)
    response = client.get("/logg", query_string={"vy": "secret.view", "anvandare": "abc"})
    assert "Välj en vy i listan." in response.get_data(as_text=True)
    assert "Välj en användare i listan." in response.get_data(as_text=True)
    response = client.get("/logg", query_string={"fran": "0202-01-01"})
    assert "Ange ett datum mellan 2000-01-01 och 2100-12-31." in response.get_data(as_text=True)


# --- Drawing the sample -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "percent", "size"),
    [
        (0, 10, 0),
        (1, 10, 1),
        (9, 10, 1),
        (10, 10, 1),
        (11, 10, 2),
        (21, 10, 3),
        (3, 50, 2),
        (3, 100, 3),
        (7, 1, 1),
        (200, 1, 2),
    ],
)
def test_sample_size_is_rounded_up_and_never_nobody(population, percent, size):
    assert operations.sample_size(population, percent) == size


def test_previous_calendar_month():
    assert previous_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert previous_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.fixture
def readers(session, world):
    """Twelve users who read case content in January (Stockholm time), one of them many times,
    and two who read only just outside it."""
    users = [make_user(session, f"reader{i}@test.se", ["sas"]) for i in range(11)]
    for user in users:
        read(session, user, utc(2026, 1, 15, 10))
    for hour in range(5):
        read(session, users[0], utc(2026, 1, 16, hour))
    # 00:30 on 1 January in Stockholm: inside.
    read(session, world.mas, utc(2025, 12, 31, 23, 30))
    # 23:30 on 31 December and 00:30 on 1 February in Stockholm: outside.
    read(session, world.chair, utc(2025, 12, 31, 22, 30))
    read(session, world.manager, utc(2026, 1, 31, 23, 30))
    return {u.id for u in users} | {world.mas.id}


def test_the_sample_is_drawn_only_from_those_who_read_in_the_period(session, world, readers):
    everyone = start(session, world, percent=100)
    assert everyone.population == 12
    assert {i.user_id for i in items(session, everyone)} == readers

    tenth = start(session, world, percent=10)
    assert tenth.population == 12
    assert tenth.sample_percent == 10
    drawn = {i.user_id for i in items(session, tenth)}
    assert len(drawn) == 2
    assert drawn <= readers


def test_the_draw_is_random(session, world, readers):
    drawn = {items(session, start(session, world, percent=1))[0].user_id for _ in range(30)}
    assert len(drawn) > 1
    assert drawn <= readers


def test_a_period_without_reads_gives_an_empty_sample(session, world, readers):
    review = start(session, world, period_start="2026-06-01", period_end="2026-06-30")
    assert review.population == 0
    assert items(session, review) == []


def test_the_new_review_form_offers_last_month_and_ten_percent(client, auth, session, world):
    first, last = previous_month()
    read(session, world.sas, datetime.combine(first, datetime.min.time(), UTC) + timedelta(days=1))
    auth.login(world.log_reviewer.email)
    page = client.get("/logg/granskningar/ny").get_data(as_text=True)
    assert f'value="{first.isoformat()}"' in page
    assert f'value="{last.isoformat()}"' in page
    assert 'value="10"' in page

    response = client.post(
        "/logg/granskningar/ny",
        data={"period_start": first.isoformat(), "period_end": last.isoformat()},
    )
    assert response.status_code == 302
    made = session.scalars(select(LogReview)).one()
    assert made.sample_percent == 10
    assert made.population == 1
    assert made.reviewer_id == world.log_reviewer.id
    assert response.headers["Location"].endswith(f"/logg/granskningar/{made.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 av 1 användare som läste ärendeinnehåll (10 %)" in page
    assert world.sas.name in page
    assert "Visa i loggsökningen" in page
    assert f"anvandare={world.sas.id}" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**JANUARY, "sample_percent": "0"}, "Ange ett heltal från 1 till 100."),
        ({**JANUARY, "sample_percent": "101"}, "Ange ett heltal från 1 till 100."),
        ({**JANUARY, "sample_percent": "tio"}, "Ange ett heltal."),
        ({"period_start": "2026-02-01", "period_end": "2026-01-01"}, "Slutdatumet kan inte"),
        ({"period_start": "2026-01-01", "period_end": "2999-01-01"}, "Ange ett datum mellan"),
        ({"period_start": "2026-01-01", "period_end": "2100-01-01"}, "kan inte sluta i framtiden"),
        ({"period_start": "1/1", "period_end": ""}, "Skriv datumet som ÅÅÅÅ-MM-DD"),
        ({"period_start": "1/1", "period_end": ""}, "Fältet måste fyllas i."),
    ],
)
def test_a_bad_review_form_is_explained_and_kept(client, auth, session, world, data, message):
    auth.login(world.log_reviewer.email)
    response = client.post("/logg/granskningar/ny", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    for value in data.values():
        if value:
            assert f'value="{value}"' in page
    assert session.scalar(select(func.count()).select_from(LogReview)) == 0


# --- Recording the outcome and concluding -------------------------------------------------------


@pytest.fixture
def two(session, world):
    read(session, world.sas, utc(2026, 1, 10, 12), address="10.0.0.1")
    read(session, world.mas, utc(2026, 1, 11, 12), address="10.0.0.2")
    review = start(session, world)
    return review, *items(session, review)


def _outcome(client, review, item, outcome, comment=""):
    prefix = f"urval-{item.id}-"
    return client.post(
        f"/logg/granskningar/{review.id}/urval/{item.id}",
        data={prefix + "outcome": outcome, prefix + "comment": comment},
    )


def test_a_remark_needs_a_comment(client, auth, session, world, two):
    review, first, second = two
    auth.login(world.log_reviewer.email)
    response = _outcome(client, review, first, "remark")
    assert response.status_code == 422
    assert "Skriv vad anmärkningen gäller." in response.get_data(as_text=True)
    assert items(session, review)[0].outcome == "pending"

    response = _outcome(client, review, first, "nonsense")
    assert response.status_code == 422
    assert "Gör ett val." in response.get_data(as_text=True)

    assert (
        _outcome(client, review, first, "remark", "Öppnade ärendet utan uppdrag.").status_code
        == 302
    )
    assert _outcome(client, review, second, "ok").status_code == 302
    first, second = items(session, review)
    assert (first.outcome, first.comment) == ("remark", "Öppnade ärendet utan uppdrag.")
    assert first.reviewed_at is not None
    assert (second.outcome, second.comment) == ("ok", "")
    page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
    assert "Anmärkning" in page
    assert "Utan anmärkning" in page
    assert "Öppnade ärendet utan uppdrag." in page


def test_completing_needs_every_outcome_and_a_conclusion(client, auth, session, world, two):
    review, first, second = two
    auth.login(world.log_reviewer.email)
    _outcome(client, review, first, "ok")
    page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
    assert "1 återstår" in page
    assert 'name="conclusion"' not in page

    response = client.post(f"/logg/granskningar/{review.id}/avsluta", data={"conclusion": "Klart."})
    assert response.status_code == 409
    assert "Alla användare i urvalet måste ha ett resultat" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(LogReview, review.id).completed_at is None

    _outcome(client, review, second, "ok")
    response = client.post(f"/logg/granskningar/{review.id}/avsluta", data={"conclusion": " "})
    assert response.status_code == 422
    assert "Fältet måste fyllas i." in response.get_data(as_text=True)

    conclusion = "Inga läsningar utan behov."
    response = client.post(
        f"/logg/granskningar/{review.id}/avsluta", data={"conclusion": conclusion}
    )
    assert response.status_code == 302
    session.expire_all()
    done = session.get(LogReview, review.id)
    assert done.completed_at is not None
    assert done.conclusion == conclusion
    assert "Avslutad" in client.get("/logg/granskningar").get_data(as_text=True)


def test_a_completed_review_is_read_only(client, auth, session, world, two):
    review, first, second = two
    for item in (first, second):
        operations.record_outcome(session, world.log_reviewer, review, item, {"outcome": "ok"})
    operations.complete_review(session, world.log_reviewer, review, {"conclusion": "Klart."})
    auth.login(world.log_reviewer.email)

    response = _outcome(client, review, first, "remark", "Ändrat i efterhand.")
    assert response.status_code == 409
    assert "Granskningen är avslutad och kan inte ändras." in response.get_data(as_text=True)
    again = client.post(f"/logg/granskningar/{review.id}/avsluta", data={"conclusion": "Nytt."})
    assert again.status_code == 409
    page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
    assert "<form" not in page.split('id="innehall"')[1]
    assert "Klart." in page
    session.expire_all()
    assert [i.outcome for i in items(session, review)] == ["ok", "ok"]
    assert session.get(LogReview, review.id).conclusion == "Klart."
    with pytest.raises(WrongState):
        operations.record_outcome(session, world.log_reviewer, review, first, {"outcome": "ok"})


def test_another_log_reviewer_reads_but_does_not_record(client, auth, session, world, two):
    review, first, _second = two
    colleague = make_user(session, "log2@test.se", ["log_reviewer"], name="Kollega")
    auth.login(colleague.email)
    page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
    assert "Granskningen genomförs av" in page
    assert 'name="conclusion"' not in page
    assert _outcome(client, review, first, "ok").status_code == 403
    assert items(session, review)[0].outcome == "pending"


# --- No case content ----------------------------------------------------------------------------


def test_no_case_content_on_the_log_pages(client, auth, session, world):
    case = new_case(session, world)
    secrets = [
        case.description,
        "Anna Andersson",
        "19121212-1212",
        "Avdelning 2, rum 14",
        "Larmade sjuksköterskan.",
        "Anna_Andersson_journal.pdf",
    ]
    # A real read of the case page, written to the log by the page itself.
    auth.login(world.sas.email)
    assert client.get(f"/arenden/{case.id}").status_code == 200
    auth.logout()
    now = datetime.now(UTC)
    read(
        session,
        world.sas,
        now,
        case.reference,
        "cases.download_attachment",
        case_id=case.id,
        detail="Anna_Andersson_journal.pdf",
    )
    logged = session.scalar(select(func.count()).select_from(AccessLogEntry))
    assert logged >= 2

    auth.login(world.log_reviewer.email)
    found = _search(client, referens=case.reference)
    assert world.sas.name in found
    assert case.reference in found
    assert "Ärendesidan" in found
    today = now.date().isoformat()
    made = client.post("/logg/granskningar/ny", data={"period_start": today, "period_end": today})
    pages = [
        found,
        _search(client),
        client.get("/logg/granskningar").get_data(as_text=True),
        client.get("/logg/granskningar/ny").get_data(as_text=True),
        client.get(made.headers["Location"]).get_data(as_text=True),
    ]
    assert case.reference in pages[-1]
    for page in pages:
        for text in secrets:
            assert text not in page
    # Reading the log is not reading case content.
    assert session.scalar(select(func.count()).select_from(AccessLogEntry)) == logged


# --- A sampled user's reads per case, with their relation to each (issue 14) --------------------


def _section(page: str, sampled, user) -> str:  # type: ignore[no-untyped-def]
    """The review page's section of one sampled user."""
    item = next(i for i in sampled if i.user_id == user.id)
    start_at = page.index(f'id="urval-{item.id}"')
    end = page.find("</section>", start_at)
    return page[start_at:end]


def _group_rows(section: str) -> dict[str, str]:
    """Each per-case row of a section's grouped table, by case reference, in page order."""
    table = section[section.index('class="table read-groups"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'(<tr class="read-group[^"]*">.*?</tr>)', table, re.S)
    return {re.search(r'<th scope="row"[^>]*>([^<]+)</th>', r).group(1): r for r in rows}


@pytest.fixture
def related(session, world):  # type: ignore[no-untyped-def]
    """Cases in different relations to the sampled users, read in January."""
    own = case_in(session, world, "submitted")  # Solgården, reported by world.reporter
    linden = case_in(session, world, "submitted", unit=world.linden, reporter=world.other_manager)
    investigated = case_in(session, world, "under_investigation")  # the SAS is its investigator
    maria = new_case_of(session, world, "lex_maria")
    waiting = case_in(session, world, "awaiting_decision")
    session.flush()
    at = utc(2026, 1, 12, 9)

    def reads(user, case, times=1, view="cases.case_page"):  # type: ignore[no-untyped-def]
        for n in range(times):
            read(session, user, at + timedelta(hours=n), case.reference, view, case_id=case.id)

    reads(world.manager, own, 2)
    reads(world.manager, own, 1, "cases.download_attachment")
    reads(world.manager, linden, 3)
    reads(world.reporter, own)
    reads(world.reporter, linden)
    reads(world.sas, investigated, 4)
    reads(world.sas, maria)
    reads(world.chair, waiting)
    # A case the log names that no longer exists.
    read(session, world.chair, at, "LS-2026-9999", case_id=999_999)
    return {
        "own": own,
        "linden": linden,
        "investigated": investigated,
        "maria": maria,
        "waiting": waiting,
    }


def test_reads_are_grouped_per_case_with_the_relation_now(client, auth, session, world, related):
    review = start(session, world)
    sampled = items(session, review)
    auth.login(world.log_reviewer.email)
    page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
    assert "Kopplingen bedöms efter behörigheterna som de är nu" in page

    manager = _group_rows(_section(page, sampled, world.manager))
    own, linden = related["own"].reference, related["linden"].reference
    # The case with no relation first, highlighted in words.
    assert list(manager) == [linden, own]
    assert 'class="read-group read-group--none"' in manager[linden]
    assert "Ingen koppling" in manager[linden]
    assert '<td class="num">3</td>' in manager[linden]
    assert "Egen enhet" in manager[own]
    assert "Ingen koppling" not in manager[own]
    # Three reads of two parts, the first at 10:00 and the last at 11:00 Swedish time.
    assert '<td class="num">3</td>' in manager[own]
    assert "Ärendesidan (2), Bilaga (nedladdning) (1)" in manager[own]
    assert "2026-01-12 10:00" in manager[own]
    assert "2026-01-12 11:00" in manager[own]
    # The raw rows stay reachable: per case in the log search, and all of them on the page.
    assert f"referens={own}" in manager[own]
    assert f"anvandare={world.manager.id}" in manager[own]
    assert "Alla läsningar rad för rad" in page
    assert "1 ärende utan koppling till Manager." in _section(page, sampled, world.manager)

    reporter = _group_rows(_section(page, sampled, world.reporter))
    assert "Rapporterade händelsen" in reporter[own]
    assert "Ingen koppling" in reporter[linden]

    sas = _group_rows(_section(page, sampled, world.sas))
    investigated = related["investigated"].reference
    assert "Tilldelad utredare" in sas[investigated]
    assert "Genom roll (SAS/MAS)" in sas[investigated]
    assert '<td class="num">4</td>' in sas[investigated]
    assert "Ingen koppling" in sas[related["maria"].reference]

    chair = _group_rows(_section(page, sampled, world.chair))
    assert "Beslutar om anmälan" in chair[related["waiting"].reference]
    assert "Ärendet finns inte längre" in chair["LS-2026-9999"]
    assert "Ingen koppling" not in "".join(chair.values())
    # Still no case content.
    assert related["own"].description not in page


def test_the_relation_is_judged_now_not_at_the_read(session, world, related):
    from app.logreview.queries import reads_per_case

    own = related["own"]
    where = (AccessLogEntry.user_id == world.manager.id,)
    before = {g.reference: g.relations for g in reads_per_case(session, world.manager, where)}
    assert before[own.reference] == ("unit",)
    # The manager leaves Solgården: the same reads now have no relation.
    world.manager.managed_units.clear()
    session.flush()
    after = {g.reference: g.relations for g in reads_per_case(session, world.manager, where)}
    assert after[own.reference] == ("none",)


def test_grouping_costs_the_same_queries_for_many_cases(client, auth, session, world):
    from sqlalchemy import event

    def reads_of(cases):  # type: ignore[no-untyped-def]
        for case in cases:
            for n in range(3):
                read(session, world.manager, utc(2026, 1, 5, 9, n), case.reference, case_id=case.id)

    def selects(review) -> int:  # type: ignore[no-untyped-def]
        seen: list[str] = []
        engine = session.get_bind()

        def listener(*args):  # type: ignore[no-untyped-def]
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/logg/granskningar/{review.id}").get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert page.count('<tr class="read-group') == len(cases)
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    cases = [case_in(session, world, "submitted") for _ in range(2)]
    reads_of(cases)
    auth.login(world.log_reviewer.email)
    few = selects(start(session, world))
    more = [case_in(session, world, "submitted", unit=world.linden) for _ in range(6)]
    reads_of(more)
    cases += more
    assert selects(start(session, world)) == few
