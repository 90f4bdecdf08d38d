"""flask audit verify: walk the hash chains of case history and the access log."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app import db
from app.audit.verify import verify_all

audit_cli = AppGroup("audit", help="Granskningsspår (historik och åtkomstlogg).")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check that no history or access log row was changed, inserted or deleted."""
    results = verify_all(db.session())
    for result in results:
        if result.finding is None:
            click.echo(f"{result.chain}: {result.rows} rader, kedjan är hel.")
        else:
            f = result.finding
            row = f" (id {f.row_id})" if f.row_id is not None else ""
            click.echo(f"{result.chain}: FEL vid rad {f.seq}{row}: {f.message}", err=True)
    if any(r.finding is not None for r in results):
        sys.exit(1)
