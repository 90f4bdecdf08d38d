"""The log reviewer's filters of the administrative trail (DOMAIN.md §2 rev. 2): whose access
changed, what kind of change, and when."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from .base import AppForm
from .logreview import ListChoiceField, _last_not_before_first, day_field


class AdminLogForm(AppForm):
    """Sent with GET: the field names are the query string of a search one can bookmark."""

    anvandare = ListChoiceField(
        _l("Vems behörighet"),
        message=_l("Välj en användare i listan."),
        description=_l("Användaren vars roller, enheter eller konto ändrades."),
    )
    typ = ListChoiceField(_l("Ändring"), message=_l("Välj en typ av ändring i listan."))
    fran = day_field(_l("Från och med"), optional=True)
    till = day_field(_l("Till och med"), optional=True)

    def validate_till(self, field: Any) -> None:
        _last_not_before_first(self.fran.data, field.data)
