"""/admin: the system administrator's pages, and no one else's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Category

PAGES = [
    "/admin",
    "/admin/kategorier",
    "/admin/kategorier/ny",
    "/admin/installningar",
    "/admin/kategorier/{fall}",
]
POSTS = [
    "/admin/kategorier/ny",
    "/admin/installningar",
    "/admin/kategorier/{fall}",
    "/admin/kategorier/{fall}/aktiv",
]
NOT_ADMINS = [
    "reporter",
    "other_reporter",
    "manager",
    "other_manager",
    "area_manager",
    "sas",
    "mas",
    "chair",
    "log_reviewer",
]


def category_id(session, name: str) -> int:
    return session.scalars(select(Category.id).where(Category.name == name)).one()


def _url(session, path: str) -> str:
    return path.format(fall=category_id(session, "Fall"))


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_every_other_role_is_refused(client, auth, session, world, who):
    auth.login(getattr(world, who).email)
    for path in PAGES:
        response = client.get(_url(session, path))
        assert response.status_code == 403, path
        assert "Du har inte behörighet" in response.get_data(as_text=True)
    for path in POSTS:
        assert client.post(_url(session, path), data={"name": "X"}).status_code == 403, path


def test_a_refused_post_changes_nothing(client, auth, session, world):
    from app.models import get_setting

    auth.login(world.sas.email)
    fall = category_id(session, "Fall")
    client.post(f"/admin/kategorier/{fall}/aktiv", data={"active": "0"})
    client.post(
        "/admin/installningar",
        data={
            "escalation_severity": "1",
            "escalation_score": "1",
            "deciding_role_lex_sarah": "sas",
            "deciding_role_lex_maria": "sas",
        },
    )
    session.expire_all()
    assert session.get(Category, fall).active is True
    assert get_setting(session, "escalation.severity") == 3
    assert get_setting(session, "deciding_role.lex_sarah") == "chair"


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/admin/installningar")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_user_with_admin_among_other_roles_gets_in(client, auth, session, world):
    world.chair.set_roles(["chair", "admin"])
    session.flush()
    auth.login(world.chair.email)
    assert client.get("/admin").status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_the_admin_sees_every_page(client, auth, session, world, path):
    auth.login(world.admin.email)
    response = client.get(_url(session, path))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>" in html
    # Every form the admin posts carries the CSRF token (CSRFProtect checks it app-wide).
    assert html.count('method="post"') == html.count('name="csrf_token"')


def test_the_index_links_to_categories_and_settings(client, auth, world):
    auth.login(world.admin.email)
    html = client.get("/admin").get_data(as_text=True)
    assert 'href="/admin/kategorier"' in html
    assert 'href="/admin/installningar"' in html
    assert "15 aktiva kategorier" in html
    assert "Nämndens ordförande" in html


def test_an_unknown_category_is_404(client, auth, world):
    auth.login(world.admin.email)
    assert client.get("/admin/kategorier/999999").status_code == 404
    assert client.post("/admin/kategorier/999999/aktiv", data={"active": "0"}).status_code == 404


def test_the_admin_sees_no_case_content(client, auth, session, world):
    from tests.factories import case_in

    case = case_in(session, world, "under_investigation")
    auth.login(world.admin.email)
    for path in PAGES:
        html = client.get(_url(session, path)).get_data(as_text=True)
        assert case.reference not in html
        assert "badrummet" not in html
    assert client.get(f"/arenden/{case.id}").status_code == 403
