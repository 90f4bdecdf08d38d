"""HTTP for the benchmark: a signed-in client per thread and a runner that spreads calls over
several of them at once.

Standard library only (http.client), so the benchmark adds no dependency. Cookies are kept by
hand: the app marks its session cookie Secure, and a cookie jar would not send it back over the
plain http a local benchmark uses. gunicorn's sync workers close the connection after every
response, so each request opens its own connection, as a browser's would against this server.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
IDS = re.compile(r"\d+")
Form = Sequence[tuple[str, str]]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class BenchError(Exception):
    """A precondition failed (no demo users, a login refused, a server that does not answer)."""


class Client:
    """One browser (cookies, the CSRF token of its session) or one API client (a token)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.https = parts.scheme == "https"
        self.port = parts.port or (443 if self.https else 80)
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.bearer = ""

    def request(self, method: str, path: str, form: Form | None = None) -> Response:
        headers = {"User-Agent": "lexflode-bench", "Accept-Language": "sv"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            headers["Authorization"] = f"Bearer {self.bearer}"
        body = None
        if form is not None:
            body = urlencode(list(form)).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = kind(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            content = raw.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        self._keep_cookies(raw.headers)
        return Response(raw.status, raw.headers, content, ms)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: Form) -> Response:
        """A form as a browser posts it: with the session's CSRF token."""
        return self.request("POST", path, [("csrf_token", self.csrf), *form])

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def login(self, email: str, password: str) -> None:
        """Through the real form: the login page's CSRF token, the POST, then a page of the
        signed-in session for the token its own forms carry (login starts a fresh session)."""
        page = self.get("/login")
        token = CSRF.search(page.text())
        if page.status != 200 or token is None:
            raise BenchError(f"GET /login answered {page.status} without a CSRF token")
        self.csrf = token.group(1)
        done = self.post("/login", [("email", email), ("password", password)])
        if done.status != 302 or "/login" in done.location:
            raise BenchError(
                f"login as {email} failed ({done.status}); is the database loaded with "
                "`flask demo seed`?"
            )
        page = self.get("/tillganglighet")
        token = CSRF.search(page.text())
        if page.status != 200 or token is None or 'action="/logout"' not in page.text():
            raise BenchError(f"no signed-in page after logging in as {email}")
        self.csrf = token.group(1)


# --- calls and their checks --------------------------------------------------------------------

# A check returns what is wrong with a response, or None.
Check = Callable[[Response], str | None]


def expect(status: int, content_type: str = "text/html") -> Check:
    def check(response: Response) -> str | None:
        if response.status != status:
            return f"status {response.status}, expected {status}"
        if status == 200 and not response.content_type.startswith(content_type):
            return f"content type {response.content_type!r}, expected {content_type}"
        return None

    return check


def redirect_to(path: str) -> Check:
    """A POST that succeeded: 302 to the page the app sends to after success (a refusal shows
    the form again with 4xx, and a lost session redirects to /login)."""

    def check(response: Response) -> str | None:
        if response.status != 302:
            return f"status {response.status}, expected a redirect"
        if urlsplit(response.location).path != path:
            return f"redirected to {response.location!r}"
        return None

    return check


@dataclass
class Call:
    method: str
    path: str
    check: Check
    form: Form | None = None
    # Runs after a good response (e.g. keeps the id of the case a report created).
    then: Callable[[Response], None] | None = None

    def run(self, client: Client) -> Response:
        if self.method == "POST":
            return client.post(self.path, self.form or [])
        return client.get(self.path)


@dataclass
class Timing:
    """The measurements of one scenario."""

    name: str
    ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    note: str = ""
    # The bare SQL the scenario needs, timed in the same run (bench/bare_sql.py).
    bare: Timing | None = None
    # The largest worker's VmRSS right after the scenario, where known.
    worker_kib: int | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.ms) if self.ms else None

    @property
    def p95(self) -> float | None:
        return percentile(self.ms, 95)


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest rank: a value that was measured."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def run_calls(name: str, clients: Sequence[Client], calls: Sequence[Call]) -> Timing:
    """Every call once, spread over the clients, which run at the same time (one thread
    each). A call that fails is counted, with what went wrong, and not timed."""
    timing = Timing(name, requests=len(calls))
    pending = list(reversed(calls))
    lock = threading.Lock()

    def work(client: Client) -> None:
        while True:
            with lock:
                if not pending:
                    return
                call = pending.pop()
            try:
                response = call.run(client)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    timing.errors[f"{type(error).__name__}: {error}"] += 1
                continue
            problem = call.check(response)
            with lock:
                if problem is None:
                    timing.ms.append(response.ms)
                else:
                    path = IDS.sub("<id>", call.path.split("?")[0])
                    timing.errors[f"{call.method} {path}: {problem}"] += 1
            if problem is None and call.then is not None:
                call.then(response)

    threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timing
