"""administrative trail and purge seals (DOMAIN.md §2 and §9, rev. 2)

Two hash chains: ``admin_events`` (who changed roles, units, active status, settings, categories,
thresholds and the deadline policy) and ``purge_seals`` (what each retention purge blanked in a
case's history, so that verification accepts a purged row only as the purge left it).

History already purged before this revision has no seal of its own: it is sealed here as it
stands, for the cases that have a retention record. What was done to those rows before the
upgrade cannot be told any more; what is done to them after it can.

Revision ID: a15a00000001
Revises: a15t00000001
Create Date: 2026-12-02 08:00:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base
from app.audit.chain import GENESIS, content_hash, link_hash


revision = "a15a00000001"
down_revision = "a15t00000001"
branch_labels = None
depends_on = None

EVENT_FIELDS = (
    "case_id", "at", "actor_id", "actor_name", "actor_role", "trigger",
    "from_state", "to_state", "data", "comment",
)


def upgrade() -> None:
    op.create_table(
        "admin_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target_label", sa.String(length=300), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_events")),
        sa.UniqueConstraint("chain_seq", name=op.f("uq_admin_events_chain_seq")),
    )
    with op.batch_alter_table("admin_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_events_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_admin_events_target_at", ["target_type", "target_id", "at"], unique=False
        )

    op.create_table(
        "purge_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_seals")),
        sa.UniqueConstraint("chain_seq", name=op.f("uq_purge_seals_chain_seq")),
    )
    with op.batch_alter_table("purge_seals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purge_seals_case_id"), ["case_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _refuse_changes_in_the_database()
    seq, head = _seal_purged_history()
    heads = sa.table(
        "audit_chain_heads", sa.column("chain"), sa.column("seq"), sa.column("link_hash")
    )
    op.bulk_insert(
        heads,
        [
            {"chain": "admin_events", "seq": 0, "link_hash": GENESIS},
            {"chain": "purge_seals", "seq": seq, "link_hash": head},
        ],
    )


APPEND_ONLY = ("admin_events", "purge_seals")


def _refuse_changes_in_the_database() -> None:
    """Beside the ORM's refusal, PostgreSQL's own: the application's role cannot UPDATE or DELETE
    these rows by hand either (only whoever may drop the trigger can, and the chain still shows
    it). SQLite has no such guard worth the name; the chain is the check there."""
    op.execute(
        "CREATE FUNCTION lexflode_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION lexflode_append_only()"
        )


def _seal_purged_history() -> tuple[int, str]:
    UTC = app.models.base.UTCDateTime(timezone=True)
    events = sa.table(
        "case_events", sa.column("case_id"), sa.column("at", UTC), sa.column("actor_id"),
        sa.column("actor_name"), sa.column("actor_role"), sa.column("trigger"),
        sa.column("from_state"), sa.column("to_state"), sa.column("data", sa.JSON()),
        sa.column("comment"), sa.column("chain_seq"), sa.column("content_hash"),
        sa.column("redacted_at", UTC),
    )
    records = sa.table(
        "retention_records", sa.column("case_id"), sa.column("reference"),
        sa.column("run_id"),
    )
    runs = sa.table("retention_runs", sa.column("id"), sa.column("at", UTC))
    seals = sa.table(
        "purge_seals", sa.column("at", UTC), sa.column("case_id"), sa.column("reference"),
        sa.column("rows", sa.JSON()), sa.column("chain_seq"), sa.column("content_hash"),
        sa.column("link_hash"),
    )
    conn = op.get_bind()
    purged = conn.execute(
        sa.select(records.c.case_id, records.c.reference, runs.c.at)
        .join(runs, runs.c.id == records.c.run_id)
        .order_by(runs.c.at, records.c.case_id)
    ).all()
    seq, previous = 0, GENESIS
    for case_id, reference, at in purged:
        rows = conn.execute(
            sa.select(events)
            .where(events.c.case_id == case_id, events.c.redacted_at.is_not(None))
            .order_by(events.c.chain_seq)
        ).mappings().all()
        if not rows:
            continue
        sealed = {
            str(row["chain_seq"]): [
                row["content_hash"],
                content_hash({key: row[key] for key in EVENT_FIELDS}),
            ]
            for row in rows
        }
        seq += 1
        content = content_hash(
            {"at": at, "case_id": case_id, "reference": reference, "rows": sealed}
        )
        previous = link_hash(seq, previous, content)
        conn.execute(
            seals.insert().values(
                at=at, case_id=case_id, reference=reference, rows=sealed, chain_seq=seq,
                content_hash=content, link_hash=previous,
            )
        )
    return seq, previous


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION lexflode_append_only()")
    op.execute("DELETE FROM audit_chain_heads WHERE chain IN ('admin_events', 'purge_seals')")
    with op.batch_alter_table("purge_seals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purge_seals_case_id"))
    op.drop_table("purge_seals")
    with op.batch_alter_table("admin_events", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_events_target_at")
        batch_op.drop_index(batch_op.f("ix_admin_events_at"))
    op.drop_table("admin_events")
