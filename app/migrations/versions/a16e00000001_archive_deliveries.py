"""archive before purge (DOMAIN.md §9, rev. 2): deliveries to the e-archive, the plan per run

``archive_deliveries``: one row per case delivered as an FGS package. ``retention_skips``: the
cases a retention run left alone and why; a purged kept case's retention record points at its
delivery. retention_runs itself is left as it is: on SQLite a batch would copy it into a new
table, which the rows pointing at it forbid.

Revision ID: a16e00000001
Revises: a16d00000001
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16e00000001"
down_revision = "a16d00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archive_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("delivered_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_by", sa.String(length=200), nullable=False),
        sa.Column("package_id", sa.String(length=60), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_archive_deliveries_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_deliveries")),
        sa.UniqueConstraint("case_id", name=op.f("uq_archive_deliveries_case_id")),
        sa.UniqueConstraint("package_id", name=op.f("uq_archive_deliveries_package_id")),
    )
    op.create_table(
        "retention_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_retention_skips_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["retention_runs.id"], name=op.f("fk_retention_skips_run_id_retention_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_skips")),
    )
    with op.batch_alter_table("retention_skips", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_skips_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_retention_skips_run_id"), ["run_id"], unique=False)
    # On SQLite the batch copies retention_records into a new table: nothing points at it.
    with op.batch_alter_table("retention_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archive_delivery_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_retention_records_archive_delivery_id_archive_deliveries"),
            "archive_deliveries",
            ["archive_delivery_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("retention_records", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_retention_records_archive_delivery_id_archive_deliveries"),
            type_="foreignkey",
        )
        batch_op.drop_column("archive_delivery_id")
    with op.batch_alter_table("retention_skips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_skips_run_id"))
        batch_op.drop_index(batch_op.f("ix_retention_skips_case_id"))
    op.drop_table("retention_skips")
    op.drop_table("archive_deliveries")
