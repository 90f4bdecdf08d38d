from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, PasswordField, ValidationError
from wtforms.validators import EqualTo, Length

from .base import AppForm, required
from .storable import StorableForm

# At least 12 characters (OWASP ASVS 2.1.1); at most 128, so that hashing stays bounded.
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128


class LoginForm(StorableForm, AppForm):
    email = EmailField(_l("E-postadress"), validators=[required()])
    password = PasswordField(_l("Lösenord"), validators=[required()])


class ResetRequestForm(StorableForm, AppForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[required(), Length(max=254, message=_l("Adressen är för lång."))],
    )


class NewPasswordForm(StorableForm, AppForm):
    password = PasswordField(_l("Nytt lösenord"), validators=[required()])
    confirm = PasswordField(
        _l("Upprepa lösenordet"),
        validators=[
            required(),
            EqualTo("password", message=_l("Lösenorden stämmer inte överens.")),
        ],
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def validate_password(self, field: Field) -> None:
        value = field.data or ""
        if len(value) < PASSWORD_MIN_LENGTH:
            raise ValidationError(
                _l("Lösenordet måste ha minst %(length)s tecken.", length=PASSWORD_MIN_LENGTH)
            )
        if len(value) > PASSWORD_MAX_LENGTH:
            raise ValidationError(
                _l("Lösenordet får ha högst %(length)s tecken.", length=PASSWORD_MAX_LENGTH)
            )
        if self.email and self.email.strip().lower() in value.strip().lower():
            raise ValidationError(_l("Lösenordet får inte innehålla din e-postadress."))
