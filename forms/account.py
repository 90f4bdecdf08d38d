"""What a signed-in user sets for themselves: the language of the pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import AnyOf

from .base import AppForm, options, required_choice
from .storable import StorableForm

# Each language named in itself, as language menus do everywhere: someone who cannot read the
# page's current language still finds their own. The page marks each name with its lang.
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


class LanguageForm(StorableForm, AppForm):
    locale = RadioField(
        _l("Språk"),
        choices=options(LANGUAGE_NAMES.items()),
        # AnyOf says what is wrong in our words; RadioField's own check would say it in WTForms'.
        validate_choice=False,
        validators=[
            required_choice(),
            AnyOf(list(LANGUAGE_NAMES), message=_l("Välj ett av språken i listan.")),
        ],
    )
