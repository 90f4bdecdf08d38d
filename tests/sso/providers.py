"""The identity providers the single sign-on tests sign in at, all real code on real ports:

- OpenID Connect: the ``oidc-provider-mock`` package (discovery, JWKS, the authorization code
  flow, ID tokens signed with its own RSA key), behind a small proxy that can tamper with the ID
  token on its way to Lexflöde (re-signed with another key, or a claim changed under the
  provider's signature), as a man in the middle or a forged provider would.
- SAML 2.0: pysaml2's own IdP (``saml2.server.Server``) with a key and certificate made here,
  signing with xmlsec1 exactly as it would in production.
"""

from __future__ import annotations

import base64
import json
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

# Tampering: None passes the provider's answer on untouched.
FOREIGN_KEY = "foreign_key"
ALTERED_CLAIMS = "altered_claims"


@dataclass
class Proxy:
    """Stands where the provider's address is, forwards to the real provider (its Host kept, so
    the provider names the proxy as issuer and in every endpoint) and, when told, alters the ID
    token in the token endpoint's answer."""

    upstream: str
    tamper: str | None = None
    seen_authorize: list[str] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/oauth2/authorize" and request.method == "GET":
            self.seen_authorize.append(request.url)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        answer = requests.request(
            request.method,
            self.upstream + request.full_path.rstrip("?"),
            headers=headers,
            data=request.get_data(),
            allow_redirects=False,
            timeout=10,
        )
        body = answer.content
        if request.path == "/oauth2/token" and answer.ok and self.tamper:
            token = answer.json()
            token["id_token"] = tampered(token["id_token"], self.tamper)
            body = json.dumps(token).encode()
        passed = [
            (k, v)
            for k, v in answer.headers.items()
            if k.lower() not in ("content-length", "transfer-encoding", "connection")
        ]
        return Response(body, status=answer.status_code, headers=passed)(environ, start_response)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def tampered(id_token: str, how: str) -> str:
    header, payload, signature = id_token.split(".")
    claims = json.loads(_unb64(payload))
    if how == ALTERED_CLAIMS:
        # Someone else's subject under the provider's own signature.
        claims["sub"] = "someone-else"
        return ".".join([header, _b64(json.dumps(claims).encode()), signature])
    # The same claims and key id, signed by a key the provider never published.
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    kid = json.loads(_unb64(header)).get("kid")
    key = RSAKey.generate_key(2048, parameters={"kid": kid} if kid else None)
    return jwt.encode({"alg": "RS256", **({"kid": kid} if kid else {})}, claims, key)


def serve(app: Any, host: str = "127.0.0.1") -> Any:
    server = make_server(host, 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def oidc_provider() -> Iterator[tuple[str, Proxy]]:
    """The provider's issuer URL (the proxy's) and the proxy."""
    with warnings.catch_warnings():
        # The mock imports authlib.jose, which Authlib has deprecated in favour of joserfc.
        warnings.simplefilter("ignore", DeprecationWarning)
        from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(require_nonce=True) as upstream:
        proxy = Proxy(f"http://localhost:{upstream.server_port}")
        server = serve(proxy, "localhost")
        try:
            yield f"http://localhost:{server.server_port}", proxy
        finally:
            server.shutdown()


def set_user(issuer: str, sub: str, claims: dict[str, Any]) -> None:
    """What the provider says about ``sub`` from now on (the mock's PUT /users/<sub>)."""
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()


# --- SAML --------------------------------------------------------------------------------------

IDP_ENTITY_ID = "https://idp.exempelby.test/saml"
IDP_SSO_URL = "https://idp.exempelby.test/saml/sso"


def key_and_certificate(folder: Path, name: str) -> tuple[str, str]:
    """A new RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def idp_settings(key: str, cert: str, sp_metadata: str | None) -> dict[str, Any]:
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import NAMEID_FORMAT_PERSISTENT
    from saml2.sigver import get_xmlsec_binary

    settings: dict[str, Any] = {
        "entityid": IDP_ENTITY_ID,
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "key_file": key,
        "cert_file": cert,
        "service": {
            "idp": {
                "name": "Exempelby kommuns IdP",
                "endpoints": {"single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": 15}}},
            }
        },
    }
    if sp_metadata:
        settings["metadata"] = {"inline": [sp_metadata]}
    return settings


def idp_metadata(key: str, cert: str) -> str:
    """The IdP's metadata, as Lexflöde's administrator would download it from the IdP."""
    from saml2.config import IdPConfig
    from saml2.metadata import create_metadata_string

    config = IdPConfig()
    config.load(idp_settings(key, cert, None))
    return create_metadata_string(None, config=config, valid=None).decode()


def saml_idp(key: str, cert: str, sp_metadata: str) -> Any:
    with warnings.catch_warnings():
        # pysaml2 reaches for a cipher mode cryptography has moved (it signs with RSA, not it).
        warnings.simplefilter("ignore")
        from saml2.config import IdPConfig
        from saml2.server import Server

    config = IdPConfig()
    config.load(idp_settings(key, cert, sp_metadata))
    return Server(config=config)


def saml_response(
    idp: Any,
    saml_request: str,
    subject: str,
    attributes: dict[str, list[str]],
    *,
    sign_assertion: bool = True,
    sign_response: bool = False,
) -> str:
    """The IdP's answer to Lexflöde's AuthnRequest (from the redirect's SAMLRequest), base64 as
    the browser posts it to the ACS."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

    request = idp.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
    message = request.message
    response = idp.create_authn_response(
        attributes,
        in_response_to=message.id,
        destination=message.assertion_consumer_service_url,
        sp_entity_id=message.issuer.text,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_assertion=sign_assertion,
        sign_response=sign_response,
    )
    return base64.b64encode(str(response).encode()).decode()
