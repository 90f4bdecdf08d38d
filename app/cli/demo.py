"""flask demo seed: a small municipality with one demo user per role."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app import db
from app.models import Unit, User

from .users import create_user

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_PASSWORD = "lexflode-demo"  # noqa: S105  (demo data only, printed at start)

# (name, kind, legal areas, children)
UNITS: tuple = (
    ("Vård- och omsorgsförvaltningen", "administration", [], (
        ("Äldreomsorg", "area", ["SoL", "HSL"], (
            ("Solgårdens särskilda boende", "unit", ["SoL", "HSL"], ()),
            ("Hemtjänst Norr", "unit", ["SoL", "HSL"], ()),
        )),
        ("Funktionsstöd", "area", ["LSS"], (
            ("Gruppbostaden Linden", "unit", ["LSS"], ()),
            ("Daglig verksamhet Eken", "unit", ["LSS"], ()),
        )),
        ("Individ- och familjeomsorg", "area", ["SoL"], (
            ("Boendestöd Centrum", "unit", ["SoL"], ()),
        )),
        ("Hälso- och sjukvård", "area", ["HSL"], (
            ("Hemsjukvården", "unit", ["HSL"], ()),
        )),
    )),
)

# (email, name, title, roles, managed units)
USERS = (
    ("medarbetare@exempelby.se", "Mira Medarbetare", "Undersköterska", ["reporter"], ()),
    ("enhetschef@exempelby.se", "Erik Enhetschef", "Enhetschef", ["manager", "reporter"],
     ("Solgårdens särskilda boende", "Gruppbostaden Linden")),
    ("omradeschef@exempelby.se", "Olga Områdeschef", "Verksamhetschef", ["manager", "reporter"],
     ("Äldreomsorg",)),
    ("sas@exempelby.se", "Sara SAS", "Socialt ansvarig samordnare", ["sas", "reporter"], ()),
    ("mas@exempelby.se", "Maria MAS", "Medicinskt ansvarig sjuksköterska", ["mas", "reporter"], ()),
    ("ordforande@exempelby.se", "Olof Ordförande", "Socialnämndens ordförande", ["chair"], ()),
    ("admin@exempelby.se", "Alva Admin", "Systemförvaltare", ["admin"], ()),
    ("logg@exempelby.se", "Lars Logggranskare", "Logggranskare", ["log_reviewer"], ()),
)


def _add_units(specs: tuple, parent: Unit | None) -> None:
    session = db.session()
    for name, kind, areas, children in specs:
        unit = Unit(name=name, kind=kind, parent=parent)
        unit.legal_areas = areas
        session.add(unit)
        _add_units(children, unit)


def seed() -> bool:
    """Creates the demo municipality once; returns False if it was already there."""
    session = db.session()
    if session.scalar(select(User).where(User.email == USERS[0][0])) is not None:
        return False
    _add_units(UNITS, None)
    session.flush()
    for email, name, title, roles, units in USERS:
        create_user(email, name, roles, DEMO_PASSWORD, title=title, unit_names=units)
    from .demo_cases import seed_cases

    seed_cases()
    return True


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo municipality and users (once), and print the logins."""
    created = seed()
    db.session().commit()
    click.echo("Demodata skapad." if created else "Demodata finns redan.")
    click.echo(f"Demoanvändare (lösenord för alla: {DEMO_PASSWORD}):")
    for email, name, _title, roles, _units in USERS:
        click.echo(f"  {', '.join(roles):22} {email:32} {name}")
