"""/admin/tidsfrister: the deadline policy's rules, an edit that writes a new version, and the
deadlines that keep the version they started under (DOMAIN.md §4)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import DeadlinePolicy
from tests.clock.support import Clock, deadlines, local
from tests.factories import new_case

PATH = "/admin/tidsfrister/lex_sarah/immediate_measures"
# The immediate measures of lex Sarah in the version the migrations leave in force (revision 2
# of DOMAIN.md §4, migration a16a00000001), as the form posts them.
V1 = {
    "duration_value": "24",
    "duration_unit": "hours",
    "reminders": "halvvägs, 1 arbetsdag",
    "escalation_target": "superior",
    "second_escalation_target": "oversight",
    "second_escalation_after": "2",
    "second_escalation_unit": "working_days",
    "cap_months": "",
    "cap_anchor": "",
    # The length is not in the text: the page adds it from the rule (deadline_labels.basis_length).
    "legal_basis": "Missförhållandet ska avhjälpas eller undanröjas ”utan dröjsmål” "
    "(SoL 2025:400 27 kap.; tidigare SoL 2001:453 14 kap. 6 §), och IVO förväntar sig att "
    "de åtgärder som behövs för att skydda den enskilde vidtas ”omedelbart”.",
    "basis_kind": "local_routine",
    "enabled": "y",
    "note": "",
}


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, local(2026, 12, 7, 9, 0))


@pytest.fixture
def admin(client, auth, world):
    auth.login(world.admin.email)
    return client


def versions(session) -> int:
    session.expire_all()
    return session.scalar(select(func.max(DeadlinePolicy.version)))


@pytest.fixture
def now(session) -> int:
    """The version in force before the test edits anything."""
    return versions(session)


def test_the_rules_of_the_current_version(admin, now):
    html = admin.get("/admin/tidsfrister").get_data(as_text=True)
    assert f"Nu gäller version {now}." in html
    assert "Pågående tidsfrister följer den version de startade under" in html
    assert f'href="{PATH}"' in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert (
        "Omedelbara åtgärder , Lex Sarah immediate_measures Lex Sarah Rapporten kom in 24 timmar Enhetschefen halvvägs, 1 arbetsdag"
        in text
    )
    # Lex Sarah's filing has no cap from the report any more (rev. 2); lex Maria's from the event.
    assert "aldrig senare än 2 månader efter att rapporten kom in" not in text
    assert "Tidig anmälan registrerad (räknat från anmälningsdagen)" in text
    assert "Lag eller föreskrift." in text
    assert f"Version {now} (gäller nu)" in text


def test_the_edit_form_shows_the_rule(admin, now):
    html = admin.get(PATH).get_data(as_text=True)
    assert "Ändra tidsfrist: Omedelbara åtgärder (Lex Sarah)" in html
    assert re.search(r'<input[^>]*name="duration_value"[^>]*value="24"', html)
    assert 'value="halvvägs, 1 arbetsdag"' in html
    assert f"När du sparar skapas version {now + 1} av tidsfristreglerna." in html


def test_an_edit_makes_a_new_version_and_running_deadlines_keep_theirs(
    admin, session, world, clock, now
):
    running = new_case(session, world)
    session.flush()
    before = deadlines(session, running)["immediate_measures"]
    due_before = before.due_at

    response = admin.post(
        PATH,
        data={
            **V1,
            "duration_value": "12",
            "reminders": "4 timmar",
            "note": "Nämndens beslut 2026-12-01.",
        },
    )
    assert response.status_code == 302
    assert versions(session) == now + 1
    html = admin.get("/admin/tidsfrister").get_data(as_text=True)
    assert f"Tidsfristreglerna är sparade som version {now + 1}." in html
    assert f"Version {now + 1} (gäller nu)" in html
    assert "Nämndens beslut 2026-12-01." in html
    text = re.sub(r"\s+", " ", html)
    assert "Omedelbara åtgärder (Lex Sarah), tidsfristens längd: 24 → 12" in text
    assert (
        "Omedelbara åtgärder (Lex Sarah), påminnelser före tidsfristen: halvvägs, 1 arbetsdag → 4 timmar"
        in text
    )
    assert f'href="/admin/tidsfrister/version/{now}"' in html

    # The running deadline keeps its rule, its version and its due time.
    kept = deadlines(session, running)["immediate_measures"]
    assert (kept.rule.policy.version, kept.due_at) == (now, due_before)
    # A new case gets the new version: twelve hours, reminded four hours before.
    clock.set(local(2026, 12, 7, 10, 0))
    fresh = new_case(session, world)
    new = deadlines(session, fresh)["immediate_measures"]
    assert new.rule.policy.version == now + 1
    assert new.rule.reminders == ["4h"]
    assert new.due_at - new.start_at == timedelta(hours=12)
    # Rules not edited are copied into the new version unchanged.
    assert deadlines(session, fresh)["investigation_start"].rule.policy.version == now + 1

    # The case page names each deadline's version (the admin sees no case; the SAS does).
    session.flush()
    admin.post("/logout")
    admin.post("/login", data={"email": "sas@test.se", "password": "password"})
    old_page = admin.get(f"/arenden/{running.id}").get_data(as_text=True)
    new_page = admin.get(f"/arenden/{fresh.id}").get_data(as_text=True)
    assert f"Tidsfristregler version {now}" in old_page
    assert f"Tidsfristregler version {now + 1}" not in old_page
    assert f"Tidsfristregler version {now + 1}" in new_page

    # The older version stays readable.
    admin.post("/logout")
    admin.post("/login", data={"email": "admin@test.se", "password": "password"})
    html = admin.get(f"/admin/tidsfrister/version/{now}").get_data(as_text=True)
    assert "En äldre version." in html
    assert "24 timmar" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_saving_without_changes_makes_no_version(admin, session, now):
    response = admin.post(PATH, data=V1)
    assert response.status_code == 302
    assert versions(session) == now
    assert "Inget ändrades, så ingen ny version skapades." in admin.get(
        "/admin/tidsfrister"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_value": "tolv"}, "duration_value", "Ange ett heltal."),
        ({"duration_value": "-1"}, "duration_value", "Ange ett heltal från 0 till 1000."),
        (
            {"reminders": "snart"},
            "reminders",
            "Skriv påminnelserna som till exempel ”halvvägs, 1 arbetsdag”.",
        ),
        ({"reminders": "halvvägs, 1 dag, 2 timmar"}, "reminders", "Ange högst två påminnelser."),
        ({"legal_basis": " "}, "legal_basis", "Fältet måste fyllas i."),
        (
            {"cap_months": "2"},
            "cap_anchor",
            "Ange både taket i månader och vad det räknas från, eller inget av dem.",
        ),
        (
            {"duration_unit": "own_date"},
            "duration_unit",
            "Bara åtgärdernas tidsfrister räknas till åtgärdens eget slutdatum",
        ),
        ({"escalation_target": "nobody"}, "escalation_target", "Inte ett giltigt val"),
    ],
)
def test_refused_edits_are_422_in_swedish_with_the_values_kept(
    admin, session, changes, field, message, now
):
    response = admin.post(PATH, data={**V1, "note": "Försök", **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Uppgifterna är inte kompletta eller felaktiga." in html
    assert message in html
    assert f'id="{field}-error"' in html
    assert 'value="Försök"' in html
    if "reminders" in changes:
        assert f'value="{changes["reminders"]}"' in html
    assert versions(session) == now


@pytest.mark.parametrize(
    "email", ["sas@test.se", "mas@test.se", "manager@test.se", "chair@test.se"]
)
def test_only_the_admin_edits_the_rules(client, auth, world, session, email, now):
    auth.login(email)
    assert client.get("/admin/tidsfrister").status_code == 403
    assert client.get(PATH).status_code == 403
    assert client.post(PATH, data={**V1, "duration_value": "1"}).status_code == 403
    assert versions(session) == now


def test_unknown_rules_and_versions_are_404(admin):
    assert admin.get("/admin/tidsfrister/deviation/immediate_measures").status_code == 404
    assert admin.get("/admin/tidsfrister/version/9").status_code == 404
