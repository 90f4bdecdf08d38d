"""imported counts (reports per year, case type and unit from before go-live) and the statistics
PDFs rendered in the background (DOMAIN.md §8 rev. 2)

Revision ID: a16f00000001
Revises: a16e00000001
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16f00000001"
down_revision = "a16e00000001"
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
    op.create_table(
        "statistics_pdfs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("figures_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_statistics_pdfs_status_known"),
        ),
        sa.CheckConstraint(
            "(status = 'done') = (content IS NOT NULL)",
            name=op.f("ck_statistics_pdfs_done_has_content"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_statistics_pdfs_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_pdfs")),
        sa.UniqueConstraint(
            "year",
            "period",
            "number",
            "scope",
            "figures_hash",
            "locale",
            name=op.f("uq_statistics_pdfs_year"),
        ),
    )


def downgrade() -> None:
    op.drop_table("statistics_pdfs")
    with op.batch_alter_table("imported_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imported_counts_year"))
    op.drop_table("imported_counts")
