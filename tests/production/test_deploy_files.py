"""deploy/ holds what an IT department copies onto a server: the files must be accepted by the
tools that read them (systemd-analyze verify, nginx -t) and must name only commands, options and
settings that exist."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import app.config as defaults

from .support import NGINX, ROOT, nginx_config

pytestmark = pytest.mark.production

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("lexflode-*"))


def _exec_start(unit: Path) -> list[str]:
    [line] = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    verify = shutil.which("systemd-analyze")
    if verify is None:
        pytest.skip("systemd-analyze is not installed")
    venv_bin = str(Path(sys.executable).parent)
    # The units as shipped, with this machine's virtual environment for /opt/lexflode/venv.
    for unit in UNITS:
        text = unit.read_text().replace("/opt/lexflode/venv/bin", venv_bin)
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(  # noqa: S603
        [verify, "verify", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_units_run_commands_that_exist(app) -> None:  # type: ignore[no-untyped-def]
    """Each flask command line of a unit parses against the app's own CLI."""
    commands = {unit.name: _exec_start(unit) for unit in UNITS if unit.suffix == ".service"}
    assert commands["lexflode-web.service"] == [
        "/opt/lexflode/venv/bin/gunicorn",
        "--config",
        "/opt/lexflode/gunicorn.conf.py",
    ]
    flask_lines = {
        name: args[args.index("app") + 1 :]
        for name, args in commands.items()
        if args[0].endswith("/flask")
    }
    assert set(flask_lines) == {"lexflode-scheduler.service", "lexflode-retention.service"}
    assert flask_lines["lexflode-scheduler.service"] == ["scheduler", "run"]
    assert flask_lines["lexflode-retention.service"][:2] == ["retention", "run"]
    for args in flask_lines.values():
        group = app.cli.get_command(click.Context(app.cli), args[0])
        command = group.get_command(click.Context(group), args[1])
        command.make_context(args[1], args[2:])  # refuses an unknown option


def test_the_timer_starts_the_retention_run_monthly() -> None:
    timer = (DEPLOY / "systemd" / "lexflode-retention.timer").read_text()
    assert re.search(r"^OnCalendar=\*-\*-01 ", timer, re.MULTILINE)
    assert "Persistent=true" in timer
    assert (DEPLOY / "systemd" / "lexflode-retention.service").exists()


def test_the_environment_example_names_real_settings() -> None:
    names = [
        line.split("=", 1)[0].lstrip("#")
        for line in (DEPLOY / "lexflode.env.example").read_text().splitlines()
        if re.match(r"#?[A-Z_]+=", line)
    ]
    settings = {name for name in dir(defaults) if name.isupper()}
    unknown = [n for n in names if n.startswith("LEXFLODE_") and n[9:] not in settings]
    # INSTANCE_PATH is read by create_app itself, before any configuration.
    assert unknown == ["LEXFLODE_INSTANCE_PATH"]
    gunicorn_conf = (ROOT / "gunicorn.conf.py").read_text()
    for name in (n for n in names if not n.startswith("LEXFLODE_") and n != "FLASK_APP"):
        assert f'"{name}"' in gunicorn_conf, f"gunicorn.conf.py does not read {name}"
    assert "LEXFLODE_ENV_NAME=production" in (DEPLOY / "lexflode.env.example").read_text()


def test_nginx_takes_what_the_app_takes() -> None:
    site = (DEPLOY / "nginx" / "lexflode.conf").read_text()
    [size] = re.findall(r"client_max_body_size (\d+)m;", site)
    assert int(size) * 1024 * 1024 == defaults.MAX_CONTENT_LENGTH
    assert re.search(r"location = /metrics \{\s*return 404;\s*\}", site)


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx-light)")
    config = nginx_config(tmp_path, 8443, 8080, 8000)
    result = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-c", str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_command_wrapper_is_a_valid_script() -> None:
    """deploy/lexflode-flask needs systemd as PID 1 to run (systemd-run); here its syntax and
    that it runs the units' flask with the units' environment file."""
    wrapper = DEPLOY / "lexflode-flask"
    assert wrapper.stat().st_mode & 0o111
    subprocess.run(["sh", "-n", str(wrapper)], check=True)  # noqa: S603, S607
    text = wrapper.read_text()
    web = (DEPLOY / "systemd" / "lexflode-web.service").read_text()
    assert "--property=EnvironmentFile=/etc/lexflode/lexflode.env" in text
    assert "EnvironmentFile=/etc/lexflode/lexflode.env" in web
    assert "/opt/lexflode/venv/bin/flask --app app" in text
