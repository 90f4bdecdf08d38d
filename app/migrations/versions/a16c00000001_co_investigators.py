"""co-investigators: users let read and write one case's investigation (DOMAIN.md §2 rev. 2)

Revision ID: a16c00000001
Revises: a16b00000001
Create Date: 2026-12-02 14:45:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16c00000001"
down_revision = "a16b00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "co_investigators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_co_investigators_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_co_investigators_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_co_investigators_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["users.id"], name=op.f("fk_co_investigators_removed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_co_investigators")),
    )
    with op.batch_alter_table("co_investigators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_co_investigators_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_co_investigators_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("co_investigators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_co_investigators_user_id"))
        batch_op.drop_index(batch_op.f("ix_co_investigators_case_id"))
    op.drop_table("co_investigators")
