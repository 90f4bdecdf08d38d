"""server-side session generation, named API tokens with expiry

Revision ID: a13c0de00002
Revises: a13c0de00001
Create Date: 2026-12-02 04:20:00
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = 'a13c0de00002'
down_revision = 'a13c0de00001'
branch_labels = None
depends_on = None

# Tokens made before names and end dates existed: named so that their owner recognises them in
# the list, and given the default lifetime from the day of this migration.
OLDER_NAME = "Äldre token"
OLDER_LIFETIME = timedelta(days=90)


def upgrade() -> None:
    op.create_table('rate_counters',
    sa.Column('key', sa.String(length=320), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counters'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('expires_at', app.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', app.models.base.UTCDateTime(timezone=True), nullable=True))

    tokens = sa.table(
        'api_tokens',
        sa.column('name', sa.String()),
        sa.column('expires_at', app.models.base.UTCDateTime(timezone=True)),
    )
    op.execute(
        tokens.update().values(name=OLDER_NAME, expires_at=datetime.now(UTC) + OLDER_LIFETIME)
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('expires_at', existing_type=app.models.base.UTCDateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('name')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

    op.drop_table('rate_counters')
