"""The administrator's list of which directory groups give which roles and units
(app/directory/mapping.py applies it at every sign-in and SCIM change)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.admin_trail import record
from app.auth.sso.signin import configured_mappings
from app.directory.mapping import scim_group_keys
from app.models import GroupMapping, User
from forms.admin_sso import GroupMappingForm
from workflows.engine import validate_form
from workflows.errors import InvalidData

from .operations import Data, require_admin
from .users import unit_choices

# Roles that read case content: no one maps a group they are in to one of them (DOMAIN.md §2
# rev. 2, separation of duties).
CASE_READING = frozenset({"manager", "sas", "mas", "chair", "log_reviewer"})


def mappings(session: Session) -> list[GroupMapping]:
    return list(
        session.scalars(select(GroupMapping).order_by(GroupMapping.group_key, GroupMapping.role))
    )


def from_configuration(mapping: GroupMapping) -> bool:
    """Kept in GROUP_MAPPINGS: removing it here would bring it back at the next sign-in."""
    unit_name = mapping.unit.name if mapping.unit is not None else None
    return any(
        wanted.group == mapping.group_key
        and wanted.role == mapping.role
        and (wanted.unit or None) == (unit_name if mapping.role == "manager" else None)
        for wanted in configured_mappings(current_app.config)
    )


def add_mapping(session: Session, actor: User, data: Data) -> GroupMapping:
    require_admin(actor)
    units = {unit_id for unit_id, _path in unit_choices(session)}
    form = validate_form(GroupMappingForm, data, unit_ids=units)
    key = form.group_key.data.strip()
    role, unit_id = form.role.data, form.unit_id.data
    if role in CASE_READING and key in scim_group_keys(session, actor):
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {
                "group_key": [
                    _("Du är själv med i gruppen och kan inte ge den en roll som läser ärenden.")
                ]
            },
        )
    exists = session.scalar(
        select(GroupMapping.id).where(
            GroupMapping.group_key == key,
            GroupMapping.role == role,
            GroupMapping.unit_id.is_(None) if unit_id is None else GroupMapping.unit_id == unit_id,
        )
    )
    if exists is not None:
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"group_key": [_("Gruppen ger redan den rollen.")]},
        )
    mapping = GroupMapping(group_key=key, role=role, unit_id=unit_id)
    session.add(mapping)
    session.flush()
    # A mapping grants a role to everyone in the group: on the administrative trail like a grant.
    record(session, "group_mapping", "group", mapping.id, key, {}, _trail_values(mapping))
    session.flush()
    return mapping


def remove_mapping(session: Session, actor: User, mapping: GroupMapping) -> None:
    require_admin(actor)
    record(
        session,
        "group_mapping",
        "group",
        mapping.id,
        mapping.group_key,
        _trail_values(mapping),
        {},
    )
    session.delete(mapping)
    session.flush()


def _trail_values(mapping: GroupMapping) -> dict[str, str]:
    unit = mapping.unit.name if mapping.unit is not None else ""
    return {"group": mapping.group_key, "role": mapping.role, "unit": unit}
