"""Which directory group gives which role (DOMAIN.md §2 rev. 2), as the administrator adds it.
The units to choose from come from the caller; a duplicate is found by the operation
(app/admin/group_mappings.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, ValidationError
from wtforms.validators import Length

from app.labels import ROLE_LABELS
from app.models.org import ROLES

from .admin import WholeNumberField
from .base import AppForm, options, required, required_choice


class GroupMappingForm(AppForm):
    group_key = StringField(
        _l("Grupp i katalogen"),
        validators=[required(), Length(max=255)],
        description=_l(
            "Gruppens namn eller id så som identitetsleverantören skickar den, till exempel "
            "gruppens objekt-id i Entra ID."
        ),
    )
    role = RadioField(
        _l("Roll"),
        choices=options((r, ROLE_LABELS[r]) for r in ROLES),
        validators=[required_choice()],
    )
    # Chosen from a list of units (the page offers names).
    unit_id = WholeNumberField(
        _l("Enhet som chefen leder"),
        description=_l("Bara för rollen Enhetschef. Chefen ansvarar också för enheterna under."),
    )

    def __init__(self, *args: Any, unit_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unit_ids = unit_ids or set()

    def validate_unit_id(self, field: Any) -> None:
        if field.data is None:
            return
        if self.role.data != "manager":
            raise ValidationError(
                _l("Bara rollen Enhetschef leder en enhet. Välj Enhetschef eller ingen enhet.")
            )
        if field.data not in self._unit_ids:
            raise ValidationError(_l("Välj en enhet i listan."))
