"""The wheel is the release: built from the source, installed into a clean virtual environment
from the production lock alone (requirements/app.txt, hashes checked, nothing resolved), it
migrates a fresh database and serves its pages — templates, static files, the English catalogue
and the migrations all came with it, nothing from the source tree.

On SQLite always; on PostgreSQL too when LEXFLODE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.clock.smtp import free_port

from .support import ROOT, Browser, Process, clean_env, postgres_database, run, wait_for

pytestmark = pytest.mark.production

# What goes into the wheel is decided by pyproject.toml; the rest of the tree stays behind, so
# that a file read from the source tree instead of the package could not pass by accident.
LEFT_BEHIND = {
    ".git", ".venv", ".ci", "instance", "tests", "bench", "docs", "deploy", "requirements",
    "test-artifacts", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", "node_modules",
}  # fmt: skip
PASSWORD = "ett-langt-losenord-for-testet"  # noqa: S105


def _source_copy(target: Path) -> Path:
    def ignore(_directory: str, names: list[str]) -> set[str]:
        return {n for n in names if n in LEFT_BEHIND or n.endswith((".egg-info", ".pyc"))}

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the lock and the freshly built wheel, and nothing else."""
    work = tmp_path_factory.mktemp("wheel")
    env = clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    source = _source_copy(work / "source")
    run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(work / "dist"),
        ],
        env,
        source,
        timeout=180,
    )
    [wheel] = (work / "dist").glob("lexflode-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], env, work)
    pip = str(venv / "bin" / "pip")
    requirements = str(ROOT / "requirements" / "app.txt")
    run([pip, "install", "--quiet", "--require-hashes", "--no-deps", "-r", requirements], env, work)
    run([pip, "install", "--quiet", "--no-deps", str(wheel)], env, work)
    # Everything the lock names and nothing it does not: pip finds no requirement unmet.
    run([pip, "check"], env, work)
    return venv


DATABASES = ["sqlite"] + (
    ["postgresql"]
    if os.environ.get("LEXFLODE_TEST_DATABASE_URL", "").startswith("postgresql")
    else []
)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "instance" / "lexflode.sqlite3")
        return
    with postgres_database(os.environ["LEXFLODE_TEST_DATABASE_URL"]) as url:
        yield url


def test_the_wheel_migrates_and_serves_from_its_own_files(
    installed: Path, database_url: str, tmp_path: Path
) -> None:
    bin_dir = installed / "bin"
    instance = tmp_path / "instance"
    port = free_port()
    # A working directory with no source in it: `flask` puts the current directory on sys.path.
    here = tmp_path / "run"
    here.mkdir()
    env = clean_env(
        FLASK_APP="app",
        LEXFLODE_INSTANCE_PATH=str(instance),
        LEXFLODE_DATABASE_URL=database_url,
        LEXFLODE_SCHEDULER_EMBEDDED="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    flask = str(bin_dir / "flask")

    package = run([str(bin_dir / "python"), "-c", "import app; print(app.__file__)"], env, here)
    assert package.strip().startswith(str(installed)), package

    # The migrations came with the package: they build the schema, and it matches the models.
    assert "Databasen är uppdaterad." in run([flask, "db", "upgrade"], env, here)
    assert "stämmer överens" in run([flask, "db", "check"], env, here)
    # The instance folder is the one named, not one inside the virtual environment.
    assert (instance / "secret_key").exists()
    if database_url.startswith("sqlite"):
        with sqlite3.connect(instance / "lexflode.sqlite3") as db:
            assert db.execute("SELECT version_num FROM alembic_version").fetchone()

    assert "/login" in run([flask, "routes"], env, here)
    run(
        [flask, "users", "create", "--email", "rapportor@kommun.test", "--name", "Rut Rapportör",
         "--role", "reporter", "--password", PASSWORD],
        env,
        here,
    )  # fmt: skip

    gunicorn = Process.start(
        "gunicorn",
        [str(bin_dir / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")],
        env,
        here,
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")

        def login_page() -> bool:
            assert gunicorn.alive(), gunicorn.output()
            try:
                return browser.get("/login").status == 200
            except OSError:
                return False

        wait_for(login_page, 30, "the login page")
        # Templates and the static files of the package.
        assert "Logga in" in browser.last_page
        stylesheet = browser.get("/static/style.css")
        assert stylesheet.status == 200
        assert stylesheet.headers["Content-Type"].startswith("text/css")
        assert len(stylesheet.body) > 1000

        # The compiled English catalogue of the package: the user chooses English.
        browser.login("rapportor@kommun.test", PASSWORD)
        assert browser.get("/konto").status == 200
        assert browser.post("/konto", {"locale": "en"}).status == 302
        page = browser.get("/konto")
        assert page.status == 200
        assert '<html lang="en">' in page.body
        assert "The language is saved." in page.body
        assert "Sign out" in page.body
        assert "Logga ut" not in page.body
    finally:
        status = gunicorn.stop(timeout=40)
    assert status == 0, gunicorn.output()
