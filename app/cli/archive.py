"""flask archive deliver [--dry-run]: closed cases the plan keeps go to the e-archive."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app import db
from app.archive.contents import AttachmentMissing
from app.archive.delivery import (
    DeliveryFailed,
    Destination,
    claim,
    deliver_case,
    due_for_delivery,
)
from app.archive.package import PackageInvalid
from workflows.workdays import STOCKHOLM

from .clock import _moment
from .retention import _operator

archive_cli = AppGroup("archive", help="Leverans av bevarade ärenden till e-arkivet.")


@archive_cli.command("deliver")
@click.option("--dry-run", is_flag=True, help="Visa vad som skulle levereras; ändra ingenting.")
@click.option("--delivered-by", help="Vem som levererar (sparas med leveransen).")
def deliver_command(dry_run: bool, delivered_by: str | None) -> None:
    """Deliver every ended case the document management plan keeps, once, as an FGS package."""
    session = db.session()
    if dry_run:
        due = due_for_delivery(session)
        for case in due:
            click.echo(f"{case.reference}  {case.case_type}  {case.state}")
        click.echo(f"{len(due)} ärenden skulle levereras. Provkörning: ingenting har ändrats.")
        return
    try:
        destination = Destination.from_config()
    except DeliveryFailed as exc:
        raise click.ClickException(str(exc)) from exc
    delivered = 0
    for case in due_for_delivery(session):
        try:
            # A failed case takes back only its own work; those before it are committed.
            with session.begin_nested():
                if not claim(session, case):
                    continue
                delivery = deliver_case(
                    session, case, _moment(None), delivered_by or _operator(), destination
                )
        except (DeliveryFailed, AttachmentMissing, PackageInvalid) as exc:
            raise click.ClickException(
                f"{case.reference}: leveransen misslyckades ({exc}). "
                f"{delivered} ärenden levererades före felet."
            ) from exc
        # One case at a time: what reached the archive is recorded even if a later one fails.
        session.commit()
        delivered += 1
        click.echo(
            f"{delivery.reference}  levererat "
            f"{delivery.delivered_at.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}  paket {delivery.package_id}"
            f"  sha256 {delivery.checksum}  till {delivery.destination}"
        )
    click.echo(f"{delivered} ärenden levererade till e-arkivet.")
