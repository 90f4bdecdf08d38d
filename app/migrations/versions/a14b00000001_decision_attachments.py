"""attachments may belong to the decision (DOMAIN.md §3.1 rev. 2)

The decider's files (a signed protocol, say) belong to the decision section, seen by those who
see the decision.

Revision ID: a14b00000001
Revises: a15d00000001
Create Date: 2026-12-02 08:10:00
"""

from alembic import op

revision = "a14b00000001"
down_revision = "a15d00000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attachments_section_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_attachments_section_known"),
            "section IN ('report', 'investigation', 'decision')",
        )


def downgrade() -> None:
    op.execute("UPDATE attachments SET section = 'investigation' WHERE section = 'decision'")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attachments_section_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_attachments_section_known"), "section IN ('report', 'investigation')"
        )
