"""flask demo seed: a small municipality with one demo user per role and a few cases of each
type. Safe to run again: what is already there is left as it is. It refuses a database that has
users of its own: demo logins with a published password do not belong beside real ones."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import ColumnElement, func, not_, or_, select

from app import db
from app.models import Unit, User

from .users import create_user

demo_cli = AppGroup("demo", help="Demo data.")

DEMO_PASSWORD = "lexflode-demo"  # noqa: S105  (demo data only, printed at start)

# (name, kind, legal areas, children)
UNITS: tuple = (
    (
        "Vård- och omsorgsförvaltningen",
        "administration",
        [],
        (
            (
                "Äldreomsorg",
                "area",
                ["SoL", "HSL"],
                (
                    ("Solgårdens särskilda boende", "unit", ["SoL", "HSL"], ()),
                    ("Hemtjänst Norr", "unit", ["SoL", "HSL"], ()),
                ),
            ),
            (
                "Funktionsstöd",
                "area",
                ["LSS"],
                (
                    ("Gruppbostaden Linden", "unit", ["LSS"], ()),
                    ("Daglig verksamhet Eken", "unit", ["LSS"], ()),
                ),
            ),
            (
                "Individ- och familjeomsorg",
                "area",
                ["SoL"],
                (("Boendestöd Centrum", "unit", ["SoL"], ()),),
            ),
            ("Hälso- och sjukvård", "area", ["HSL"], (("Hemsjukvården", "unit", ["HSL"], ()),)),
        ),
    ),
)

# (email, name, title, roles, managed units)
USERS = (
    ("medarbetare@exempelby.se", "Mira Medarbetare", "Undersköterska", ["reporter"], ()),
    (
        "enhetschef@exempelby.se",
        "Erik Enhetschef",
        "Enhetschef",
        ["manager", "reporter"],
        ("Solgårdens särskilda boende", "Gruppbostaden Linden"),
    ),
    (
        "omradeschef@exempelby.se",
        "Olga Områdeschef",
        "Verksamhetschef",
        ["manager", "reporter"],
        ("Äldreomsorg",),
    ),
    ("sas@exempelby.se", "Sara SAS", "Socialt ansvarig samordnare", ["sas", "reporter"], ()),
    ("mas@exempelby.se", "Maria MAS", "Medicinskt ansvarig sjuksköterska", ["mas", "reporter"], ()),
    (
        "hemsjukvard@exempelby.se",
        "Henrik Hemsjukvårdschef",
        "Enhetschef hemsjukvård",
        ["manager", "reporter"],
        ("Hemsjukvården",),
    ),
    ("sjukskoterska@exempelby.se", "Sanna Sjuksköterska", "Sjuksköterska", ["reporter"], ()),
    ("ordforande@exempelby.se", "Olof Ordförande", "Socialnämndens ordförande", ["chair"], ()),
    ("admin@exempelby.se", "Alva Admin", "Systemförvaltare", ["admin"], ()),
    ("logg@exempelby.se", "Lars Logggranskare", "Logggranskare", ["log_reviewer"], ()),
)


def demo_user() -> ColumnElement[bool]:
    """Which users are demo users: the seed's logins, and the bulk generator's (demo_scale)."""
    from .demo_scale import SCALE_DOMAIN

    return or_(
        User.email.in_([email for email, *_rest in USERS]),
        User.email.like(f"%@{SCALE_DOMAIN}"),
    )


def refuse_real_users() -> None:
    real = db.session().scalar(select(func.count()).select_from(User).where(not_(demo_user())))
    if real:
        raise click.ClickException(
            f"Databasen har {real} användare som inte är demoanvändare. Demodata skapas bara "
            "i en databas utan riktiga användare (demolösenordet är offentligt)."
        )


def _add_units(specs: tuple, parent: Unit | None) -> bool:
    session = db.session()
    added = False
    for name, kind, areas, children in specs:
        same_parent = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
        unit = session.scalar(select(Unit).where(Unit.name == name, same_parent))
        if unit is None:
            unit = Unit(name=name, kind=kind, parent=parent)
            unit.legal_areas = areas
            session.add(unit)
            session.flush()  # its id, for the children's lookup
            added = True
        added = _add_units(children, unit) or added
    return added


def seed() -> bool:
    """Creates what is missing of the demo municipality, its users and its cases; returns
    whether anything was created. Refuses (click.ClickException) a database with real users."""
    refuse_real_users()
    session = db.session()
    created = _add_units(UNITS, None)
    for email, name, title, roles, units in USERS:
        if session.scalar(select(User).where(User.email == email)) is None:
            create_user(email, name, roles, DEMO_PASSWORD, title=title, unit_names=units)
            created = True
    from .demo_cases import seed_cases

    return seed_cases() or created


@demo_cli.command("seed")
def seed_command() -> None:
    """Create the demo municipality and users (once), and print the logins."""
    created = seed()
    db.session().commit()
    click.echo("Demodata skapad." if created else "Demodata finns redan.")
    click.echo(f"Demoanvändare (lösenord för alla: {DEMO_PASSWORD}):")
    for email, name, _title, roles, _units in USERS:
        click.echo(f"  {', '.join(roles):22} {email:32} {name}")


from . import demo_generate  # noqa: E402, F401  (registers `flask demo generate`)
