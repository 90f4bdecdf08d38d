"""WCAG 2.1 AA beyond what axe can see: the report form done with the keyboard alone, focus that
shows, errors tied to their fields and announced, the main pages at 200 % zoom and on a 320-px
screen, and meaning never carried by colour alone. Plus what makes the pages pleasant to find
one's way in: specific titles, a breadcrumb back to Att göra, a footer with the accessibility
statement, and nothing loaded from anywhere but the app itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from app.cli.demo_cases import AV_THEFT, LS_ALARM
from app.models import Case, Deadline

from .a11y import assert_accessible
from .conftest import screenshot
from .live import operations, report
from .pages import PASSWORD, chosen, log_in, my_report

REPORTER = "medarbetare@exempelby.se"
MANAGER = "enhetschef@exempelby.se"
SAS = "sas@exempelby.se"
ADMIN = "admin@exempelby.se"
REVIEWER = "logg@exempelby.se"
SOLGARDEN = "Vård- och omsorgsförvaltningen › Äldreomsorg › Solgårdens särskilda boende"
TODAY = date.today()


# --- the main pages, at three widths -------------------------------------------------------------


@dataclass(frozen=True)
class MainPage:
    who: str | None  # None: not signed in
    path: str  # "{case}": the demo's lex Sarah case awaiting the chair's decision
    title: str  # the specific part of <title>, before " – Lexflöde"


MAIN_PAGES = (
    MainPage(None, "/login", "Logga in"),
    MainPage(None, "/tillganglighet", "Tillgänglighetsredogörelse"),
    MainPage(REPORTER, "/", "Att göra"),
    MainPage(REPORTER, "/rapportera", "Rapportera händelse"),
    MainPage(REPORTER, "/mina-rapporter", "Mina rapporter"),
    MainPage(REPORTER, "/tillganglighet", "Tillgänglighetsredogörelse"),
    MainPage(SAS, "/arenden", "Ärenden"),
    MainPage(SAS, "{case}", "{reference}"),
    MainPage(SAS, "/tidsfrister", "Tidsfrister"),
    MainPage(SAS, "/statistik", f"Statistik {TODAY.year}"),
    MainPage(ADMIN, "/admin", "Administration"),
    MainPage(ADMIN, "/admin/anvandare", "Användare"),
    MainPage(ADMIN, "/admin/tidsfrister", "Tidsfristregler"),
    MainPage(REVIEWER, "/logg", "Åtkomstlogg"),
    MainPage(REVIEWER, "/logg/granskningar/ny", "Ny logggranskning"),
)


@pytest.fixture(scope="module")
def demo_case(live_app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with operations(live_app) as session:
        case = session.scalars(select(Case).where(Case.description == LS_ALARM)).one()
        return f"/arenden/{case.id}", case.reference


def visit_main_pages(new_page, demo_case, viewport, scale, check) -> None:  # type: ignore[no-untyped-def]
    """Each main page as its user sees it, checked with axe and then by ``check``."""
    url, reference = demo_case
    pages: dict[str | None, Page] = {}
    for main in MAIN_PAGES:
        if main.who not in pages:
            pages[main.who] = new_page(viewport=viewport, scale=scale)
            if main.who:
                log_in(pages[main.who], main.who)
        page = pages[main.who]
        page.goto(main.path.replace("{case}", url))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        name = f"{main.path} for {main.who or 'a visitor'} at {viewport[0]} px"
        assert_accessible(page, name)
        check(page, main, main.title.replace("{reference}", reference), name)


# The elements that stick out past the right edge, not counting what scrolls inside its own box.
STICKING_OUT = """() => {
    const edge = document.documentElement.clientWidth;
    const clipped = el => {
        for (let a = el.parentElement; a; a = a.parentElement) {
            if (a === document.body) return false;
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    return [...document.body.querySelectorAll('*')]
        .filter(el => el.getBoundingClientRect().right > edge + 1 && !clipped(el))
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + ' "' + (el.innerText || '').trim().slice(0, 50)
            + '" ' + Math.round(el.getBoundingClientRect().right) + ' px');
}"""


def no_sideways_scrolling(page: Page, name: str) -> None:
    wide = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if wide[0] > wide[1]:
        culprits = page.evaluate(STICKING_OUT)
        pytest.fail(f"{name} scrolls sideways, {wide[0]} px in {wide[1]} px: {culprits}")


def test_main_pages_have_titles_breadcrumbs_and_only_their_own_files(
    new_page, demo_case, live_server
) -> None:  # type: ignore[no-untyped-def]
    titles: dict[str, str] = {}
    foreign: list[str] = []

    def check(page: Page, main: MainPage, title: str, name: str) -> None:
        loaded = page.evaluate(
            "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
        )
        foreign.extend(url for url in loaded if not url.startswith(live_server))
        expect(page).to_have_title(f"{title} – Lexflöde")
        titles.setdefault(page.title(), name)
        assert page.evaluate("document.documentElement.lang") == "sv"
        crumbs = page.get_by_role("navigation", name="Brödsmulor")
        if main.who and main.path != "/":
            home = crumbs.get_by_role("listitem").first.get_by_role("link")
            expect(home).to_have_text("Att göra")
            expect(home).to_have_attribute("href", "/")
            expect(crumbs.get_by_role("listitem").last).to_have_attribute("aria-current", "page")
        elif not main.who:
            expect(crumbs).to_have_count(0)  # nowhere to go back to before signing in
        footer = page.get_by_role("contentinfo")
        statement = footer.get_by_role("link", name="Tillgänglighetsredogörelse")
        expect(statement).to_have_attribute("href", "/tillganglighet")
        expect(footer).to_contain_text("Exempelby kommun")

    visit_main_pages(new_page, demo_case, (1280, 900), 1, check)
    # One title per page: a title that tells the pages apart (the statement is shown twice).
    assert len(titles) == len({m.title for m in MAIN_PAGES}), titles
    assert foreign == [], f"loaded from elsewhere: {foreign}"


def test_main_pages_work_at_200_percent_zoom(new_page, demo_case) -> None:  # type: ignore[no-untyped-def]
    """Chromium zoomed to 200 % in a 1280 × 900 window lays the page out in a viewport of 640 × 450
    CSS pixels at a device pixel ratio of 2 — the context below, which is what zooming does."""

    def check(page: Page, main: MainPage, title: str, name: str) -> None:
        no_sideways_scrolling(page, name)
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
        assert page.evaluate("window.devicePixelRatio") == 2

    visit_main_pages(new_page, demo_case, (640, 450), 2, check)


def test_main_pages_reflow_on_a_320_px_screen(new_page, demo_case) -> None:  # type: ignore[no-untyped-def]
    """WCAG 1.4.10: content 320 CSS pixels wide (a 1280-px window at 400 %) without scrolling
    sideways. Wide tables scroll inside their own focusable region, as the criterion allows."""

    def check(page: Page, main: MainPage, title: str, name: str) -> None:
        no_sideways_scrolling(page, name)
        if main.who:
            menu = page.get_by_role("navigation", name="Huvudmeny")
            expect(menu.get_by_role("link", name=re.compile("^Att göra"))).to_be_in_viewport()

    visit_main_pages(new_page, demo_case, (320, 640), 1, check)


# --- the keyboard alone ------------------------------------------------------------------------


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def press_until_focused(page: Page, target: Locator, key: str = "Tab", limit: int = 60) -> None:
    for _ in range(limit):
        if is_focused(target):
            return
        page.keyboard.press(key)
    expect(target).to_be_focused()


def test_report_form_with_the_keyboard_alone(new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    page.goto("/login")
    assert_accessible(page, "login")
    press_until_focused(page, page.get_by_label("E-postadress"))
    page.keyboard.type(REPORTER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Lösenord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Att göra", level=1)).to_be_visible()
    assert_accessible(page, "Att göra")

    menu = page.get_by_role("navigation", name="Huvudmeny")
    press_until_focused(page, menu.get_by_role("link", name="Rapportera händelse"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(page, "report form")

    # Radio buttons: nothing is chosen beforehand, so Tab enters the group at its first option
    # and Space chooses it; the arrows move the choice.
    affected = page.get_by_role("group", name="Vem berördes?")
    expect(affected.get_by_role("radio", checked=True)).to_have_count(0)
    care = affected.get_by_role("radio", name=re.compile("^En person som får omsorg"))
    press_until_focused(page, care)
    page.keyboard.press("Space")
    expect(care).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(affected.get_by_role("radio", name=re.compile("^En patient"))).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(care).to_be_checked()

    harm = page.get_by_role("group", name="Kom någon till skada")
    expect(harm.get_by_role("radio", checked=True)).to_have_count(0)
    harmed = harm.get_by_role("radio", name=re.compile("^Ja, någon kom till skada"))
    press_until_focused(page, harmed)
    page.keyboard.press("Space")
    expect(harmed).to_be_checked()

    # A check box toggles with Space.
    device = page.get_by_role("checkbox", name=re.compile("^En medicinteknisk produkt"))
    press_until_focused(page, device)
    page.keyboard.press("Space")
    expect(device).to_be_checked()
    page.keyboard.press("Space")
    expect(device).not_to_be_checked()

    # A list: the arrow keys choose without opening it.
    unit = page.get_by_role("combobox", name="Var hände det? (enhet)")
    press_until_focused(page, unit)
    for _ in range(20):
        if chosen(unit).inner_text() == SOLGARDEN:
            break
        page.keyboard.press("ArrowDown")
    expect(chosen(unit)).to_have_text(SOLGARDEN)

    # A date: the arrow key fills each part (day, month, year, in the order the browser's own
    # language puts them) with the first of this year, Tab goes on to the next part.
    when = page.get_by_label("När hände det? (datum)")
    page.keyboard.press("Tab")
    expect(when).to_be_focused()
    for part in range(3):
        page.keyboard.press("ArrowUp")
        if part < 2:
            page.keyboard.press("Tab")
    expect(when).to_have_value(f"{TODAY.year}-01-01")

    place = page.get_by_label("Plats")
    press_until_focused(page, place)
    page.keyboard.type("Matsalen")
    what = page.get_by_label("Vad hände?")
    press_until_focused(page, what)
    page.keyboard.type("En boende satt kvar vid bordet i över en timme utan att få hjälp.")
    # Back with Shift+Tab to make the place more precise.
    press_until_focused(page, place, key="Shift+Tab", limit=5)
    page.keyboard.press("End")
    page.keyboard.type(", avdelning 2")
    expect(place).to_have_value("Matsalen, avdelning 2")

    name = page.get_by_role("group", name="Person 1").get_by_role("textbox", name="Namn")
    press_until_focused(page, name)
    page.keyboard.type("Tolvan Tolvansson")
    send = page.get_by_role("button", name="Skicka rapporten")
    press_until_focused(page, send)
    screenshot(page, "a11y-01-keyboard-report-form")
    page.keyboard.press("Enter")

    thanks = page.get_by_role("status").filter(has_text="Tack! Din rapport är skickad")
    expect(thanks).to_be_visible()
    reference = re.search(r"[A-Z]{2}-\d{4}-\d{4}", thanks.inner_text())
    assert reference is not None
    card = my_report(page, reference.group(0))
    expect(card.get_by_text(SOLGARDEN)).to_be_visible()
    assert_accessible(page, "Mina rapporter after the keyboard report")


# --- focus that shows --------------------------------------------------------------------------

FOCUS_STYLE = """el => {
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return {
        what: el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' "'
            + (el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.ariaLabel || '')
                .trim().slice(0, 40) + '"',
        shown: outline || s.boxShadow !== 'none',
    };
}"""


def tab_through(page: Page, stops: int) -> list[dict]:
    """Tabs through a freshly loaded page from the top, telling what each stop is and whether
    its focus shows (a ring of at least 2 px, or a shadow)."""
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        active = page.evaluate_handle("document.activeElement")
        seen.append(active.evaluate(FOCUS_STYLE))
    return seen


def test_focus_is_visible_on_every_stop(new_page, demo_case) -> None:  # type: ignore[no-untyped-def]
    reporter = new_page()
    log_in(reporter, REPORTER)
    reporter.get_by_role("link", name="Rapportera händelse").click()
    expect(reporter.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(reporter, "report form")
    stops = tab_through(reporter, 45)

    sas = new_page()
    log_in(sas, SAS)
    sas.goto(demo_case[0])
    expect(sas.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(sas, "case page")
    stops += tab_through(sas, 80)

    kinds = {stop["what"].split('"')[0].strip() for stop in stops}
    for kind in (
        "a",
        "button[submit]",
        "input[radio]",
        "input[checkbox]",
        "input[text]",
        "input[date]",
        "select[select-one]",
        "textarea[textarea]",
        "summary",
    ):
        assert kind in kinds, f"no {kind} among the stops: {kinds}"
    # Past the last stop focus leaves the page for the browser's own controls.
    hidden = [stop["what"] for stop in stops if not stop["shown"] and stop["what"][:4] != "body"]
    assert hidden == [], f"focus does not show on: {hidden}"


# --- errors at their fields, announced ---------------------------------------------------------


def assert_errors_tied(page: Page, name: str) -> None:
    """The refused form's summary is an alert that takes focus; each of its links leads to a
    field marked invalid whose description holds the message."""
    expect(page).to_have_title(re.compile("^Fel: "))
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 1, f"{name}: no links in the error summary"
    for i in range(links.count()):
        link = links.nth(i)
        message = link.inner_text().split(": ", 1)[-1].strip()
        target = link.get_attribute("href")
        assert target is not None
        assert target.startswith("#"), target
        field = page.locator(f"[id='{target[1:]}']")  # where the summary's own link points
        tag = field.evaluate("el => el.tagName.toLowerCase()")
        described = field.evaluate(
            """el => (el.getAttribute('aria-describedby') || '').split(/\\s+/)
                .map(id => document.getElementById(id)).filter(Boolean)
                .map(e => e.innerText).join(' ')"""
        )
        assert message in described, f"{name}: {target} is not described by {message!r}"
        if tag == "fieldset":
            options = field.get_by_role("radio").or_(field.get_by_role("checkbox"))
            for j in range(options.count()):
                expect(options.nth(j)).to_have_attribute("aria-invalid", "true")
        else:
            expect(field).to_have_attribute("aria-invalid", "true")
            expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    # Following a link puts the keyboard in the field.
    first = links.first
    target = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"[id='{target[1:]}']")).to_be_focused()  # type: ignore[index]


def test_errors_are_tied_to_their_fields_and_announced(new_page) -> None:  # type: ignore[no-untyped-def]
    reporter = new_page()
    log_in(reporter, REPORTER)
    reporter.get_by_role("link", name="Rapportera händelse").click()
    expect(reporter.get_by_role("heading", name="Rapportera händelse", level=1)).to_be_visible()
    assert_accessible(reporter, "report form")
    reporter.get_by_role("group", name="Person 1").get_by_label("Personnummer").fill("1912")
    reporter.get_by_role("button", name="Skicka rapporten").click()
    expect(reporter.get_by_role("alert")).to_be_visible()
    assert_accessible(reporter, "report form refused")
    assert_errors_tied(reporter, "report form")
    screenshot(reporter, "a11y-02-report-form-errors")

    admin = new_page()
    log_in(admin, ADMIN)
    for path, button in (
        ("/admin/anvandare/ny", "Lägg till användaren"),
        ("/admin/enheter/ny", "Lägg till enheten"),
    ):
        admin.goto(path)
        assert_accessible(admin, path)
        admin.get_by_role("button", name=button).click()
        expect(admin.get_by_role("alert")).to_be_visible()
        assert_accessible(admin, f"{path} refused")
        assert_errors_tied(admin, path)

    reviewer = new_page()
    log_in(reviewer, REVIEWER)
    reviewer.goto("/logg/granskningar/ny")
    assert_accessible(reviewer, "new log review")
    reviewer.get_by_label("Periodens första dag").fill("")
    reviewer.get_by_label("Urvalets storlek i procent").fill("500")
    reviewer.get_by_role("button", name="Dra urvalet").click()
    expect(reviewer.get_by_role("alert")).to_be_visible()
    assert_accessible(reviewer, "new log review refused")
    assert_errors_tied(reviewer, "new log review")


# --- not by colour alone -----------------------------------------------------------------------


def test_risk_matrix_and_deadline_flags_say_it_in_words(new_page, live_app) -> None:  # type: ignore[no-untyped-def]
    with operations(live_app) as session:
        theft = session.scalars(select(Case).where(Case.description == AV_THEFT)).one()
        theft_url = f"/arenden/{theft.id}"
        late = report(session, "Ingen kom när en boende larmade på natten; hen väntade länge.")
        session.flush()
        for deadline in session.scalars(select(Deadline).where(Deadline.case_id == late.id)):
            # As if the report had come in three days ago and nobody had acted.
            deadline.start_at -= timedelta(days=3)
            deadline.due_at = datetime.now(UTC) - timedelta(days=2)
        late_ref, late_url = late.reference, f"/arenden/{late.id}"

    sas = new_page()
    log_in(sas, SAS)
    sas.goto(theft_url)
    assert_accessible(sas, "escalated deviation")
    assessment = sas.get_by_role("region", name="Bedömning av avvikelsen", exact=True)
    matrix = assessment.get_by_role("table", name=re.compile("^Riskmatris för avvikelsen"))
    limits = re.search(
        r"allvarlighetsgrad (\d) eller högre, eller riskvärde (\d+) eller högre",
        assessment.inner_text(),
    )
    assert limits is not None
    min_severity, min_score = int(limits.group(1)), int(limits.group(2))
    for severity in (1, 2, 3, 4):
        row = matrix.get_by_role("row").filter(
            has=sas.get_by_role("rowheader", name=re.compile(rf"^Allvarlighetsgrad {severity}"))
        )
        cells = row.get_by_role("cell")
        expect(cells).to_have_count(4)
        for likelihood in (1, 2, 3, 4):
            text = cells.nth(likelihood - 1).inner_text()
            score = severity * likelihood
            assert re.match(rf"^\s*{score}\b", text), (severity, likelihood, text)
            assert ("Vald" in text) == ((severity, likelihood) == (2, 2)), text
            escalates = severity >= min_severity or score >= min_score
            assert ("Eskaleras" in text) == escalates, (severity, likelihood, text)

    manager = new_page()
    log_in(manager, MANAGER)
    waiting = manager.get_by_role("region", name=re.compile(r"^Ärenden som väntar på dig"))
    card = waiting.get_by_role("listitem").filter(
        has=manager.get_by_role("heading", name=late_ref, exact=True)
    )
    expect(card).to_contain_text(re.compile(r"Försenad:"))
    on_time = waiting.get_by_role("listitem").filter(has_text="Klart senast")
    expect(on_time.first).to_be_visible()
    manager.goto(late_url)
    assert_accessible(manager, "case with an overdue deadline")
    deadlines = manager.get_by_role("region", name="Tidsfrister", exact=True)
    overdue = deadlines.get_by_role("listitem").filter(has_text="Omedelbara åtgärder")
    expect(overdue).to_contain_text("Försenad")
    expect(overdue).to_contain_text(re.compile(r"försenad \d+ (dagar|dygn)"))
    screenshot(manager, "a11y-03-overdue-in-words")
