"""versions for the API's conditional writes

Revision ID: a13c0de00003
Revises: a13c0de00002
Create Date: 2026-12-02 04:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a13c0de00003'
down_revision = 'a13c0de00002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
