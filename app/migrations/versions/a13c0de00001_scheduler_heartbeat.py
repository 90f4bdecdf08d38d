"""scheduler heartbeat (readiness)

Revision ID: a13c0de00001
Revises: 8f92d059a282
Create Date: 2026-12-02 04:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a13c0de00001'
down_revision = '8f92d059a282'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
