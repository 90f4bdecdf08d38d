"""flask audit verify: walk the hash chains of case history, the access log, the administrative
trail and the purge seals, and print each chain's head so it can be recorded elsewhere."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app import db
from app.audit.verify import verify_all

audit_cli = AppGroup(
    "audit", help="Granskningsspår (historik, åtkomstlogg, administrativ logg, gallringar)."
)


@audit_cli.command("verify")
def verify_command() -> None:
    """Check that no row of any chain was changed, inserted or deleted; print the heads."""
    results = verify_all(db.session())
    for result in results:
        if result.finding is None:
            click.echo(f"{result.chain}: {result.rows} rader, kedjan är hel.")
        else:
            f = result.finding
            row = f" (id {f.row_id})" if f.row_id is not None else ""
            click.echo(f"{result.chain}: FEL vid rad {f.seq}{row}: {f.message}", err=True)
    # One line per chain, the same form every run: a script can append them to a record kept
    # outside this database and compare the next run's against it.
    for result in results:
        click.echo(f"huvud {result.chain} {result.head_seq} {result.head_hash or '-'}")
    if any(r.finding is not None for r in results):
        sys.exit(1)
