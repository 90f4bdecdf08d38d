"""Flask extensions, created unbound and wired in the factory."""

from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# Lazy, and made text when flashed: in the language of the request that is turned away.
login_manager.login_message = _l("Logga in för att fortsätta.")
login_manager.localize_callback = str
login_manager.login_message_category = "info"

csrf = CSRFProtect()


def select_locale() -> str:
    """The signed-in user's own choice (app/account/), else Swedish.

    Nothing in the request overrides it: no ?lang= and no Accept-Language. A URL parameter would
    hold for one page only (the next link, redirect or form post falls back), and the language
    of a page would then depend on where the link came from rather than on the person reading it.
    """
    from flask import current_app

    locale = getattr(current_user, "locale", None) if current_user else None
    if locale in current_app.config["LANGUAGES"]:
        return str(locale)
    # A visitor without an account (the public pages, DOMAIN.md §3.5) chooses with the
    # language switch there; the choice is theirs, kept in their session.
    from flask import has_request_context, session

    chosen = session.get("locale") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"] and not getattr(
        current_user, "is_authenticated", False
    ):
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


babel = Babel()
