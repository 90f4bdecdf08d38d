"""flask audit verify: walk the hash chains of case history, the access log, the administrative
trail and the purge seals, and print each chain's head so it can be recorded elsewhere."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import db
from app.audit.verify import CHAINS, verify_all

audit_cli = AppGroup(
    "audit", help="Granskningsspår (historik, åtkomstlogg, administrativ logg, gallringar)."
)


@audit_cli.command("verify")
@click.option(
    "--expect",
    "expected",
    multiple=True,
    metavar="CHAIN:SEQ:HASH",
    help="A head recorded earlier (from a 'huvud' line): the chain must still hold it.",
)
def verify_command(expected: tuple[str, ...]) -> None:
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
    lost = [e for e in expected if not _still_held(e)]
    for head in lost:
        click.echo(f"FEL: det registrerade huvudet {head} finns inte längre i kedjan.", err=True)
    if lost or any(r.finding is not None for r in results):
        sys.exit(1)


def _still_held(recorded: str) -> bool:
    """A chain rewritten from some row on, hashes and head recomputed, verifies on its own; a
    head recorded before the rewrite no longer matches its row."""
    try:
        chain, seq, link = recorded.split(":")
        model = CHAINS[chain]
        number = int(seq)
    except (KeyError, ValueError) as error:
        raise click.BadParameter(recorded, param_hint="--expect") from error
    if number == 0:
        return True
    stored = db.session().scalar(select(model.link_hash).where(model.chain_seq == number))
    return stored == link
