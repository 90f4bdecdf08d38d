"""directory: subjects, SCIM ids, groups and group mappings (DOMAIN.md §2 rev. 2)

Users signed in through the identity provider are found by its stable subject; SCIM gives
users and groups their resource ids; directory groups map to roles and units.

Revision ID: a15d00000001
Revises: a14a77ac0001
Create Date: 2026-12-02 07:30:00
"""

from alembic import op
import sqlalchemy as sa
import app.models.base


revision = "a15d00000001"
down_revision = "a14a77ac0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scim_id", sa.String(length=36), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_groups")),
        sa.UniqueConstraint("display_name", name=op.f("uq_directory_groups_display_name")),
        sa.UniqueConstraint("scim_id", name=op.f("uq_directory_groups_scim_id")),
    )
    with op.batch_alter_table("directory_groups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_groups_external_id"), ["external_id"], unique=False
        )

    op.create_table(
        "directory_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["directory_groups.id"],
            name=op.f("fk_directory_group_members_group_id_directory_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_directory_group_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_directory_group_members")),
    )
    with op.batch_alter_table("directory_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_group_members_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "group_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_group_mappings_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_mappings")),
        sa.UniqueConstraint(
            "group_key", "role", "unit_id", name=op.f("uq_group_mappings_group_key")
        ),
    )
    with op.batch_alter_table("group_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_mappings_group_key"), ["group_key"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("scim_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("directory_managed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_users_external_id"), ["external_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_scim_id"), ["scim_id"])
        batch_op.create_unique_constraint(batch_op.f("uq_users_subject"), ["subject"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_subject"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_users_scim_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_users_external_id"))
        batch_op.drop_column("directory_managed")
        batch_op.drop_column("scim_id")
        batch_op.drop_column("external_id")
        batch_op.drop_column("subject")

    with op.batch_alter_table("group_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_mappings_group_key"))

    op.drop_table("group_mappings")
    with op.batch_alter_table("directory_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_group_members_user_id"))

    op.drop_table("directory_group_members")
    with op.batch_alter_table("directory_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_groups_external_id"))

    op.drop_table("directory_groups")
