"""Thin views: send the browser to the identity provider, take its answer, and start the same
session the password login starts (app/auth/views.py)."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import db
from app.auth.loaders import remember_generation
from app.auth.views import _safe_next
from app.authz import public
from app.extensions import csrf
from app.security import sessions

from . import bp, oidc, saml, signin

log = logging.getLogger("lexflode.sso")

NEXT = "_sso_next"
FAILED = "failed"

REFUSALS = {
    signin.NO_ROLE: _l(
        "Ditt konto i kommunens katalog ger ingen behörighet i Lexflöde. Du är inte med i "
        "någon av de grupper som ger en roll här. Kontakta systemförvaltaren eller din chef om "
        "du behöver tillgång."
    ),
    signin.INACTIVE: _l(
        "Ditt konto i Lexflöde är inaktiverat. Kontakta systemförvaltaren om du behöver "
        "tillgång igen."
    ),
    signin.NOT_PROVISIONED: _l(
        "Det finns inget konto i Lexflöde för dig ännu. Konton skapas från kommunens katalog; "
        "kontakta systemförvaltaren."
    ),
    signin.NO_EMAIL: _l(
        "Identitetsleverantören skickade ingen e-postadress för dig, så inget konto kunde "
        "skapas. Kontakta systemförvaltaren."
    ),
    signin.EMAIL_TAKEN: _l(
        "Det finns redan ett konto i Lexflöde med din e-postadress, men det är inte kopplat "
        "till ditt konto i kommunens katalog. Kontakta systemförvaltaren, som kan koppla ihop "
        "dem."
    ),
    FAILED: _l(
        "Inloggningen via identitetsleverantören kunde inte genomföras. Svaret gick inte att "
        "lita på eller var för gammalt. Försök igen från inloggningssidan."
    ),
}


@bp.app_context_processor
def _providers() -> dict[str, Any]:
    """The sign-in buttons the login page shows (auth/_sso_buttons.html)."""
    if not has_request_context():
        return {}  # a mail rendered by the scheduler
    config = current_app.config
    found = []
    both = oidc.configured(config) and saml.configured(config)
    if oidc.configured(config):
        found.append(
            (
                url_for("sso.oidc_login", next=request.args.get("next")),
                config.get("SSO_OIDC_LABEL")
                or (_("Logga in med organisationskonto") if both else None),
            )
        )
    if saml.configured(config):
        found.append(
            (
                url_for("sso.saml_login", next=request.args.get("next")),
                config.get("SSO_SAML_LABEL")
                or (_("Logga in med e-legitimation") if both else None),
            )
        )
    return {"sso_providers": found}


def _refused(reason: str, detail: str = "") -> tuple[str, int]:
    # Said in the log, not on the page: why a token or assertion was not trusted.
    log.warning("single sign-on refused: %s %s", reason, detail)
    status = 400 if reason == FAILED else 403
    return render_template("auth/sso_refused.html", message=REFUSALS[reason]), status


def _signed_in(identity: signin.Identity, next_path: str | None) -> Any:
    db_session = db.session()
    signin.ensure_configured_mappings(db_session, current_app.config)
    outcome = signin.sign_in(db_session, identity, signin.Policy.from_config(current_app.config))
    if outcome.user is None:
        return _refused(outcome.refused or FAILED, identity.subject)
    sessions.begin(outcome.user)
    remember_generation(outcome.user)
    return redirect(_safe_next(next_path) or url_for("cases.inbox"))


@bp.get("/sso/oidc")
@public
def oidc_login() -> Any:
    if not oidc.configured(current_app.config):
        abort(404)
    session[NEXT] = _safe_next(request.args.get("next")) or ""
    try:
        return oidc.authorize_redirect(url_for_base("sso.oidc_callback"))
    except Exception as error:  # the provider's discovery document could not be read
        return _refused(FAILED, f"{type(error).__name__}: {error}")


@bp.get("/sso/oidc/callback")
@public
def oidc_callback() -> Any:
    if not oidc.configured(current_app.config):
        abort(404)
    next_path = session.pop(NEXT, None)
    try:
        identity = oidc.finish()
    except Exception as error:  # Authlib's and joserfc's errors share no base class
        return _refused(FAILED, f"{type(error).__name__}: {error}")
    return _signed_in(identity, next_path)


@bp.get("/saml/login")
@public
def saml_login() -> Any:
    if not saml.configured(current_app.config):
        abort(404)
    location, cookie = saml.start(_safe_next(request.args.get("next")))
    response = redirect(location)
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    response.set_cookie(
        saml.COOKIE,
        cookie,
        max_age=saml.REQUEST_SECONDS,
        path="/saml/",
        secure=secure,
        httponly=True,
        # The IdP posts back from its own site; a browser sends only a SameSite=None cookie on
        # that post, and accepts one only when it is Secure too.
        samesite="None" if secure else "Lax",
    )
    return response


@bp.post("/saml/acs")
@public
@csrf.exempt
def saml_acs() -> Any:
    if not saml.configured(current_app.config):
        abort(404)
    waiting, next_path = saml.outstanding(request.cookies.get(saml.COOKIE))
    try:
        identity = saml.finish(request.form.get("SAMLResponse", ""), waiting)
    except saml.SamlError as error:
        page = make_response(_refused(FAILED, str(error)))
    else:
        page = make_response(_signed_in(identity, next_path))
    # One answer per request: the same response posted again finds nothing waiting.
    page.delete_cookie(saml.COOKIE, path="/saml/")
    return page


@bp.get("/saml/metadata")
@public
def saml_metadata() -> Response:
    if not saml.configured(current_app.config):
        abort(404)
    return Response(saml.metadata_xml(), mimetype="application/samlmetadata+xml")


def url_for_base(endpoint: str) -> str:
    """An address of ours as the provider knows it: BASE_URL, which the administrator
    registered there, not whatever Host the request came with."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + url_for(endpoint)
