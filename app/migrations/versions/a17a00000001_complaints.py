"""complaints and views (synpunkter och klagomål, DOMAIN.md §3.4 rev. 2)

A fourth case type, ``complaint`` (KL-YYYY-NNNN): its content, the units it concerns (several
units are answered jointly), the admin's list of themes, and its two deadlines added to the
deadline policy in force (the latest version), so that complaints received from now on have a
clock. Earlier versions are left as they were: nothing ran under them.

Revision ID: a17a00000001
Revises: a16f00000001
Create Date: 2026-12-02 15:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "a17a00000001"
down_revision = "a16f00000001"
branch_labels = None
depends_on = None

THEMES = (
    "Bemötande",
    "Utförande av insats",
    "Tider",
    "Handläggning",
    "Information",
    "Kvalitet",
    "Annat",
)
# (key, start event, value, unit, basis, kind)
RULES = (
    ("complaint_acknowledgement", "complaint_received", 3, "working_days",
     "Den som lämnat synpunkter eller klagomål ska få besked om att de tagits emot "
     "(SOSFS 2011:9 5 kap. 3–6 §§). Tiden är lokal rutin.", "local_routine"),
    ("complaint_answer", "complaint_received", 28, "calendar_days",
     "Klagomål ska besvaras ”snarast” (PSL 2010:659 3 kap. 8 b §); kom klagomålet via IVO "
     "gäller IVO:s datum. Tiden är lokal rutin.", "local_routine"),
)


def upgrade() -> None:
    op.create_table(
        "complaint_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_complaint_themes_name")),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sender_role", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("sender_contact", sa.String(length=300), nullable=False),
        sa.Column("ivo_case_number", sa.String(length=60), nullable=False),
        sa.Column("ivo_answer_by", sa.Date(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("receipt_sent", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_channel", sa.String(length=20), nullable=True),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("unanswerable_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("spam_at", app.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("spam_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('complaint', 'suggestion', 'question', 'praise')",
            name=op.f("ck_complaints_kind_known"),
        ),
        sa.CheckConstraint(
            "sender_role IN ('care_recipient', 'patient', 'relative', 'staff', 'organisation', "
            "'anonymous')",
            name=op.f("ck_complaints_sender_role_known"),
        ),
        sa.CheckConstraint(
            "channel IN ('e_service', 'letter', 'phone', 'in_person', 'patient_committee', "
            "'ivo')",
            name=op.f("ck_complaints_channel_known"),
        ),
        sa.CheckConstraint(
            "channel = 'ivo' OR (ivo_case_number = '' AND ivo_answer_by IS NULL)",
            name=op.f("ck_complaints_ivo_fields_only_via_ivo"),
        ),
        sa.CheckConstraint(
            "(answered_on IS NULL) = (answer_channel IS NULL)",
            name=op.f("ck_complaints_answer_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_complaints_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_complaints_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["spam_by_id"], ["users.id"], name=op.f("fk_complaints_spam_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("case_id", name=op.f("uq_complaints_case_id")),
    )
    op.create_table(
        "complaint_units",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_complaint_units_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_complaint_units_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("case_id", "unit_id", name=op.f("pk_complaint_units")),
    )
    op.create_index(
        op.f("ix_complaint_units_unit_id"), "complaint_units", ["unit_id"], unique=False
    )
    op.create_table(
        "complaint_theme_links",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"],
            name=op.f("fk_complaint_theme_links_complaint_id_complaints"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["complaint_themes.id"],
            name=op.f("fk_complaint_theme_links_theme_id_complaint_themes"),
        ),
        sa.PrimaryKeyConstraint(
            "complaint_id", "theme_id", name=op.f("pk_complaint_theme_links")
        ),
    )
    _case_types("case_type IN ('lex_sarah', 'lex_maria', 'deviation', 'complaint')")
    themes = sa.table(
        "complaint_themes", sa.column("name", sa.String), sa.column("active", sa.Boolean),
        sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(
        themes, [{"name": n, "active": True, "sort_order": i} for i, n in enumerate(THEMES)]
    )
    _add_rules()


def _case_types(check: str) -> None:
    """The case types the cases table allows. SQLite cannot alter a CHECK, and a batch copy of
    cases would drop the table every case's rows point at: with foreign keys on (they are, and
    cannot be switched off inside the migration's transaction) the drop deletes the children
    ON DELETE CASCADE or is refused. SQLite's own answer for a constraint that does not change
    what is stored is to edit the table's definition in place (sqlite.org/lang_altertable.html,
    "making other kinds of table schema changes"), which is what is done there."""
    conn = op.get_bind()
    name = op.f("ck_cases_case_type")
    if conn.dialect.name != "sqlite":
        op.drop_constraint(name, "cases", type_="check")
        op.create_check_constraint(name, "cases", check)
        return
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'"
    ).scalar_one()
    pattern = re.compile(r"(CONSTRAINT ck_cases_case_type CHECK \()case_type IN \([^)]*\)(\))")
    changed, found = pattern.subn(lambda m: m.group(1) + check + m.group(2), sql)
    if found != 1:
        raise RuntimeError("ck_cases_case_type not found in the cases table's definition")
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'cases'", (changed,)
    )
    conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    if conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() != "ok":
        raise RuntimeError("the cases table's definition did not survive its edit")


def _add_rules() -> None:
    conn = op.get_bind()
    policy_id = conn.execute(
        sa.text("SELECT id FROM deadline_policies ORDER BY version DESC LIMIT 1")
    ).scalar()
    if policy_id is None:
        return
    rules = sa.table(
        "deadline_rules", *(sa.column(name) for name in (
            "policy_id", "key", "case_type", "start_event", "duration_value", "duration_unit",
            "responsible", "escalation_target", "second_escalation_target", "cap_months",
            "cap_anchor", "legal_basis", "basis_kind", "second_escalation_after",
            "second_escalation_unit", "enabled")),
        sa.column("reminders", sa.JSON),
    )
    op.bulk_insert(rules, [
        {
            "policy_id": policy_id, "key": key, "case_type": "complaint",
            "start_event": start, "duration_value": value, "duration_unit": unit,
            "responsible": "manager", "escalation_target": "superior",
            "second_escalation_target": "oversight", "cap_months": None, "cap_anchor": None,
            "legal_basis": basis, "basis_kind": kind, "second_escalation_after": 2,
            "second_escalation_unit": "working_days", "enabled": True,
            "reminders": ["half", "1wd"],
        }
        for key, start, value, unit, basis, kind in RULES
    ])


def downgrade() -> None:
    op.execute(
        "DELETE FROM deadlines WHERE case_id IN (SELECT id FROM cases WHERE case_type = 'complaint')"
    )
    op.execute("DELETE FROM deadline_rules WHERE case_type = 'complaint'")
    op.execute("DELETE FROM cases WHERE case_type = 'complaint'")
    op.execute("DELETE FROM reference_counters WHERE case_type = 'complaint'")
    _case_types("case_type IN ('lex_sarah', 'lex_maria', 'deviation')")
    op.drop_table("complaint_theme_links")
    op.drop_index(op.f("ix_complaint_units_unit_id"), table_name="complaint_units")
    op.drop_table("complaint_units")
    op.drop_table("complaints")
    op.drop_table("complaint_themes")
