"""the default deadline rules' basis texts no longer carry the rule's length

The page now ends each basis with the length taken from the rule itself
(app.deadline_labels.basis_length), so a number written into the text went stale as soon as the
administrator changed the rule (24 h to 12 h, and the text still said "24 timmar"). The sentences
the default policy wrote are taken out of every rule that still carries them, in every version:
each said what its rule's own length now says.

Revision ID: a14ba5150001
Revises: a14b00000001
Create Date: 2026-12-02 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'a14ba5150001'
down_revision = 'a14b00000001'
branch_labels = None
depends_on = None

# (key, case type, the default's length and unit, the sentence the default policy ended with)
LS, LM, AV = "lex_sarah", "lex_maria", "deviation"
SENTENCES = [
    ("immediate_measures", LS, 24, "hours", " 24 timmar är lokal rutin."),
    ("immediate_measures", LM, 24, "hours", " 24 timmar är lokal rutin."),
    ("investigation_start", LS, 2, "working_days", " 2 arbetsdagar är lokal rutin."),
    ("investigation_start", LM, 2, "working_days", " 2 arbetsdagar är lokal rutin."),
    ("investigation_complete", LS, 42, "calendar_days", " Sex veckor är lokal rutin."),
    ("investigation_complete", LM, 42, "calendar_days", " Sex veckor är lokal rutin."),
    ("decision", LS, 5, "working_days", " 5 arbetsdagar är lokal rutin."),
    ("decision", LM, 5, "working_days", " 5 arbetsdagar är lokal rutin."),
    ("ivo_filing", LS, 7, "calendar_days", " 7 dagar är lokal rutin."),
    ("ivo_filing", LM, 7, "calendar_days",
     " 7 dagar och högst två månader efter händelsen är lokal rutin."),
    ("investigation_to_ivo", LM, 2, "months", " Två månader efter rapporten är lokal rutin."),
    ("patient_information", LM, 7, "calendar_days", " 7 dagar är lokal rutin."),
    ("reporter_feedback", LS, 14, "calendar_days", " 14 dagar är lokal rutin."),
    ("reporter_feedback", LM, 14, "calendar_days", " 14 dagar är lokal rutin."),
    ("deviation_assessment", AV, 3, "working_days", " 3 arbetsdagar är lokal rutin."),
    ("local_investigation", AV, 30, "calendar_days", " 30 dagar är lokal rutin."),
]


def upgrade() -> None:
    strip = sa.text(
        "UPDATE deadline_rules SET legal_basis = REPLACE(legal_basis, :sentence, '') "
        "WHERE key = :key AND case_type = :case_type"
    )
    for key, case_type, _value, _unit, sentence in SENTENCES:
        op.execute(strip.bindparams(key=key, case_type=case_type, sentence=sentence))


def downgrade() -> None:
    # Only where the rule still has the default's length: the sentence is true of it again.
    append = sa.text(
        "UPDATE deadline_rules SET legal_basis = legal_basis || :sentence "
        "WHERE key = :key AND case_type = :case_type AND duration_value = :value "
        "AND duration_unit = :unit AND legal_basis NOT LIKE :ending"
    )
    for key, case_type, value, unit, sentence in SENTENCES:
        op.execute(
            append.bindparams(
                key=key, case_type=case_type, value=value, unit=unit, sentence=sentence,
                ending=f"%{sentence}",
            )
        )
