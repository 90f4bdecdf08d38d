"""The second factor's forms: the code at sign-in, and the code that confirms enrolment."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from .base import AppForm, required
from .storable import StorableForm


class SignInCodeForm(StorableForm, AppForm):
    code = StringField(
        _l("Kod"),
        validators=[required(), Length(max=40, message=_l("Koden är för lång."))],
        description=_l(
            "Sex siffror från appen för tvåstegsverifiering, eller en av dina återställningskoder."
        ),
    )


class EnrolCodeForm(StorableForm, AppForm):
    code = StringField(
        _l("Kod från appen"),
        validators=[required(), Length(max=40, message=_l("Koden är för lång."))],
        description=_l("Sex siffror. Koden byts var 30:e sekund."),
    )
