"""flask users create|list|token and flask demo seed, through Click's runner on the test app.

The commands commit; in the test's transaction that only releases a savepoint, so nothing
outlives the test.
"""

from __future__ import annotations

import contextvars
import json

import pytest
from flask.globals import _cv_app
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.models import ROLES, ApiToken, Case, Unit, User, hash_token


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def invoke(runner, *args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def user_by_email(session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def test_users_create(runner, session, world):
    result = invoke(
        runner,
        "users",
        "create",
        "--email",
        "Ny.Chef@Test.se",
        "--name",
        "Ny Chef",
        "--role",
        "manager",
        "--role",
        "reporter",
        "--title",
        "Enhetschef",
        "--unit",
        "Linden",
        "--password",
        "hemligt-lösen",
    )
    assert "ny.chef@test.se" in result.output.lower()
    user = user_by_email(session, "ny.chef@test.se")
    assert user is not None
    assert (user.name, user.title, user.roles) == ("Ny Chef", "Enhetschef", {"manager", "reporter"})
    assert [u.name for u in user.managed_units] == ["Linden"]
    assert check_password_hash(user.password_hash, "hemligt-lösen")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "sas@test.se", "--name", "Dubblett", "--role", "sas"], "already exists"),
        (["--email", "x@test.se", "--name", "X", "--role", "boss"], "boss"),
        (
            ["--email", "x@test.se", "--name", "X", "--role", "manager", "--unit", "Ingenstans"],
            "Ingenstans",
        ),
    ],
)
def test_users_create_refuses_bad_input(runner, session, world, args, message):
    count = session.scalar(select(func.count()).select_from(User))
    result = invoke(runner, "users", "create", *args, "--password", "x", ok=False)
    assert result.exit_code != 0
    assert message in result.output
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(User)) == count


def test_users_list_json(runner, world):
    result = invoke(runner, "users", "list", "--json")
    rows = json.loads(result.output)
    by_email = {row["email"]: row for row in rows}
    assert set(by_email) == {u.email for u in world.users().values()}
    assert by_email["area.manager@test.se"] == {
        "email": "area.manager@test.se",
        "name": "Area.Manager",
        "roles": ["manager"],
        "units": ["Äldreomsorg"],
        "active": True,
    }
    assert by_email["manager@test.se"]["roles"] == ["manager", "reporter"]
    assert [row["email"] for row in rows] == sorted(by_email)


def test_users_list_plain(runner, world):
    result = invoke(runner, "users", "list")
    assert "sas@test.se" in result.output
    assert "[Solgården]" in result.output


def test_users_token_authenticates(app, runner, session, world):
    result = invoke(runner, "users", "token", "SAS@test.se")
    token = result.output.strip()
    assert token.startswith("lxf_")
    session.expire_all()
    row = session.scalar(select(ApiToken).where(ApiToken.user_id == world.sas.id))
    assert row.token_hash == hash_token(token)
    assert token not in {row.token_hash}

    assert bearer_user(app, token) == world.sas.id
    assert bearer_user(app, token + "x") is None
    row.revoked = True
    session.flush()
    assert bearer_user(app, token) is None


def bearer_user(app, token: str) -> int | None:
    """Who a request with this bearer token is, in its own app context as a server would see it
    (Flask-Login caches the user in ``g``, which lives in the app context)."""

    def run() -> int | None:
        _cv_app.set(None)  # type: ignore[arg-type]
        with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
            return current_user.id if current_user.is_authenticated else None

    return contextvars.copy_context().run(run)


def test_users_token_for_an_unknown_user(runner, world):
    result = invoke(runner, "users", "token", "nobody@test.se", ok=False)
    assert result.exit_code != 0
    assert "nobody@test.se" in result.output


DEMO_ROLES = {"reporter", "manager", "sas", "mas", "chair", "admin", "log_reviewer"}


def demo_counts(session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (User, Unit, Case))


def test_demo_seed_creates_a_municipality_once(runner, session):
    result = invoke(runner, "demo", "seed")
    assert "lexflode-demo" in result.output
    users = session.scalars(select(User).where(User.email.like("%@exempelby.se"))).all()
    assert set(ROLES) == DEMO_ROLES
    for role in DEMO_ROLES:
        assert [u for u in users if u.has_role(role)], role
        assert any(u.email in result.output for u in users if u.has_role(role))
    assert all(check_password_hash(u.password_hash, "lexflode-demo") for u in users)

    cases = session.scalars(select(Case).order_by(Case.id)).all()
    # Complaints and views are among the demo's cases too (DOMAIN.md §3.4).
    assert {c.case_type for c in cases} == {"lex_sarah", "lex_maria", "deviation", "complaint"}
    # Walked through the real operations, so each has its history: a report or a registered
    # complaint, or the case it was created from.
    first = ("submit", "register_complaint", "converted_from", "escalated_from")
    assert all(c.events and c.events[0].trigger in first for c in cases)
    assert len({c.state for c in cases}) > 1
    manager = next(u for u in users if u.email == "enhetschef@exempelby.se")
    assert {u.name for u in manager.managed_units} == {
        "Solgårdens särskilda boende",
        "Gruppbostaden Linden",
    }

    before = demo_counts(session)
    again = invoke(runner, "demo", "seed")
    assert "finns redan" in again.output
    assert demo_counts(session) == before
