"""The one table the benchmark prints (and the same figures as JSON)."""

from __future__ import annotations

from typing import Any

from client import Timing


def row(timing: Timing, floor: float | None, name: str | None = None) -> dict[str, Any]:
    median, bare = timing.median, timing.bare
    return {
        "scenario": name or timing.name,
        "n": timing.requests,
        "median_ms": median,
        "p95_ms": timing.p95,
        "x_floor": median / floor if median is not None and floor else None,
        "x_bare_sql": median / bare.median if median is not None and bare and bare.median else None,
        "errors": sum(timing.errors.values()),
        "error_detail": dict(timing.errors),
        "note": timing.note,
        "worker_rss_mib_after": timing.worker_kib / 1024 if timing.worker_kib else None,
    }


def rows(timings: list[Timing]) -> list[dict[str, Any]]:
    """A row per scenario, the first being the floor, each followed by its bare SQL if any."""
    floor = timings[0].median if timings else None
    out = []
    for timing in timings:
        out.append(row(timing, floor))
        if timing.bare is not None:
            out.append(row(timing.bare, None, "  " + timing.bare.name))
    return out


def memory(before: dict[int, int | None], after: dict[int, int | None]) -> dict[str, Any]:
    """VmRSS of the workers before the first timed request and after the last; the largest
    worker is the figure (the two serve alike)."""
    pids = [p for p in after if before.get(p) and after.get(p)]
    if not pids:
        return {}
    return {
        "workers": len(pids),
        "before_mib": max(before[p] or 0 for p in pids) / 1024,
        "after_mib": max(after[p] or 0 for p in pids) / 1024,
        "per_worker_kib": {str(p): [before[p], after[p]] for p in pids},
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def render(
    header: list[str], lines: list[dict[str, Any]], mem: dict[str, Any], notes: list[str]
) -> str:
    width = max(len("scenario"), *(len(r["scenario"]) for r in lines))
    title = (
        f"{'scenario':<{width}}  {'n':>5}  {'median ms':>10}  {'p95 ms':>9}  "
        f"{'× floor':>8}  {'× bare SQL':>10}  {'errors':>7}"
    )
    out = [*header, "", title, "-" * len(title)]
    notes = list(notes)
    errors = []
    for r in lines:
        flag = f"{r['errors']} !" if r["errors"] else "0"
        out.append(
            f"{r['scenario']:<{width}}  {r['n']:>5}  {_ms(r['median_ms']):>10}  "
            f"{_ms(r['p95_ms']):>9}  {_times(r['x_floor']):>8}  {_times(r['x_bare_sql']):>10}  "
            f"{flag:>7}"
        )
        name = r["scenario"].strip()
        if r["note"]:
            notes.insert(0, f"{name}: {r['note']}")
        errors += [f"  {name}: {e} (×{count})" for e, count in r["error_detail"].items()]
    out.append("")
    if mem:
        change = mem["after_mib"] - mem["before_mib"]
        out.append(
            f"worker memory (VmRSS, largest of {mem['workers']} workers): "
            f"before {mem['before_mib']:.1f} MiB, after {mem['after_mib']:.1f} MiB, "
            f"change {change:+.1f} MiB"
        )
        out.append(
            "  per worker: "
            + ", ".join(
                f"pid {pid} {b / 1024:.1f} → {a / 1024:.1f}"
                for pid, (b, a) in mem["per_worker_kib"].items()
            )
        )
    else:
        out.append("worker memory: not measured (no worker pid; see --worker-pid)")
    out += [f"note: {n}" for n in notes]
    if errors:
        out += ["ERRORS (scenarios marked !):", *errors]
    return "\n".join(out)
