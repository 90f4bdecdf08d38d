"""What a user changes for themselves."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.models import User
from forms.account import LanguageForm
from workflows.engine import validate_form
from workflows.errors import InvalidData, NotAllowed


def set_locale(session: Session, user: User, locale: str | None) -> None:
    """Stores the language ``user`` reads the pages in: one of config LANGUAGES."""
    if not user.is_active:
        raise NotAllowed(_("Kontot är inte aktivt."))
    form = validate_form(LanguageForm, {"locale": locale or ""})
    chosen = form.locale.data
    if chosen not in current_app.config["LANGUAGES"]:
        # The form knows the names of more languages than this installation offers.
        raise InvalidData(
            _("Uppgifterna är inte kompletta eller felaktiga."),
            {"locale": [_("Välj ett av språken i listan.")]},
        )
    user.locale = chosen
    session.flush()
