"""public intake: links per unit, receipts, messages with the sender, the spam mark
(DOMAIN.md §3.5 rev. 2)

Revision ID: a17b00000001
Revises: a17a00000001
Create Date: 2026-12-02 16:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a17b00000001"
down_revision = "a17a00000001"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('new_task', 'reminder', 'overdue', 'escalation', 'decision_made')"
NEW_KINDS = (
    "kind IN ('new_task', 'reminder', 'overdue', 'escalation', 'decision_made', "
    "'sender_message')"
)


def upgrade() -> None:
    op.create_table(
        "public_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_public_links_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_links")),
        sa.UniqueConstraint("token", name=op.f("uq_public_links_token")),
    )
    with op.batch_alter_table("public_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_links_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "public_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_public_receipts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_receipts")),
        sa.UniqueConstraint("code", name=op.f("uq_public_receipts_code")),
    )
    with op.batch_alter_table("public_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_receipts_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "direction IN ('from_sender', 'to_sender')", name=op.f("ck_case_messages_direction_known")
        ),
        sa.CheckConstraint(
            "(direction = 'to_sender') = (author_id IS NOT NULL)",
            name=op.f("ck_case_messages_author_for_handler"),
        ),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_case_messages_author_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_messages_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_messages")),
    )
    with op.batch_alter_table("case_messages", schema=None) as batch_op:
        batch_op.create_index("ix_case_messages_case_created", ["case_id", "created_at"], unique=False)
    # A plain ADD COLUMN: SQLite refuses a batch copy of cases under its children.
    op.add_column("cases", sa.Column("spam", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_notifications_kind_known"), NEW_KINDS)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notifications_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_notifications_kind_known"), OLD_KINDS)
    op.drop_column("cases", "spam")
    with op.batch_alter_table("case_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_case_messages_case_created")
    op.drop_table("case_messages")
    with op.batch_alter_table("public_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_receipts_case_id"))
    op.drop_table("public_receipts")
    with op.batch_alter_table("public_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_links_unit_id"))
    op.drop_table("public_links")
