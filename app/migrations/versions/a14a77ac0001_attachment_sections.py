"""attachments belong to a section of the case (DOMAIN.md §3.1 rev. 2)

Every file stored so far was uploaded through the report's form: it belongs to the report.

Revision ID: a14a77ac0001
Revises: a13c0de00002
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a14a77ac0001'
down_revision = 'a13c0de00002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('section', sa.String(length=20), server_default='report', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_attachments_section_known'), "section IN ('report', 'investigation')"
        )


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attachments_section_known'), type_='check')
        batch_op.drop_column('section')
