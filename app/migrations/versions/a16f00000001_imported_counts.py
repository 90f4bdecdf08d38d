"""imported counts: reports per year, case type and unit from before go-live (DOMAIN.md §8 rev. 2)

Revision ID: a16f00000001
Revises: a15a00000001
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16f00000001"
down_revision = "a15a00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("imported_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_imported_counts_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_imported_counts_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_counts")),
        sa.UniqueConstraint("year", "case_type", "unit_id", name=op.f("uq_imported_counts_year")),
    )
    with op.batch_alter_table("imported_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imported_counts_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("imported_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_counts_year"))
    op.drop_table("imported_counts")
