from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField

from .base import required


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[required()])
    password = PasswordField(_l("Lösenord"), validators=[required()])
