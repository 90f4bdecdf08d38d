"""Real processes over real HTTP for the production tests: start, wait, measure, stop, and a
small browser (cookies, CSRF tokens from the forms) that talks to gunicorn as nginx would."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def kill_signal(unit: str) -> signal.Signals:
    """The signal systemd stops deploy/systemd/<unit> with."""
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    found = re.search(r"^KillSignal=(\w+)$", text, re.MULTILINE)
    return signal.Signals[found.group(1)] if found else signal.SIGTERM


def wait_for(check: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    """Polls ``check`` until it returns something true; fails naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(interval)


def rss_mib(pid: int) -> float:
    """Resident memory of one process, from /proc (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError(f"no Threads for {pid}")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _as_systemd_starts_it() -> None:
    """systemd starts a service with every signal at its default action. A shell without job
    control (CI's `make test &`) starts its background jobs with SIGINT and SIGQUIT ignored, and
    Python then never turns SIGINT into KeyboardInterrupt; undo that in the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@dataclass
class Process:
    """A process of ours with its output in a file (read when something fails)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    started: float

    @classmethod
    def start(cls, name: str, args: list[str], env: dict[str, str], logs: Path) -> Process:
        log = logs / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(  # noqa: S603  (our own interpreter and programs)
                args,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=logs,
                preexec_fn=_as_systemd_starts_it,
            )
        return cls(name, popen, log, time.monotonic())

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float, sig: signal.Signals = signal.SIGTERM) -> int:
        """The signal systemd stops the service with (its KillSignal=, SIGTERM by default); the
        exit status, or a failure after ``timeout``."""
        if self.alive():
            self.popen.send_signal(sig)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(
                f"{self.name} did not stop within {timeout} s of SIGTERM:\n{self.output()}"
            ) from None

    def kill(self) -> None:
        """After a failure: SIGTERM first, so that nginx and gunicorn take their workers along
        (a master killed outright leaves them running), then SIGKILL."""
        if not self.alive():
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> str:
    """Runs a command to its end; fails with its output unless it exits 0."""
    result = subprocess.run(  # noqa: S603  (our own interpreter and programs)
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{args} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    )
    return result.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a machine that has nothing of the test's own settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LEXFLODE_", "FLASK_", "PYTEST", "PROMETHEUS_", "GUNICORN_"))
        and k not in {"WEB_CONCURRENCY", "VIRTUAL_ENV", "PYTHONPATH"}
    }
    return {**env, **extra}


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A database of its own beside LEXFLODE_TEST_DATABASE_URL's, dropped afterwards."""
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"lexflode_prod_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name, drivername="postgresql").render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


ENROLMENT = "/inloggning/tvastegsverifiering"


@dataclass
class Browser:
    """A person's browser behind nginx: nginx ends TLS and tells gunicorn so (X-Forwarded-Proto
    from loopback, which gunicorn's forwarded_allow_ips trusts) and names the client
    (X-Forwarded-For, which the app's PROXY_COUNT=1 believes). Redirects are not followed, so
    that the test sees each answer; cookies are kept, Secure ones too (the test is the proxy)."""

    base: str
    client_address: str = "192.0.2.10"
    jar: http.cookiejar.CookieJar = field(
        default_factory=lambda: http.cookiejar.CookieJar(
            http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        )
    )
    last_page: str = ""
    # Over https (through nginx): the context that trusts the test's certificate.
    tls: ssl.SSLContext | None = None

    def _open(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        request = urllib.request.Request(  # noqa: S310  (loopback, our own server)
            self.base + path,
            data=data,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": self.client_address,
                **(headers or {}),
            },
        )
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=self.tls),
            _NoRedirect(),
        )
        try:
            with opener.open(request, timeout=30) as answer:
                return Response(answer.status, dict(answer.headers), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        response = self._open(path, headers=headers)
        if response.status == 200:
            self.last_page = response.body
        return response

    def post(self, path: str, fields: dict[str, Any]) -> Response:
        """Posts a form with the CSRF token of the page last shown (as a browser would)."""
        token = CSRF.search(self.last_page)
        assert token, "no CSRF token on the page last shown"
        pairs: list[tuple[str, str]] = [("csrf_token", token.group(1))]
        for name, value in fields.items():
            values = value if isinstance(value, list) else [value]
            pairs.extend((name, str(v)) for v in values)
        body = urllib.parse.urlencode(pairs).encode()
        # Over https Flask-WTF also wants a Referer from the same origin, as browsers send.
        origin = "https://" + urllib.parse.urlsplit(self.base).netloc
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + path,
        }
        return self._open(path, data=body, headers=headers)

    def login(self, email: str, password: str) -> None:
        assert self.get("/login").status == 200
        response = self.post("/login", {"email": email, "password": password})
        assert response.status == 302, response.body[:2000]
        assert not response.headers["Location"].endswith("/login")
        if response.headers["Location"].endswith(ENROLMENT):
            self.enrol_second_factor()

    def enrol_second_factor(self) -> None:
        """The enrolment production forces on a role that reads case content (or administers):
        the key read off the page as a person would type it into their app, the code from it."""
        import pyotp

        page = self.get(ENROLMENT)
        assert page.status == 200, page.body[:2000]
        key = re.search(r'<code class="secret-key" id="secret">([A-Z2-7 ]+)</code>', page.body)
        assert key, page.body[:3000]
        code = pyotp.TOTP(key.group(1).replace(" ", "")).now()
        done = self.post(ENROLMENT, {"code": code})
        assert done.status == 200, done.body[:2000]
        assert "återställningskoder" in done.body


NGINX = "/usr/sbin/nginx"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (openssl), for nginx in a test."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        os.environ.copy(),
        directory,
    )  # fmt: skip
    return cert, key


def nginx_config(directory: Path, https_port: int, http_port: int, upstream_port: int) -> Path:
    """deploy/nginx/lexflode.conf as shipped, moved to free loopback ports, a test certificate
    and the test's directory; inside a minimal main configuration. Returns nginx.conf."""
    cert, key = self_signed_certificate(directory)
    site = (ROOT / "deploy" / "nginx" / "lexflode.conf").read_text()
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "/etc/ssl/lexflode/fullchain.pem": str(cert),
        "/etc/ssl/lexflode/privkey.pem": str(key),
        "/var/log/nginx/": f"{directory}/",
        # Not on 443: the name people use includes the port (as the file itself says).
        "proxy_set_header Host $host;": "proxy_set_header Host $host:$server_port;",
        "proxy_set_header X-Forwarded-Host $host;": (
            "proxy_set_header X-Forwarded-Host $host:$server_port;"
        ),
    }
    for shipped, here in replacements.items():
        assert shipped in site, f"deploy/nginx/lexflode.conf no longer has {shipped!r}"
        site = site.replace(shipped, here)
    (directory / "lexflode.conf").write_text(site)
    temp = directory / "temp"
    temp.mkdir()
    main = directory / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
        + "worker_processes 1;\nevents {}\nhttp {\n"
        + f"    access_log {directory}/access.log;\n"
        + "".join(
            f"    {kind}_temp_path {temp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {directory}/lexflode.conf;\n}}\n"
    )
    return main
