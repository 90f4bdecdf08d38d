"""OpenID Connect sign-in against a real provider process (oidc-provider-mock), driven over
HTTP through every redirect: Lexflöde → the provider's authorization page → Lexflöde's callback,
which exchanges the code with its PKCE verifier and checks the signed ID token."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from app.models import User

from . import providers
from .conftest import (
    MANAGERS_GROUP,
    SAS_GROUP,
    SOLGARDEN,
    STAFF_GROUP,
    Live,
    database,
    roles_of,
    signed_in_as,
    user_by_subject,
)


def oidc_sign_in(
    live: Live, sub: str, next_path: str | None = None
) -> tuple[requests.Session, requests.Response, str]:
    """The whole round trip as a browser makes it; the callback's answer and where it went."""
    client = requests.Session()
    start = client.get(
        f"{live.url}/sso/oidc",
        params={"next": next_path} if next_path else None,
        allow_redirects=False,
        timeout=10,
    )
    assert start.status_code == 302, start.text
    authorize = start.headers["Location"]
    assert authorize.startswith(f"{live.issuer}/oauth2/authorize?")
    assert client.get(authorize, timeout=10).status_code == 200
    back = client.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    callback = back.headers["Location"]
    assert callback.startswith(f"{live.url}/sso/oidc/callback?"), callback
    return client, client.get(callback, allow_redirects=False, timeout=10), callback


def not_signed_in(client: requests.Session, live: Live) -> bool:
    page = client.get(f"{live.url}/", allow_redirects=False, timeout=10)
    return page.status_code == 302 and "/login" in page.headers["Location"]


def test_the_login_page_offers_the_identity_providers_above_the_password(live: Live) -> None:
    page = requests.get(f"{live.url}/login", timeout=10).text
    oidc = page.index('href="/sso/oidc"')
    saml = page.index('href="/saml/login"')
    assert "Logga in med organisationskonto" in page
    assert "Logga in med e-legitimation" in page
    assert oidc < page.index('name="password"')
    assert saml < page.index('name="password"')


def test_first_sign_in_creates_the_user_with_the_roles_their_groups_give(live: Live) -> None:
    providers.set_user(
        live.issuer,
        "oidc-anna",
        {"email": "Anna.Berg@exempelby.se", "name": "Anna Berg", "groups": [SAS_GROUP]},
    )

    client, done, _ = oidc_sign_in(live, "oidc-anna", next_path="/statistik?ar=2026")

    assert done.status_code == 302, done.text
    assert done.headers["Location"] == "/statistik?ar=2026"
    assert "Anna Berg" in signed_in_as(client, live.url)
    user = user_by_subject(live.app, "oidc-anna")
    assert user is not None
    assert (user.email, user.name, user.directory_managed) == (
        "anna.berg@exempelby.se",
        "Anna Berg",
        True,
    )
    # GROUP_MAPPINGS (the configuration) and the administrator's list both apply.
    assert roles_of(live.app, "oidc-anna") == ({"sas"}, set())


def test_the_request_carries_pkce_and_a_nonce_and_the_callback_cannot_be_replayed(
    live: Live,
) -> None:
    providers.set_user(
        live.issuer, "oidc-pkce", {"email": "pkce@exempelby.se", "groups": [STAFF_GROUP]}
    )
    client, done, callback = oidc_sign_in(live, "oidc-pkce")
    assert done.status_code == 302
    asked = parse_qs(urlsplit(live.proxy.seen_authorize[-1]).query)
    assert asked["code_challenge_method"] == ["S256"]
    assert len(asked["code_challenge"][0]) >= 43
    assert asked["nonce"][0]
    assert asked["state"][0]
    assert asked["redirect_uri"] == [f"{live.url}/sso/oidc/callback"]

    again = client.get(callback, allow_redirects=False, timeout=10)

    assert again.status_code == 400
    assert "Inloggningen nekades" in again.text


def test_groups_are_applied_again_at_every_sign_in(live: Live) -> None:
    providers.set_user(
        live.issuer, "oidc-bo", {"email": "bo@exempelby.se", "groups": [MANAGERS_GROUP]}
    )
    oidc_sign_in(live, "oidc-bo")
    assert roles_of(live.app, "oidc-bo") == ({"manager"}, {SOLGARDEN})

    providers.set_user(
        live.issuer, "oidc-bo", {"email": "bo@exempelby.se", "groups": [STAFF_GROUP]}
    )
    _, done, _ = oidc_sign_in(live, "oidc-bo")

    assert done.status_code == 302
    assert roles_of(live.app, "oidc-bo") == ({"reporter"}, set())


def test_a_person_whose_groups_give_no_role_is_refused_and_nothing_is_created(
    live: Live,
) -> None:
    providers.set_user(
        live.issuer, "oidc-cecilia", {"email": "cecilia@exempelby.se", "groups": ["sg-ekonomi"]}
    )

    client, done, _ = oidc_sign_in(live, "oidc-cecilia")

    assert done.status_code == 403
    assert "ger ingen behörighet i Lexflöde" in done.text
    assert user_by_subject(live.app, "oidc-cecilia") is None
    assert not_signed_in(client, live)


def test_an_inactive_user_is_refused(live: Live) -> None:
    providers.set_user(
        live.issuer, "oidc-dan", {"email": "dan@exempelby.se", "groups": [STAFF_GROUP]}
    )
    oidc_sign_in(live, "oidc-dan")
    with database(live.app) as session:
        user = session.scalar(select(User).where(User.subject == "oidc-dan"))
        assert user is not None
        user.active = False

    client, done, _ = oidc_sign_in(live, "oidc-dan")

    assert done.status_code == 403
    assert "inaktiverat" in done.text
    assert not_signed_in(client, live)


def test_an_address_does_not_take_over_an_existing_account(live: Live) -> None:
    """The demo SAS has a local account; someone the provider calls by her address is not her."""
    providers.set_user(
        live.issuer, "oidc-intruder", {"email": "sas@exempelby.se", "groups": [SAS_GROUP]}
    )

    client, done, _ = oidc_sign_in(live, "oidc-intruder")

    assert done.status_code == 403
    assert "inte kopplat" in done.text
    with database(live.app) as session:
        sas = session.scalar(select(User).where(User.email == "sas@exempelby.se"))
        assert sas is not None
        assert sas.subject is None
    assert user_by_subject(live.app, "oidc-intruder") is None
    assert not_signed_in(client, live)


@pytest.mark.parametrize("how", [providers.FOREIGN_KEY, providers.ALTERED_CLAIMS])
def test_a_tampered_id_token_is_refused(live: Live, how: str) -> None:
    subject = f"oidc-{how}"
    providers.set_user(
        live.issuer, subject, {"email": f"{how}@exempelby.se", "groups": [SAS_GROUP]}
    )
    live.proxy.tamper = how
    try:
        client, done, _ = oidc_sign_in(live, subject)
    finally:
        live.proxy.tamper = None

    assert done.status_code == 400
    assert "kunde inte genomföras" in done.text
    assert user_by_subject(live.app, subject) is None
    assert user_by_subject(live.app, "someone-else") is None
    assert not_signed_in(client, live)
