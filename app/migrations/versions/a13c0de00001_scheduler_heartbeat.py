"""scheduler heartbeat (readiness)

Revision ID: a13c0de00001
Revises: 8f92d059a282
Create Date: 2026-12-02 04:20:00
"""
from alembic import op
import sqlalchemy as sa

import app.models.base


revision = 'a13c0de00001'
down_revision = '8f92d059a282'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scheduler_heartbeats',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_beat_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sweep_seconds', sa.Float(), nullable=False),
    sa.Column('acts', sa.Integer(), nullable=False),
    sa.Column('mails_sent', sa.Integer(), nullable=False),
    sa.Column('mails_failed', sa.Integer(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_heartbeats'))
    )


def downgrade() -> None:
    op.drop_table('scheduler_heartbeats')
