"""flask retention run [--dry-run] [--now …]: gallring per the document management plan."""

from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup

from app import db
from workflows.retention import NOT_DELIVERED, Skipped, purge, sort_due
from workflows.workdays import STOCKHOLM

from .clock import _moment

retention_cli = AppGroup("retention", help="Gallring av avslutade ärenden.")


def _operator() -> str:
    try:
        return f"kommandorad ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in some containers
        return "kommandorad"


# Why a due case was left alone, as the operator reads it.
SKIP_REASONS = {
    NOT_DELIVERED: "bevaras enligt dokumenthanteringsplanen och är inte levererat till e-arkivet "
    "(flask archive deliver)",
}


def _skipped(items: list[Skipped]) -> None:
    for item in items:
        click.echo(
            f"{item.due.case.reference}  {item.due.case.case_type}  avslutat "
            f"{item.due.ended_at.astimezone(STOCKHOLM):%Y-%m-%d}  hoppas över: "
            f"{SKIP_REASONS[item.reason]}"
        )


def _summary(removed: dict) -> str:
    fields = sum(len(names) for names in removed.get("fields", {}).values())
    rows = ", ".join(f"{table}: {n}" for table, n in sorted(removed.get("rows", {}).items()))
    parts = [f"{fields} fält", f"{removed.get('history_rows', 0)} historikrader rensade"]
    if rows:
        parts.append(f"borttagna rader: {rows}")
    return "; ".join(parts)


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle gallras; ändra ingenting.")
@click.option("--now", "now_text", help="Gallra per denna tidpunkt, t.ex. 2031-06-01T08:00.")
@click.option("--started-by", help="Vem som startar gallringen (sparas med körningen).")
def run_command(dry_run: bool, now_text: str | None, started_by: str | None) -> None:
    """Remove personal data and free text from closed cases past their retention limit."""
    now = _moment(now_text)
    session = db.session()
    if dry_run:
        due = sort_due(session, now)
        for item, _delivery in due.purge:
            click.echo(
                f"{item.case.reference}  {item.case.case_type}  avslutat "
                f"{item.ended_at.astimezone(STOCKHOLM):%Y-%m-%d}  gallras efter {item.years} år"
            )
        _skipped(due.skip)
        # Read only: nothing is written, nothing committed.
        click.echo(f"{len(due.purge)} ärenden skulle gallras. Provkörning: ingenting har ändrats.")
        if due.skip:
            click.echo(f"{len(due.skip)} ärenden skulle hoppas över.")
        return
    result = purge(session, now, started_by or _operator())
    session.commit()
    for record in result.records:
        click.echo(
            f"{record.reference}  {record.case_type}  avslutat "
            f"{record.closed_at.astimezone(STOCKHOLM):%Y-%m-%d}  gallrat: {_summary(record.removed)}"
        )
    _skipped(result.skipped)
    click.echo(f"{len(result.records)} ärenden gallrade (körning {result.run.id}).")
    if result.skipped:
        click.echo(f"{len(result.skipped)} ärenden hoppades över.")
