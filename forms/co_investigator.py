"""Adding a co-investigator to a case, and removing one (DOMAIN.md §2 rev. 2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired

from .base import StepForm


class CoInvestigatorForm(StepForm):
    # Chosen from the active users; the operation checks the one chosen may be added.
    user_id = IntegerField(
        _l("Ny medutredare"), validators=[InputRequired(message=_l("Välj en användare."))]
    )
