"""The ID token checks at the layer Lexflöde hands them to Authlib (app/auth/sso/oidc.py):
tokens signed here with a key the provider's JWKS holds, or not, and each claim wrong once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from authlib.integrations.flask_client import OAuth
from flask import Flask
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.auth.sso.oidc import claims_options

ISSUER = "https://idp.exempelby.test/tenant"
CLIENT_ID = "lexflode"
NONCE = "n-0S6_WzA2Mj"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture
def client(app: Flask) -> Any:
    """An Authlib client whose provider metadata and JWKS are given, not fetched."""
    oauth = OAuth(app)
    return oauth.register(
        "layer",
        client_id=CLIENT_ID,
        issuer=ISSUER,
        jwks=KeySet([KEY]).as_dict(private=False),
        id_token_signing_alg_values_supported=["RS256"],
    )


def token(key: RSAKey = KEY, **changes: Any) -> dict[str, str]:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "u-1",
        "aud": CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        **changes,
    }
    claims = {k: v for k, v in claims.items() if v is not None}
    return {
        "id_token": jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key),
        "access_token": "at",
    }


def check(client: Any, id_token: dict[str, str]) -> Any:
    return client.parse_id_token(
        id_token, nonce=NONCE, claims_options=claims_options(ISSUER, CLIENT_ID)
    )


def test_a_well_formed_token_is_accepted(client: Any) -> None:
    assert check(client, token())["sub"] == "u-1"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(
            {"key": RSAKey.generate_key(2048, parameters={"kid": "k1"})}, id="foreign-key"
        ),
        pytest.param({"nonce": "someone-elses-nonce"}, id="wrong-nonce"),
        pytest.param({"nonce": None}, id="no-nonce"),
        pytest.param({"iss": "https://evil.example/tenant"}, id="wrong-issuer"),
        # Authlib alone would accept this one: azp names us, so it checks no audience.
        pytest.param({"aud": "another-app", "azp": CLIENT_ID}, id="wrong-audience"),
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
        pytest.param({"sub": None}, id="no-subject"),
    ],
)
def test_a_bad_token_is_refused(client: Any, bad: dict[str, Any]) -> None:
    with pytest.raises(Exception) as raised:  # noqa: PT011  joserfc's errors share only JoseError
        check(client, token(**bad))
    assert type(raised.value).__module__.startswith(("joserfc", "authlib"))
