"""feedback to the reporter as its own step; the deadline policy of DOMAIN.md revision 2

Feedback (återkoppling) was recorded by closing; it is now its own recorded step, repeatable
from the investigation's completion on (DOMAIN.md §3.1 rev. 2). Each closure's feedback becomes a
``feedback`` row, so old closed cases keep it, and the closure keeps only whether the person was
informed.

The clock's corrections of revision 2 (§4) are written as a new policy version, copied from the
one in force with the administrator's own lengths, reminders and targets kept: running deadlines
keep the rules they were created under (a policy change never moves a running deadline).
- ``investigation_to_ivo`` starts when an early filing is recorded and runs from the filing's
  date ("senast två månader efter det att anmälan har gjorts"), not from the report.
- lex Sarah's ``ivo_filing`` loses its two-month cap from the report, which no source gives;
  "snarast" is the law, the days a local routine.
- ``reporter_feedback`` starts when the investigation is completed (and now also for
  deviations); ``record_feedback`` meets it.
- The basis texts cite the sources as §4 gives them ("omedelbart", "utan dröjsmål").

Revision ID: a16a00000001
Revises: a15a00000001
Create Date: 2026-12-02 15:00:00
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a16a00000001"
down_revision = "a15a00000001"
branch_labels = None
depends_on = None

NOTE = "DOMAIN.md revision 2 §4: tidig anmälan räknas från anmälan, återkoppling från avslutad utredning."
LS, LM, AV = "lex_sarah", "lex_maria", "deviation"
HEAD = "head_of_administration"

# (key, case type) → the fields revision 2 sets; everything else is copied from the version in
# force. No basis text carries the rule's length: the page adds it from the rule itself.
CHANGES = {
    ("immediate_measures", LS): {
        "legal_basis": "Missförhållandet ska avhjälpas eller undanröjas ”utan dröjsmål” "
        "(SoL 2025:400 27 kap.; tidigare SoL 2001:453 14 kap. 6 §), och IVO förväntar sig att "
        "de åtgärder som behövs för att skydda den enskilde vidtas ”omedelbart”.",
        "basis_kind": "local_routine",
    },
    ("immediate_measures", LM): {
        "legal_basis": "De åtgärder som behövs för att skydda patienten ska vidtas ”omedelbart” "
        "(IVO).",
        "basis_kind": "local_routine",
    },
    ("investigation_start", LS): {
        "legal_basis": "Personalen rapporterar ”genast”, och rapporten ska utredas ”utan "
        "dröjsmål” (SoL 2025:400 27 kap.; tidigare SoL 2001:453 14 kap. 6 §; SOSFS 2011:5).",
        "basis_kind": "local_routine",
    },
    ("ivo_filing", LS): {
        "legal_basis": "Anmälan till IVO ska göras ”snarast” (SoL 2025:400 27 kap.; tidigare "
        "SoL 2001:453 14 kap. 7 §).",
        "basis_kind": "local_routine",
        "cap_months": None,
        "cap_anchor": None,
    },
    ("investigation_to_ivo", LS): {
        "start_event": "early_filing_recorded",
        "legal_basis": "Vid tidig anmälan ska utredningen skickas till IVO ”senast två månader "
        "efter det att anmälan har gjorts” (Socialstyrelsen).",
        "basis_kind": "law",
    },
    ("investigation_to_ivo", LM): {
        "start_event": "early_filing_recorded",
        "legal_basis": "Utredningen ska skickas till IVO ”samtidigt eller snarast därefter” "
        "(PSL 2010:659 3 kap. 5 §), räknat från anmälan.",
        "basis_kind": "local_routine",
    },
    ("patient_information", LM): {
        "legal_basis": "Patienten ska ”snarast” informeras när en vårdskada har inträffat "
        "(PSL 2010:659 3 kap. 8 §). Krävs inte när utredningen inte fann någon vårdskada.",
        "basis_kind": "local_routine",
    },
    ("reporter_feedback", LS): {
        "start_event": "investigation_completed",
        "legal_basis": "Återkoppling till den som rapporterade när utredningen är klar, även på "
        "arbetsplatsträffen (APT).",
        "basis_kind": "local_routine",
    },
    ("reporter_feedback", LM): {
        "start_event": "investigation_completed",
        "legal_basis": "Återkoppling till den som rapporterade när utredningen är klar, även på "
        "arbetsplatsträffen (APT).",
        "basis_kind": "local_routine",
    },
}
# A rule revision 2 adds where the version in force has none (§4: reporter_feedback for
# deviations too).
ADDED = [
    {
        "key": "reporter_feedback", "case_type": AV, "start_event": "investigation_completed",
        "duration_value": 14, "duration_unit": "calendar_days", "responsible": "manager",
        "reminders": ["half", "1wd"], "escalation_target": "superior",
        "second_escalation_target": "oversight", "second_escalation_after": 2,
        "second_escalation_unit": "working_days", "cap_months": None, "cap_anchor": None,
        "legal_basis": "Återkoppling till den som rapporterade när utredningen är klar, även på "
        "arbetsplatsträffen (APT).",
        "basis_kind": "local_routine", "enabled": True,
    },
]
RULE_FIELDS = (
    "key", "case_type", "start_event", "duration_value", "duration_unit", "responsible",
    "escalation_target", "second_escalation_target", "second_escalation_after",
    "second_escalation_unit", "cap_months", "cap_anchor", "legal_basis", "basis_kind", "enabled",
)

policies = sa.table(
    "deadline_policies", sa.column("id", sa.Integer), sa.column("version", sa.Integer),
    sa.column("note", sa.Text), sa.column("created_by_id", sa.Integer),
    sa.column("created_at", app.models.base.UTCDateTime()),
)
rules = sa.table(
    "deadline_rules", sa.column("id", sa.Integer), sa.column("policy_id", sa.Integer),
    *(sa.column(name) for name in RULE_FIELDS), sa.column("reminders", sa.JSON),
)
closures = sa.table(
    "closures", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
    sa.column("feedback_on", sa.Date), sa.column("feedback_channel", sa.String),
    sa.column("feedback_text", sa.Text), sa.column("closed_by_id", sa.Integer),
    sa.column("closed_at", app.models.base.UTCDateTime()),
)
feedback = sa.table(
    "feedback", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
    sa.column("given_on", sa.Date), sa.column("channel", sa.String), sa.column("text", sa.Text),
    sa.column("recorded_by_id", sa.Integer),
    sa.column("recorded_at", app.models.base.UTCDateTime()),
)


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_feedback_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_feedback_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_case_id"), ["case_id"], unique=False)

    # Each closure's feedback, as given, recorded by whoever closed the case when they closed it.
    op.execute(
        feedback.insert().from_select(
            ["case_id", "given_on", "channel", "text", "recorded_by_id", "recorded_at"],
            sa.select(
                closures.c.case_id, closures.c.feedback_on, closures.c.feedback_channel,
                closures.c.feedback_text, closures.c.closed_by_id, closures.c.closed_at,
            ).order_by(closures.c.id),
        )
    )
    with op.batch_alter_table("closures", schema=None) as batch_op:
        batch_op.drop_column("feedback_text")
        batch_op.drop_column("feedback_channel")
        batch_op.drop_column("feedback_on")

    _policy_rev2()


def _policy_rev2() -> None:
    bind = op.get_bind()
    current = bind.execute(
        sa.select(policies.c.id, policies.c.version).order_by(policies.c.version.desc()).limit(1)
    ).first()
    if current is None:
        return  # no policy to correct (the first migration writes version 1)
    rows = [
        dict(row._mapping)
        for row in bind.execute(
            sa.select(*(rules.c[name] for name in (*RULE_FIELDS, "reminders")))
            .where(rules.c.policy_id == current.id)
            .order_by(rules.c.id)
        )
    ]
    bind.execute(policies.insert().values(
        version=current.version + 1, note=NOTE, created_by_id=None, created_at=datetime.now(UTC),
    ))
    policy_id = bind.execute(
        sa.select(policies.c.id).where(policies.c.version == current.version + 1)
    ).scalar_one()
    present = {(row["key"], row["case_type"]) for row in rows}
    new_rows = [{**row, **CHANGES.get((row["key"], row["case_type"]), {})} for row in rows]
    new_rows += [row for row in ADDED if (row["key"], row["case_type"]) not in present]
    op.bulk_insert(rules, [{**row, "policy_id": policy_id} for row in new_rows])


def downgrade() -> None:
    bind = op.get_bind()
    # The version this revision wrote goes only if no deadline was created under it; otherwise
    # it stays as data (the earlier code reads its rules like any admin's version).
    policy_id = bind.execute(
        sa.select(policies.c.id).where(policies.c.note == NOTE)
    ).scalar()
    if policy_id is not None:
        used = bind.execute(
            sa.text(
                "SELECT count(*) FROM deadlines JOIN deadline_rules "
                "ON deadlines.rule_id = deadline_rules.id WHERE deadline_rules.policy_id = :p"
            ).bindparams(p=policy_id)
        ).scalar()
        if not used:
            bind.execute(rules.delete().where(rules.c.policy_id == policy_id))
            bind.execute(policies.delete().where(policies.c.id == policy_id))

    with op.batch_alter_table("closures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feedback_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("feedback_channel", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("feedback_text", sa.Text(), nullable=True))
    # A closure gets the case's latest feedback given before it closed (or any, if none was).
    for closure in bind.execute(sa.select(closures.c.id, closures.c.case_id, closures.c.closed_at)):
        given = bind.execute(
            sa.select(feedback.c.given_on, feedback.c.channel, feedback.c.text)
            .where(feedback.c.case_id == closure.case_id)
            .order_by((feedback.c.recorded_at <= closure.closed_at).desc(), feedback.c.recorded_at.desc(), feedback.c.id.desc())
            .limit(1)
        ).first()
        bind.execute(
            closures.update().where(closures.c.id == closure.id).values(
                feedback_on=given.given_on if given else closure.closed_at.date(),
                feedback_channel=given.channel if given else "direct",
                feedback_text=given.text if given else "",
            )
        )
    with op.batch_alter_table("closures", schema=None) as batch_op:
        batch_op.alter_column("feedback_on", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("feedback_channel", existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column("feedback_text", existing_type=sa.Text(), nullable=False)

    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_case_id"))
    op.drop_table("feedback")
