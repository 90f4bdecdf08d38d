"""The instance secret on a fresh machine: four gunicorn workers starting at once must all end
up with the same key (before: 7 rounds in 200 gave two workers different keys)."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path
from typing import Any

from app import _instance_secret

ROUNDS = 200
PROCESSES = 4


def _race(folder: str, barrier: Any, results: Any) -> None:
    keys = []
    for n in range(ROUNDS):
        barrier.wait()  # all four look for the file at the same moment
        keys.append(_instance_secret(Path(folder) / f"secret_{n}"))
    results.put(keys)


def test_workers_starting_at_once_share_one_key(tmp_path):
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [
        ctx.Process(target=_race, args=(str(tmp_path), barrier, results)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    per_worker = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
        assert worker.exitcode == 0
    for n in range(ROUNDS):
        keys = {keys[n] for keys in per_worker}
        assert len(keys) == 1, f"round {n}: {len(keys)} different keys"
        path = tmp_path / f"secret_{n}"
        assert keys == {path.read_text()}
        assert len(path.read_text()) == 64
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # No candidate file is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"secret_{n}" for n in range(ROUNDS)
    )


def test_an_existing_secret_is_kept(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("given-by-the-operator\n")
    assert _instance_secret(path) == "given-by-the-operator"
