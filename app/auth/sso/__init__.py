"""Sign-in through the municipality's identity provider: OpenID Connect (oidc.py) and SAML 2.0
(saml.py), both ending in the same sign-in (signin.py) and the same session start as the
password login. Each is switched on by its settings (app/config.py, docs/operations.md)."""

import logging

from flask import Blueprint, Flask

# pysaml2 and xmlschema report every step at INFO, some while being imported; what matters is
# logged by the views (lexflode.sso).
logging.getLogger("saml2").setLevel(logging.WARNING)
logging.getLogger("xmlschema").setLevel(logging.WARNING)

bp = Blueprint("sso", __name__)


def init_app(app: Flask) -> None:
    from . import oidc

    oidc.init_app(app)
    app.register_blueprint(bp)


from . import views  # noqa: E402, F401
