"""The inbox ("Att göra") and the case list, per role."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from app.cases import waiting
from app.models import Deadline, set_setting
from tests.factories import action_for, case_in, case_of, hsl_unit, report_data
from workflows.records import submit_report


def _inbox(client, auth, email):
    """The cases waiting in Att göra; the notifications below them name cases too."""
    auth.login(email)
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[: html.index('id="notiser"')]


def test_manager_sees_a_new_report_in_their_unit(client, auth, world, session):
    case = case_in(session, world, "submitted")
    html = _inbox(client, auth, "manager@test.se")
    assert case.reference in html
    assert "Solgården" in html
    assert "Dokumentera omedelbara åtgärder" in html
    assert f"/arenden/{case.id}#steg-record_immediate_measures" in html


def test_other_manager_does_not_see_it(client, auth, world, session):
    case = case_in(session, world, "submitted")
    html = _inbox(client, auth, "other.manager@test.se")
    assert case.reference not in html
    assert "Du har inget att göra just nu." in html


def test_manager_no_longer_sees_it_once_measures_are_recorded(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    assert case.reference not in _inbox(client, auth, "manager@test.se")


def test_sas_sees_open_cases_oldest_first(client, auth, world, session):
    first = case_in(session, world, "submitted")
    second = case_in(session, world, "submitted", unit=world.linden)
    closed = case_in(session, world, "reclassified")
    html = _inbox(client, auth, "sas@test.se")
    assert html.index(first.reference) < html.index(second.reference)
    assert "Starta utredning" in html
    assert closed.reference not in html


def test_chair_sees_only_cases_awaiting_decision(client, auth, world, session):
    waiting = case_in(session, world, "awaiting_decision")
    other = case_in(session, world, "under_investigation")
    html = _inbox(client, auth, "chair@test.se")
    assert waiting.reference in html
    assert "Besluta om anmälan till IVO" in html
    assert other.reference not in html


def test_action_owner_is_asked_to_follow_up(client, auth, world, session):
    case = case_in(session, world, "under_investigation")
    action = action_for(session, world, case)
    html = _inbox(client, auth, "manager@test.se")
    assert case.reference in html
    assert f"#atgard-{action.id}" in html


def test_reporter_and_admin_have_nothing_to_do(client, auth, world, session):
    case = case_in(session, world, "submitted")
    assert case.reference not in _inbox(client, auth, "reporter@test.se")
    auth.logout()
    assert case.reference not in _inbox(client, auth, "admin@test.se")


def test_case_list_for_sas_filters_by_state_and_unit(client, auth, world, session):
    submitted = case_in(session, world, "submitted")
    in_linden = case_in(session, world, "submitted", unit=world.linden)
    investigating = case_in(session, world, "under_investigation")
    auth.login("sas@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert all(c.reference in html for c in (submitted, in_linden, investigating))
    html = client.get("/arenden?status=submitted").get_data(as_text=True)
    assert submitted.reference in html
    assert in_linden.reference in html
    assert investigating.reference not in html
    html = client.get(f"/arenden?status=submitted&enhet={world.linden.id}").get_data(as_text=True)
    assert in_linden.reference in html
    assert submitted.reference not in html


def test_case_list_pages(client, auth, world, session, app):
    app.config["PAGE_SIZE"] = 2
    cases = [case_in(session, world, "submitted") for _ in range(3)]
    auth.login("sas@test.se")
    first = client.get("/arenden").get_data(as_text=True)
    second = client.get("/arenden?sida=2").get_data(as_text=True)
    assert "Sida 1 av 2" in first
    assert "Sida 2 av 2" in second
    # Newest first: the oldest is alone on the second page.
    assert cases[0].reference in second
    assert cases[0].reference not in first


def test_case_list_for_chair_shows_cases_of_their_decision(client, auth, world, session):
    waiting = case_in(session, world, "awaiting_decision")
    decided = case_in(session, world, "awaiting_filing")
    not_theirs = case_in(session, world, "under_investigation")
    auth.login("chair@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert waiting.reference in html
    assert decided.reference in html
    assert not_theirs.reference not in html


def test_a_manager_lists_their_units_cases_and_a_reporter_lists_none(client, auth, world, session):
    own = case_in(session, world, "submitted")
    other = case_in(session, world, "submitted", unit=world.linden)
    auth.login("manager@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert own.reference in html
    assert other.reference not in html
    auth.logout()
    auth.login("reporter@test.se")
    assert client.get("/arenden").status_code == 403


def test_sas_inbox_leaves_out_cases_waiting_for_someone_else(client, auth, world, session):
    # Reclassifying is possible in every open state; it alone does not make a case the SAS's to do.
    waiting_for_chair = case_in(session, world, "awaiting_decision")
    to_file = case_in(session, world, "awaiting_filing")
    html = _inbox(client, auth, "sas@test.se")
    assert waiting_for_chair.reference not in html
    assert to_file.reference in html
    assert "Registrera anmälan till IVO" in html
    assert "Omklassificera" not in html


# --- lex Maria and deviations ------------------------------------------------------------------


def _card(html, reference):
    """The inbox card of one case, up to the next card."""
    start = html.index(f">{reference}</a>")
    ends = [i for i in (html.find('<li class="card', start), html.find("</ol>", start)) if i != -1]
    return html[start : min(ends)]


def test_mas_inbox_has_lex_maria_and_hsl_deviations_and_the_sas_inbox_does_not(
    client, auth, world, session
):
    maria = case_of(session, world, "lex_maria", "submitted")
    hsl = case_of(
        session,
        world,
        "deviation",
        "escalated",
        unit=hsl_unit(session, world),
        manager=world.area_manager,
    )
    sol = case_of(session, world, "deviation", "escalated", legal_area="SoL")
    session.flush()
    html = _inbox(client, auth, "mas@test.se")
    assert maria.reference in html
    assert hsl.reference in html
    assert sol.reference not in html
    assert "Starta utredning" in _card(html, maria.reference)
    assert "Händelse rapporterad" in _card(html, maria.reference)
    assert "Gör om till lex Maria-ärende" in _card(html, hsl.reference)
    assert "Bedöms av SAS/MAS" in _card(html, hsl.reference)
    auth.logout()
    html = _inbox(client, auth, "sas@test.se")
    assert maria.reference not in html
    assert hsl.reference not in html
    assert sol.reference in html
    assert "Gör om till lex Sarah-ärende" in html


def test_manager_inbox_has_the_units_deviations_at_each_of_their_steps(
    client, auth, world, session
):
    to_assess = case_of(session, world, "deviation", "submitted")
    to_investigate = case_of(session, world, "deviation", "local_investigation")
    to_close = case_of(session, world, "deviation", "follow_up")
    escalated = case_of(session, world, "deviation", "escalated")
    closed = case_of(session, world, "deviation", "closed")
    maria = case_of(session, world, "lex_maria", "submitted")
    elsewhere = case_of(session, world, "deviation", "submitted", unit=world.linden)
    session.flush()
    html = _inbox(client, auth, "manager@test.se")
    for case in (to_assess, to_investigate, to_close, maria):
        assert case.reference in html
    for case in (escalated, closed, elsewhere):
        assert case.reference not in html
    assert f"/arenden/{to_assess.id}#steg-assess" in html
    assert f"/arenden/{to_investigate.id}#steg-complete_investigation" in html
    assert f"/arenden/{to_close.id}#steg-close" in html
    assert f"/arenden/{maria.id}#steg-record_immediate_measures" in html
    # Each card says its case type: a deviation and a lex Maria case may share a state's name.
    assert "<dd>Avvikelse</dd>" in _card(html, to_assess.reference)
    assert "<dd>Lex Maria</dd>" in _card(html, maria.reference)


def test_the_deciding_role_is_a_setting(client, auth, world, session):
    maria = case_of(session, world, "lex_maria", "awaiting_decision")
    session.flush()
    assert maria.reference in _inbox(client, auth, "mas@test.se")
    auth.logout()
    assert maria.reference not in _inbox(client, auth, "chair@test.se")
    auth.logout()
    set_setting(session, "deciding_role.lex_maria", "chair")
    session.flush()
    html = _inbox(client, auth, "chair@test.se")
    assert maria.reference in html
    assert "Besluta om anmälan till IVO" in html


def test_case_list_filters_by_type_with_that_types_states(client, auth, world, session):
    sarah = case_in(session, world, "submitted")
    deviation = case_of(session, world, "deviation", "escalated")
    maria = case_of(session, world, "lex_maria", "submitted")
    session.flush()
    auth.login("sas@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert sarah.reference in html
    assert deviation.reference in html
    assert maria.reference not in html
    assert '<option value="deviation">Avvikelse</option>' in html
    assert '<option value="lex_maria">' not in html
    # With no type chosen, each type offers its own states.
    assert '<optgroup label="Avvikelse">' in html
    assert '<option value="deviation:escalated">Bedöms av SAS/MAS</option>' in html

    html = client.get("/arenden?typ=deviation").get_data(as_text=True)
    assert deviation.reference in html
    assert sarah.reference not in html
    states = re.findall(
        r'<option value="([a-z_]+)"',
        html[html.index('id="status"') : html.index("</select>", html.index('id="status"'))],
    )
    assert states == [
        "submitted",
        "escalated",
        "local_investigation",
        "follow_up",
        "closed",
        "converted",
    ]

    html = client.get("/arenden?status=deviation:escalated").get_data(as_text=True)
    assert deviation.reference in html
    assert sarah.reference not in html
    assert '<option value="escalated" selected>Bedöms av SAS/MAS</option>' in html
    # A state the chosen type does not have is ignored, not an error.
    html = client.get("/arenden?typ=deviation&status=awaiting_decision").get_data(as_text=True)
    assert deviation.reference in html
    # A type the user may not list is ignored too.
    html = client.get("/arenden?typ=lex_maria").get_data(as_text=True)
    assert maria.reference not in html

    auth.logout()
    auth.login("mas@test.se")
    html = client.get("/arenden").get_data(as_text=True)
    assert maria.reference in html
    # Solgården has both SoL and HSL; once assessed as SoL, the deviation is the SAS's.
    assert deviation.reference not in html
    assert sarah.reference not in html


# --- One count, and cards that say what, what next and by when (issue 14) -----------------------


def _counts(html):  # type: ignore[no-untyped-def]
    """The menu's count, the heading's count and the cards listed under that heading."""
    menu = re.search(r'Att göra <span class="nav-count">\(([0-9+]+)<span', html)
    heading = re.search(r'id="arenden-rubrik">[^<]*<span class="count">\(([0-9+]+)\)</span>', html)
    section = html[html.index('id="arenden-rubrik"') : html.index('id="notiser"')]
    return menu.group(1), heading.group(1), section.count('<li class="card')


def test_the_menu_and_the_heading_give_one_count_the_number_of_cards(client, auth, world, session):
    first = case_in(session, world, "submitted")
    second = case_in(session, world, "submitted")
    deviation = case_of(session, world, "deviation", "submitted")
    followed_up = case_in(session, world, "under_investigation")
    action_for(session, world, followed_up)
    # Not the manager's to do: measures recorded, and another unit's report.
    case_in(session, world, "under_investigation")
    case_in(session, world, "submitted", unit=world.linden)
    session.flush()
    auth.login("manager@test.se")
    html = client.get("/").get_data(as_text=True)
    assert _counts(html) == ("4", "4", 4)
    for case in (first, second, deviation, followed_up):
        assert case.reference in html
    # What the number counts, said next to it and in the menu for screen readers.
    assert "Antalet är ärenden där du ska göra något" in html
    assert '<span class="visually-hidden"> ärenden där du ska göra något</span>' in html
    # Every page's menu says the same number.
    other = client.get("/mina-rapporter").get_data(as_text=True)
    assert re.search(r'Att göra <span class="nav-count">\(4<span', other)


def test_the_count_says_when_more_cases_wait_than_were_weighed(client, auth, world, session, app):
    app.config["INBOX_LIMIT"] = 2
    for _ in range(3):
        case_in(session, world, "submitted")
    auth.login("sas@test.se")
    html = client.get("/").get_data(as_text=True)
    assert _counts(html) == ("2+", "2+", 2)
    assert "1 ärende till kan vänta på dig." in html


def test_nothing_to_do_is_counted_as_zero_in_both_places(client, auth, world, session):
    case_in(session, world, "submitted", unit=world.linden)
    auth.login("manager@test.se")
    assert _counts(client.get("/").get_data(as_text=True)) == ("0", "0", 0)


MULTILINE = (
    "Brukaren föll ur sängen och blödde från pannan.\nNattpersonalen Anna Andersson larmade."
)


def test_a_card_says_what_happened_what_is_next_and_by_when(client, auth, world, session):
    case = submit_report(
        session, world.reporter, report_data(world.solgarden, description=MULTILINE)
    )
    session.flush()
    auth.login("manager@test.se")
    card = _card(client.get("/").get_data(as_text=True), case.reference)
    assert "<dt>Vad hände</dt>" in card
    assert "Brukaren föll ur sängen och blödde från pannan." in card
    # Only the first line: the card is a reminder, not the report.
    assert "Anna Andersson" not in card
    # What is needed: the step that meets the manager's deadline, linked to its form.
    assert re.search(
        rf'<dt>Nästa steg</dt><dd><a href="/arenden/{case.id}#steg-record_immediate_measures">'
        r"Dokumentera omedelbara åtgärder<span",
        card,
    )
    # By when: the due time and, in words, how long is left.
    assert "Klart senast" in card
    assert re.search(r"<time datetime=\"[^\"]+\">\w+dag \d+ \w+ \d{4} kl\. \d\d:\d\d</time>", card)
    assert "(Omedelbara åtgärder)" in card
    assert "Försenad" not in card


def test_an_overdue_card_says_so_in_words(client, auth, world, session):
    case = case_in(session, world, "submitted")
    session.execute(
        update(Deadline)
        .where(Deadline.case_id == case.id, Deadline.key == "immediate_measures")
        .values(due_at=datetime.now(UTC) - timedelta(hours=30))
    )
    session.flush()
    auth.login("manager@test.se")
    html = client.get("/").get_data(as_text=True)
    card = _card(html, case.reference)
    assert "Försenad:</strong>" in card
    assert re.search(r"– försenad (1 dygn|\d+ timmar)", card)
    assert 'class="card card--overdue"' in html


def test_the_first_line_is_only_for_those_who_may_see_the_report(
    client, auth, world, session, monkeypatch
):
    case = submit_report(
        session, world.reporter, report_data(world.solgarden, description=MULTILINE)
    )
    session.flush()
    # The card asks permissions.visible_sections: a user who may act on the case but not see
    # its report (an action owner of another unit, say) is shown the step, not the report.
    real = waiting.visible_sections

    def without_report(session, user, seen_case):  # type: ignore[no-untyped-def]
        return real(session, user, seen_case) - {"report", "persons"}

    monkeypatch.setattr(waiting, "visible_sections", without_report)
    auth.login("manager@test.se")
    card = _card(client.get("/").get_data(as_text=True), case.reference)
    assert "Brukaren föll" not in card
    assert "Vad hände" not in card
    assert "Dokumentera omedelbara åtgärder" in card


def test_cards_cost_no_query_per_card(client, auth, world, session, app):
    from sqlalchemy import event

    for _ in range(2):
        case_in(session, world, "submitted")
    auth.login("manager@test.se")

    def statements() -> int:
        seen = []
        engine = session.get_bind()
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        # The reads written to the access log are a row per case by design; the page's reads
        # are what must not grow.
        return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])

    few = statements()
    for _ in range(4):
        case_in(session, world, "submitted")
    assert statements() == few
