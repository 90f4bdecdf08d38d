"""Flask extensions, created unbound and wired in the factory."""

from flask import request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Logga in för att fortsätta."
login_manager.login_message_category = "info"

csrf = CSRFProtect()


def select_locale() -> str:
    # Swedish first; English on request (per user in a later step).
    from flask import current_app

    chosen = request.args.get("lang") if request else None
    if chosen and chosen in current_app.config["LANGUAGES"]:
        return chosen
    locale = getattr(current_user, "locale", None) if current_user else None
    return str(locale or current_app.config["BABEL_DEFAULT_LOCALE"])


babel = Babel()
