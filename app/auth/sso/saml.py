"""SAML 2.0 through pysaml2 (which verifies signatures with the xmlsec1 program): Lexflöde is
the service provider, the municipality's IdP is described by its metadata (a file or a URL).

Only signed assertions are accepted (want_assertions_signed), checked against the certificate in
the IdP's metadata, and only in answer to a request this browser made: the request's id travels
in a signed cookie of its own, since the IdP posts to the ACS from another site and the session
cookie (SameSite=Lax) does not come along on such a post.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.sigver import get_xmlsec_binary

from .signin import Identity, groups_from

EXTENSION = "lexflode_saml"
COOKIE = "lexflode_saml"
# Long enough to sign in at the IdP with a second factor, short enough not to linger.
REQUEST_SECONDS = 600
# Metadata fetched from a URL is read again after this long: the IdP rolls its certificate.
METADATA_SECONDS = 24 * 3600

EMAIL_ATTRIBUTES = (
    "mail",
    "email",
    "emailAddress",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)
NAME_ATTRIBUTES = (
    "displayName",
    "cn",
    "name",
    "http://schemas.microsoft.com/identity/claims/displayname",
)


class SamlError(Exception):
    """The IdP's answer is not one to sign anyone in with."""


def configured(config: Mapping[str, Any]) -> bool:
    return bool(config.get("SAML_IDP_METADATA"))


def base_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def entity_id() -> str:
    return str(current_app.config.get("SAML_SP_ENTITY_ID") or base_url() + "/saml/metadata")


def acs_url() -> str:
    return base_url() + "/saml/acs"


@dataclass
class _Cached:
    config: SPConfig
    loaded_at: float


def sp_config() -> SPConfig:
    """Built once per process (reading the metadata is slow), again once a URL's is old."""
    cached: _Cached | None = current_app.extensions.get(EXTENSION)
    if cached is None or time.monotonic() - cached.loaded_at > METADATA_SECONDS:
        cached = _Cached(_build_config(current_app.config), time.monotonic())
        current_app.extensions[EXTENSION] = cached
    return cached.config


def _build_config(config: Mapping[str, Any]) -> SPConfig:
    source = str(config["SAML_IDP_METADATA"])
    metadata = (
        {"remote": [{"url": source}]}
        if source.startswith(("https://", "http://"))
        else {"local": [source]}
    )
    settings: dict[str, Any] = {
        "entityid": entity_id(),
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "metadata": metadata,
        "allow_unknown_attributes": True,
        "accepted_time_diff": 120,
        "service": {
            "sp": {
                "name": "Lexflöde",
                "endpoints": {"assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]},
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "authn_requests_signed": bool(config.get("SAML_SP_KEY_FILE")),
                "name_id_policy_format": config.get("SAML_NAMEID_FORMAT")
                or NAMEID_FORMAT_PERSISTENT,
                "name_id_format_allow_create": True,
            }
        },
    }
    key, cert = config.get("SAML_SP_KEY_FILE"), config.get("SAML_SP_CERT_FILE")
    if key and cert:
        settings["key_file"] = key
        settings["cert_file"] = cert
        settings["encryption_keypairs"] = [{"key_file": key, "cert_file": cert}]
    sp = SPConfig()
    sp.load(settings)
    return sp


def metadata_xml() -> str:
    return create_metadata_string(None, config=sp_config(), valid=None).decode()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(current_app.config["SECRET_KEY"]), salt="saml-request")


def start(next_path: str | None) -> tuple[str, str]:
    """The IdP's address carrying a new AuthnRequest, and the cookie value that remembers it."""
    client = Saml2Client(config=sp_config())
    idp = current_app.config.get("SAML_IDP_ENTITY_ID") or None
    request_id, info = client.prepare_for_authenticate(entityid=idp, binding=BINDING_HTTP_REDIRECT)
    location = dict(info["headers"])["Location"]
    return location, _serializer().dumps({"id": request_id, "next": next_path or ""})


def outstanding(cookie: str | None) -> tuple[dict[str, str], str | None]:
    """The request this browser is waiting on, and where it was going."""
    if not cookie:
        return {}, None
    try:
        data = _serializer().loads(cookie, max_age=REQUEST_SECONDS)
    except BadSignature:
        return {}, None
    return {str(data["id"]): str(data.get("next") or "")}, str(data.get("next") or "") or None


def finish(saml_response: str, waiting: dict[str, str]) -> Identity:
    """The verified assertion's subject and attributes. pysaml2 raises when the assertion is
    unsigned, signed by another key, expired, for another audience or for no request of ours."""
    if not waiting:
        raise SamlError("no request is waiting for an answer")
    client = Saml2Client(config=sp_config())
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=waiting
        )
    except Exception as error:  # pysaml2 raises a dozen unrelated classes for a bad answer
        raise SamlError(f"{type(error).__name__}: {error}") from error
    if response is None or response.assertion is None:
        raise SamlError("no assertion")
    name_id = response.name_id
    if name_id is None or not name_id.text:
        raise SamlError("no NameID")
    # A transient id is new at every sign-in: it cannot find the same person twice.
    if name_id.format == NAMEID_FORMAT_TRANSIENT:
        raise SamlError("transient NameID")
    return identity_from(name_id.text.strip(), response.get_identity(), current_app.config)


def identity_from(subject: str, ava: Mapping[str, Any], config: Mapping[str, Any]) -> Identity:
    def first(names: tuple[str, ...]) -> str:
        for name in names:
            values = ava.get(name) or []
            for value in values if isinstance(values, list) else [values]:
                if value:
                    return str(value).strip()
        return ""

    email_attr = str(config.get("SAML_EMAIL_ATTRIBUTE") or "")
    name_attr = str(config.get("SAML_NAME_ATTRIBUTE") or "")
    groups_attr = str(config.get("SAML_GROUPS_ATTRIBUTE") or "groups")
    name = first(((name_attr,) if name_attr else ()) + NAME_ATTRIBUTES)
    if not name:
        name = " ".join(v for v in (first(("givenName",)), first(("sn", "surname"))) if v)
    return Identity(
        subject=subject,
        email=first(((email_attr,) if email_attr else ()) + EMAIL_ATTRIBUTES),
        name=name,
        groups=groups_from(ava.get(groups_attr)),
    )
