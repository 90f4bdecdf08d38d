"""`flask demo seed` (and `flask demo generate`, which seeds first) refuse a database that has
users of its own: the demo password is published in the README."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Case, User


def _demo_users(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(
        select(func.count()).select_from(User).where(User.email.like("%@exempelby.se"))
    )


def test_seed_refuses_a_database_with_real_users(app, session, world):
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "användare som inte är demoanvändare" in result.output
    assert _demo_users(session) == 0


def test_generate_refuses_too(app, session, world):
    cases = session.scalar(select(func.count()).select_from(Case))
    args = ["demo", "generate", "--profile", "tiny", "--if-empty"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert "användare som inte är demoanvändare" in result.output
    assert _demo_users(session) == 0
    assert session.scalar(select(func.count()).select_from(Case)) == cases


def test_seed_runs_again_beside_its_own_users(app, session, monkeypatch):
    from tests.factories import _password_hash

    monkeypatch.setattr("app.cli.users.hash_password", lambda _password: _password_hash())
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert "finns redan" in again.output
