"""server-side session generation, named API tokens with expiry

Revision ID: a13c0de00002
Revises: a13c0de00001
Create Date: 2026-12-02 04:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a13c0de00002'
down_revision = 'a13c0de00001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
