"""WTForms' own messages ("This field is required.", "Not a valid choice." …) in the language of
the page, for every form and every form inside one (FormField).

WTForms asks its form's Meta for a translations object and passes it the English text. Its own
Swedish catalogue is incomplete and partly wrong ("Felaktigt val; kunde inte ceorce:a"), and a
plain ``wtforms.Form`` — the persons of a report — asks for none at all, so its messages stayed
English on Swedish pages. Here the Swedish of WTForms' domain is kept in the app's own words,
keyed by WTForms' English as its catalogue is; any other language falls back to WTForms'
catalogue for it, whose source is English (so an English page gets WTForms' English).

tests/i18n/test_form_messages.py checks that every message WTForms and Flask-WTF can give has
its Swedish here, so a WTForms upgrade that adds one fails there rather than on a page.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_wtf.i18n import translations as wtforms_catalogue

PLEASE_RELOAD = "Ladda om sidan och försök igen."

# WTForms' English → Swedish; a pair for the messages WTForms counts (singular, plural), which
# in Swedish are mostly the same words. The placeholders are WTForms' and must stay.
SWEDISH: dict[str, str | tuple[str, str]] = {
    # Missing
    "This field is required.": "Fältet måste fyllas i.",
    # Length
    "Field must be at least %(min)d character long.": (
        "Fältet måste ha minst %(min)d tecken.",
        "Fältet måste ha minst %(min)d tecken.",
    ),
    "Field cannot be longer than %(max)d character.": (
        "Fältet får ha högst %(max)d tecken.",
        "Fältet får ha högst %(max)d tecken.",
    ),
    "Field must be exactly %(max)d character long.": (
        "Fältet måste ha exakt %(max)d tecken.",
        "Fältet måste ha exakt %(max)d tecken.",
    ),
    "Field must be between %(min)d and %(max)d characters long.": (
        "Fältet måste ha mellan %(min)d och %(max)d tecken."
    ),
    # Choices
    "Not a valid choice.": "Inte ett giltigt val.",
    "Invalid Choice: could not coerce.": "Inte ett giltigt val.",
    "Invalid choice(s): one or more data inputs could not be coerced.": (
        "Ett eller flera val är inte giltiga."
    ),
    "'%(value)s' is not a valid choice for this field.": (
        "”%(value)s” är inte ett giltigt val.",
        "”%(value)s” är inte giltiga val.",
    ),
    "Choices cannot be None.": "Fältet har inga alternativ.",
    "Invalid value, must be one of: %(values)s.": "Välj något av: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Värdet får inte vara något av: %(values)s.",
    # Values of a type
    "Not a valid integer value.": "Ange ett heltal.",
    "Not a valid decimal value.": "Ange ett tal.",
    "Not a valid float value.": "Ange ett tal.",
    "Not a valid date value.": "Skriv datumet som ÅÅÅÅ-MM-DD.",
    "Not a valid datetime value.": "Skriv datum och klockslag som ÅÅÅÅ-MM-DD TT:MM.",
    "Not a valid time value.": "Skriv klockslaget som TT:MM.",
    "Not a valid week value.": "Skriv veckan som ÅÅÅÅ-Vnn.",
    "Number must be at least %(min)s.": "Talet måste vara minst %(min)s.",
    "Number must be at most %(max)s.": "Talet får vara högst %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Talet måste vara mellan %(min)s och %(max)s.",
    "Date must be at least %(min)s.": "Datumet får inte vara före %(min)s.",
    "Date must be at most %(max)s.": "Datumet får inte vara efter %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Datumet måste vara mellan %(min)s och %(max)s.",
    # Formats
    "Invalid input.": "Uppgiften har fel form.",
    "Invalid email address.": "Skriv en giltig e-postadress.",
    "Invalid IP address.": "Skriv en giltig IP-adress.",
    "Invalid Mac address.": "Skriv en giltig MAC-adress.",
    "Invalid URL.": "Skriv en giltig webbadress.",
    "Invalid UUID.": "Skriv ett giltigt UUID.",
    "Field must be equal to %(other_name)s.": "Fältet måste vara samma som %(other_name)s.",
    "Invalid field name '%s'.": "Det finns inget fält som heter ”%s”.",
    # Fields that take no input
    "This field cannot be edited.": "Fältet kan inte ändras.",
    "This field is disabled and cannot have a value.": "Fältet är avstängt och ska vara tomt.",
    # WTForms' own CSRF (Flask-WTF's says its own, untranslated, and the app's CSRFProtect
    # answers first)
    "Invalid CSRF Token.": "Formulärets kontrollkod stämmer inte. " + PLEASE_RELOAD,
    "CSRF token missing.": "Formulärets kontrollkod saknas. " + PLEASE_RELOAD,
    "CSRF failed.": "Formuläret kunde inte kontrolleras. " + PLEASE_RELOAD,
    "CSRF token expired.": "Formuläret har varit öppet för länge. " + PLEASE_RELOAD,
    # Flask-WTF's file validators
    "File does not have an approved extension: {extensions}": (
        "Filen har inte en tillåten filändelse: {extensions}"
    ),
    "File does not have an approved extension.": "Filen har inte en tillåten filändelse.",
}


def _swedish() -> bool:
    # Outside a request (a CLI command validating a form) the app's own language: Swedish.
    locale = get_locale()
    return locale is None or locale.language == "sv"


class FormMessages:
    """What a form's Meta.get_translations hands WTForms; asked each time a message is made, so
    one object serves every request whatever its language."""

    def gettext(self, string: str) -> str:
        if not _swedish():
            return str(wtforms_catalogue.gettext(string))
        found = SWEDISH.get(string)
        return found if isinstance(found, str) else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not _swedish():
            return str(wtforms_catalogue.ngettext(singular, plural, n))
        found: Any = SWEDISH.get(singular)
        if isinstance(found, tuple):
            return str(found[0] if n == 1 else found[1])
        return singular if n == 1 else plural


MESSAGES = FormMessages()
