"""Benchmark: the pages, the API, a report, a transition, a PDF and the sweep, against the real
server on PostgreSQL, in one table.

    .venv/bin/python bench/run.py --database-url postgresql://postgres@127.0.0.1:5432/lexflode

The database holds the demo users (`flask demo seed`) and as many cases as the run is about
(`flask demo generate`). By default gunicorn is started here (``app:create_app()``, sync
workers, never recycled) on a free port and stopped at the end; with --url a server already
running is measured instead (--worker-pid names its workers, for the memory figures).

Several clients, each a thread with its own signed-in session, send each scenario's requests
at once (bench/client.py); each scenario gives the median and 95th percentile, and the ratio of
its median to the floor's, the login page measured first in the same run. The statistics page
and the sweep are also compared with the bare SQL they need (bench/bare_sql.py). Every response
is checked; a scenario with errors is flagged, and the exit status is 1.

The run leaves its reports behind (lex Sarah cases in a unit of the demo manager, their
immediate measures recorded): real cases, written by the real code.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import bare_sql  # noqa: E402
import facts as database  # noqa: E402
import scenarios  # noqa: E402
import table  # noqa: E402
from client import BenchError, Call, Client, Timing, run_calls  # noqa: E402
from facts import PASSWORD, USERS, Facts  # noqa: E402
from server import Server, machine, rss_kib  # noqa: E402

# --- in-process: the API token, the statistics' SQL, the sweep ---------------------------------


def issue_token(app: Any, email: str) -> tuple[str, int]:
    """An API token, made as `flask users token` makes it; dropped again at the end."""
    from sqlalchemy import func, select

    from app import db
    from app.models import ApiToken, User

    with app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            raise BenchError(f"no user {email}")
        row, token = ApiToken.issue(user)
        session.add(row)
        session.commit()
        return token, row.id


def drop_token(app: Any, token_id: int) -> None:
    from sqlalchemy import delete

    from app import db
    from app.models import ApiToken

    with app.app_context():
        session = db.session()
        session.execute(delete(ApiToken).where(ApiToken.id == token_id))
        session.commit()


def statistics_bare(app: Any, args: argparse.Namespace) -> Timing:
    """The statistics' statements as the page issues them, replayed as often and by as many
    clients at once as the page was asked for."""
    timing = Timing("bare SQL", requests=args.heavy_requests)
    try:
        capture = bare_sql.statistics_statements(app, USERS["sas"], PASSWORD, args.year)
        timing.name = f"bare SQL ({len(capture.kept)} statements)"
        timing.ms = bare_sql.time_replay(
            args.database_url, capture.kept, args.heavy_requests, args.bare_clients or args.clients
        )
    except Exception as error:  # still printed in the table, flagged
        timing.errors[f"statistics' SQL: {type(error).__name__}: {error}"] += 1
    return timing


def sweep(app: Any, args: argparse.Namespace) -> Timing:
    """One sweep at a time, as the scheduler runs it, and its statements replayed likewise."""
    now, due = bare_sql.due_moment(bare_sql.engine_of(app), args.due)
    if now is None:
        timing = Timing("deadline sweep, in-process")
        timing.errors["no open deadline with a next action"] += 1
        return timing
    try:
        run = bare_sql.measure_sweep(app, now, due, args.repeats)
    except Exception as error:  # still printed in the table, flagged
        timing = Timing(f"deadline sweep, in-process ({due} due)")
        timing.errors[f"{type(error).__name__}: {error}"] += 1
        return timing
    timing = Timing(
        f"deadline sweep, in-process ({due} due)",
        ms=run.ms,
        requests=args.repeats,
        note=f"as of {now:%Y-%m-%d %H:%M} UTC; {run.acts} acts, {run.notified} notifications",
    )
    timing.bare = Timing(f"bare SQL ({len(run.statements)} statements)", requests=args.repeats)
    try:
        timing.bare.ms = bare_sql.time_replay(args.database_url, run.statements, args.repeats)
    except Exception as error:  # still printed in the table, flagged
        timing.bare.errors[f"sweep's SQL: {type(error).__name__}: {error}"] += 1
    return timing


# --- the run -----------------------------------------------------------------------------------


def clients(base_url: str, args: argparse.Namespace, token: str) -> dict[str, list[Client]]:
    """``--clients`` of each kind: anonymous, signed in as each role the scenarios use (each
    through the login form, so each with its own session), and holding the API token."""
    pools: dict[str, list[Client]] = {"anonymous": [], "api": []}
    for _ in range(args.clients):
        pools["anonymous"].append(Client(base_url, args.timeout))
        api = Client(base_url, args.timeout)
        api.bearer = token
        pools["api"].append(api)
        for role in ("sas", "manager", "reporter"):
            client = Client(base_url, args.timeout)
            client.login(USERS[role], PASSWORD)
            pools.setdefault(role, []).append(client)
    return pools


def memory_of(pids: list[int]) -> dict[int, int | None]:
    return {pid: rss_kib(pid) for pid in pids}


def measure_http(
    args: argparse.Namespace,
    facts: Facts,
    pools: dict[str, list[Client]],
    app: Any,
    pids: Callable[[], list[int]],
) -> tuple[list[Timing], list[str], dict[int, int | None]]:
    notes: list[str] = []
    api_page = scenarios.deep_page(pools["api"][0], args.api_page)
    if api_page[1] < args.api_page:
        notes.append(f"the API has only {api_page[1]} pages for the SAS: the last one is timed")
    s = facts.sample
    reads = scenarios.reading(args.requests, args.heavy_requests, args.year, s, api_page)
    pdf = scenarios.ivo_report(args.heavy_requests, s)

    def run(scenario: scenarios.Scenario, calls: list[Call] | None = None) -> Timing:
        timing = run_calls(
            scenario.name, pools[scenario.who], scenario.calls if calls is None else calls
        )
        # Which scenario a worker's memory grows in (in the JSON; the table has before/after).
        timing.worker_kib = max((v or 0 for v in memory_of(pids()).values()), default=None)
        return timing

    # Each worker serves each kind of request a few times before anything is timed: the first
    # of a kind in a process compiles templates, queries and state machines.
    times = 2 * max(args.workers, 1)
    for scenario in [scenarios.floor(times), *reads, pdf]:
        run(scenario, scenarios.cycle(scenario.calls, times))
    warm: list[int] = []
    run(scenarios.reports(times, facts.report_unit, warm))
    run(scenarios.transitions(warm))

    before = memory_of(pids())
    timings = [run(scenarios.floor(args.requests))]
    for scenario in reads:
        timings.append(run(scenario))
        if scenario.name.startswith("statistics"):
            timings[-1].bare = statistics_bare(app, args)
    created: list[int] = []
    timings.append(run(scenarios.reports(args.writes, facts.report_unit, created)))
    timings.append(run(scenarios.transitions(created)))
    if len(created) < args.writes:
        timings[-1].note = f"only {len(created)} reported cases to act on"
    if pdf.calls:
        timings.append(run(pdf))
    else:
        missing = Timing("IVO report PDF", note="no lex Sarah case with a decision to file")
        missing.errors["no case to download the IVO report of"] += 1
        timings.append(missing)
    return timings, notes, before


def measure(
    args: argparse.Namespace, facts: Facts, base_url: str, app: Any, pids: Callable[[], list[int]]
) -> tuple[list[Timing], dict[str, Any], list[str]]:
    token, token_id = issue_token(app, USERS["sas"])
    try:
        pools = clients(base_url, args, token)
        timings, notes, before = measure_http(args, facts, pools, app, pids)
        after = memory_of(pids())
    finally:
        drop_token(app, token_id)
    timings.append(sweep(app, args))
    return timings, table.memory(before, after), notes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    p.add_argument("--database-url", required=True, help="postgresql://… of the loaded database")
    p.add_argument("--url", help="a server already running (default: start gunicorn here)")
    p.add_argument(
        "--worker-pid",
        type=int,
        action="append",
        default=[],
        help="with --url: a worker process to measure the memory of (repeatable)",
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    p.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
    p.add_argument("--requests", type=int, default=100, help="requests per reading scenario (100)")
    p.add_argument(
        "--heavy-requests", type=int, default=40, help="requests for statistics and PDF (40)"
    )
    p.add_argument("--writes", type=int, default=40, help="reports, and transitions (40)")
    p.add_argument("--repeats", type=int, default=10, help="sweeps, and its bare SQL (10)")
    p.add_argument(
        "--bare-clients",
        type=int,
        help="connections replaying the statistics' SQL at once (default: --clients, as the page)",
    )
    p.add_argument("--due", type=int, default=200, help="deadlines due in the sweep (200)")
    p.add_argument("--sample", type=int, default=20, help="cases for case page and PDF (20)")
    p.add_argument("--api-page", type=int, default=500, help="the deep API page (500)")
    p.add_argument(
        "--year", type=int, default=datetime.now(UTC).year, help="statistics year (this year)"
    )
    p.add_argument("--timeout", type=float, default=120, help="seconds per request (120)")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    return p.parse_args(argv)


def header(
    args: argparse.Namespace, facts: Facts, started: datetime, served: str, info: dict[str, Any]
) -> list[str]:
    types = ", ".join(f"{t} {n:,}" for t, n in sorted(facts.per_type.items()))
    return [
        f"Lexflöde benchmark, {started:%Y-%m-%d %H:%M} UTC",
        f"machine:  {info['cores']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"load average {info['load']} at the start",
        f"software: PostgreSQL {facts.pg_version}, Python {info['python']}",
        f"server:   {served}; {args.clients} concurrent clients",
        f"database: {facts.database}, {facts.cases:,} cases ({types})",
        f"n: reads {args.requests}, statistics and PDF {args.heavy_requests}, writes "
        f"{args.writes}, sweeps {args.repeats}; times in ms, × floor = median / login page's",
    ]


def stop_on_sigterm() -> None:
    """SIGTERM as Ctrl-C: the finally blocks stop the server and drop the token."""

    def handler(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    started = datetime.now(UTC)
    clock = time.monotonic()
    info = machine()
    server: Server | None = None
    timings: list[Timing] = []
    try:
        facts = database.read(args.database_url, args.sample)
        app = bare_sql.make_app(args.database_url)
        if args.url:
            base_url, served = args.url.rstrip("/"), f"{args.url} (already running)"

            def pids() -> list[int]:
                return list(args.worker_pid)

        else:
            server = Server(args.database_url, args.workers)
            server.wait_ready()
            base_url, pids = server.url, server.worker_pids
            served = f"gunicorn, {args.workers} sync workers, started by this run"
        timings, memory, notes = measure(args, facts, base_url, app, pids)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            # The tracebacks of a server error are in its log: kept when anything failed.
            failed = any(t.errors or (t.bare and t.bare.errors) for t in timings)
            server.stop(keep_log=failed)
            if failed:
                print(f"bench: the server's log is kept in {server.log}", file=sys.stderr)
    notes.append(f"the run took {time.monotonic() - clock:.0f} s")
    lines = table.rows(timings)
    print(table.render(header(args, facts, started, served, info), lines, memory, notes))
    if args.json:
        figures = {
            "started": started.isoformat(),
            "machine": info,
            "database": {
                "name": facts.database,
                "postgresql": facts.pg_version,
                "cases": facts.cases,
                "per_type": facts.per_type,
            },
            "server": served,
            "clients": args.clients,
            "rows": lines,
            "memory": memory,
            "notes": notes,
        }
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 1 if any(line["errors"] for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
