"""records releases: exports for a records request, redacted (DOMAIN.md §9 rev. 2); the
committee's own case number on the case, entered before the filing (§7 rev. 2)

Revision ID: a16d00000001
Revises: a16c00000001
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16d00000001"
down_revision = "a16c00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of cases would drop the table that every case row's
    # children point at, which SQLite refuses with foreign keys on.
    op.add_column("cases", sa.Column("own_case_number", sa.String(length=50), nullable=True))

    op.create_table(
        "records_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("released_by_id", sa.Integer(), nullable=False),
        sa.Column("released_by_name", sa.String(length=200), nullable=False),
        sa.Column("released_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("requester_reference", sa.String(length=100), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_records_releases_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["users.id"], name=op.f("fk_records_releases_released_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records_releases")),
    )
    with op.batch_alter_table("records_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_records_releases_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("records_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_releases_case_id"))
    op.drop_table("records_releases")
    op.drop_column("cases", "own_case_number")
