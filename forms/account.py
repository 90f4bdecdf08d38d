"""What a signed-in user sets for themselves: the language of the pages, their API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.validators import AnyOf, Length

from .base import AppForm, options, required, required_choice
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


class TokenForm(StorableForm, AppForm):
    """A new API token for oneself: a name that says where it will be used."""

    name = StringField(
        _l("Namn på token"),
        description=_l("Till exempel systemet eller skriptet som ska använda den."),
        validators=[
            required(),
            Length(max=100, message=_l("Namnet får ha högst %(max)d tecken.", max=100)),
        ],
    )
