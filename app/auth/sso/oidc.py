"""OpenID Connect through Authlib: the authorization code flow with PKCE (S256) against a
provider found by its issuer's discovery document.

Authlib checks the ID token's signature against the provider's JWKS, its expiry and the nonce it
sent; the issuer and the audience are named here explicitly (claims_options), since Authlib on
its own accepts an audience that is not ours as long as ``azp`` names us.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from .signin import Identity, groups_from

NAME = "oidc"
EXTENSION = "lexflode_oidc"


class OidcError(Exception):
    """The provider's answer is not one to sign anyone in with."""


def configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def init_app(app: Flask) -> None:
    if not configured(app.config):
        return
    config = app.config
    oauth = OAuth(app)
    oauth.register(
        NAME,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config.get("OIDC_CLIENT_SECRET") or None,
        server_metadata_url=discovery_url(config["OIDC_ISSUER"]),
        client_kwargs={
            "scope": config.get("OIDC_SCOPES") or "openid email profile",
            "code_challenge_method": "S256",
            "timeout": 10,
        },
    )
    app.extensions[EXTENSION] = oauth


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def client() -> Any:
    return current_app.extensions[EXTENSION].create_client(NAME)


def claims_options(issuer: str, client_id: str) -> dict[str, Any]:
    """The ID token must come from the issuer, be meant for us and say when it expires
    (OpenID Connect Core §3.1.3.7)."""
    return {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [client_id]},
        "exp": {"essential": True},
        "sub": {"essential": True},
    }


def issuer_of(oauth_client: Any) -> str:
    """The issuer as discovery names it, which must be the one configured (OpenID Connect
    Discovery §4.3): otherwise a document on another host could speak for it."""
    metadata = oauth_client.load_server_metadata()
    issuer = str(metadata.get("issuer") or "")
    if issuer.rstrip("/") != str(current_app.config["OIDC_ISSUER"]).rstrip("/"):
        raise OidcError(f"discovery names issuer {issuer!r}")
    return issuer


def authorize_redirect(redirect_uri: str) -> Any:
    return client().authorize_redirect(redirect_uri)


def finish() -> Identity:
    """Exchanges the code (with the PKCE verifier) for tokens and reads the validated ID
    token. Authlib raises on a refused signature, issuer, audience, nonce or expiry."""
    oauth_client = client()
    options = claims_options(issuer_of(oauth_client), oauth_client.client_id)
    token = oauth_client.authorize_access_token(claims_options=options)
    claims = token.get("userinfo")
    if not claims:
        # No ID token, or one Authlib did not check: nothing to trust.
        raise OidcError("no validated ID token")
    return identity_from(claims, current_app.config)


def identity_from(claims: Mapping[str, Any], config: Mapping[str, Any]) -> Identity:
    subject_claim = config.get("OIDC_SUBJECT_CLAIM") or "sub"
    groups_claim = config.get("OIDC_GROUPS_CLAIM") or "groups"
    email = ""
    # Entra ID sends ``email`` only when the mailbox has one; its user principal name is the
    # address people sign in with.
    for key in ("email", "preferred_username", "upn"):
        value = str(claims.get(key) or "")
        if "@" in value:
            email = value
            break
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(
            str(claims.get(k) or "") for k in ("given_name", "family_name") if claims.get(k)
        )
    return Identity(
        subject=str(claims.get(subject_claim) or ""),
        email=email,
        name=name,
        groups=groups_from(claims.get(groups_claim)),
    )
