"""investigation items and the analysis team (DOMAIN.md §3.1–3.2, rev. 2)

Each item of an investigation records its author (name and title as they were), its date, its
source and whether it states a fact or an assessment (SOSFS 2011:5 5 kap.): ``investigation_items``.
A lex Maria event analysis's team becomes a list of participants (name, role, unit):
``analysis_participants``, filled from the old free-text ``investigations.team`` one line per
participant ("Anna Berg, sjuksköterska, analysledare": the name before the first comma, the rest
as the role), which is then dropped. The lex Sarah investigation records whether the person's
representative was informed apart from the person (``representative_informed``).

Revision ID: a16b00000001
Revises: a16a00000001
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16b00000001"
down_revision = "a16a00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "investigation_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_by_name", sa.String(length=200), nullable=False),
        sa.Column("written_by_title", sa.String(length=200), nullable=False),
        sa.Column("written_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('fact', 'assessment')", name=op.f("ck_investigation_items_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_investigation_items_investigation_id_investigations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_investigation_items_written_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_items")),
        sa.UniqueConstraint(
            "investigation_id", "item", name=op.f("uq_investigation_items_investigation_id")
        ),
    )
    with op.batch_alter_table("investigation_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investigation_items_investigation_id"),
            ["investigation_id"],
            unique=False,
        )

    op.create_table(
        "analysis_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_analysis_participants_investigation_id_investigations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_participants")),
    )
    with op.batch_alter_table("analysis_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_participants_investigation_id"),
            ["investigation_id"],
            unique=False,
        )

    _team_to_participants()

    with op.batch_alter_table("investigations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("representative_informed", sa.String(length=20), nullable=True)
        )
        batch_op.drop_column("team")


def _team_to_participants() -> None:
    bind = op.get_bind()
    investigations = sa.table("investigations", sa.column("id"), sa.column("team"))
    participants = sa.table(
        "analysis_participants",
        sa.column("investigation_id"),
        sa.column("position"),
        sa.column("name"),
        sa.column("role"),
        sa.column("unit"),
    )
    rows = []
    for inv_id, team in bind.execute(sa.select(investigations.c.id, investigations.c.team)):
        lines = [line.strip() for line in (team or "").splitlines() if line.strip()]
        for position, line in enumerate(lines):
            name, _comma, role = line.partition(",")
            rows.append(
                {
                    "investigation_id": inv_id,
                    "position": position,
                    "name": name.strip()[:200],
                    "role": role.strip()[:200],
                    "unit": "",
                }
            )
    if rows:
        op.bulk_insert(participants, rows)


def downgrade() -> None:
    with op.batch_alter_table("investigations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.Text(), nullable=False, server_default=""))
        batch_op.drop_column("representative_informed")
    bind = op.get_bind()
    participants = sa.table(
        "analysis_participants",
        sa.column("investigation_id"),
        sa.column("position"),
        sa.column("name"),
        sa.column("role"),
        sa.column("unit"),
    )
    investigations = sa.table("investigations", sa.column("id"), sa.column("team"))
    teams: dict[int, list[str]] = {}
    query = sa.select(participants).order_by(participants.c.investigation_id, participants.c.position)
    for row in bind.execute(query):
        line = ", ".join(p for p in (row.name, row.role, row.unit) if p)
        teams.setdefault(row.investigation_id, []).append(line)
    for inv_id, lines in teams.items():
        bind.execute(
            investigations.update().where(investigations.c.id == inv_id).values(team="\n".join(lines))
        )
    with op.batch_alter_table("investigations", schema=None) as batch_op:
        batch_op.alter_column("team", server_default=None)
    with op.batch_alter_table("analysis_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_participants_investigation_id"))
    op.drop_table("analysis_participants")
    with op.batch_alter_table("investigation_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_items_investigation_id"))
    op.drop_table("investigation_items")
