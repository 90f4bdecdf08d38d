"""SAML 2.0 sign-in with pysaml2 as the IdP: Lexflöde's AuthnRequest (from its redirect) is read
by the IdP, which answers with a Response it signs with xmlsec1 and the key its metadata names;
the answer is posted to the ACS as the browser would. Unsigned, wrongly signed, replayed and
unsolicited answers are refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from . import providers
from .conftest import MANAGERS_GROUP, SOLGARDEN, STAFF_GROUP, Live, roles_of, user_by_subject


@pytest.fixture(scope="module")
def idp(live: Live):  # type: ignore[no-untyped-def]
    """The municipality's IdP, which knows Lexflöde from its published metadata."""
    metadata = requests.get(f"{live.url}/saml/metadata", timeout=10)
    assert metadata.status_code == 200
    return providers.saml_idp(live.idp_key, live.idp_cert, metadata.text)


@pytest.fixture(scope="module")
def impostor(live: Live):  # type: ignore[no-untyped-def]
    """Someone claiming to be the IdP (same entity id), signing with a key of their own."""
    metadata = requests.get(f"{live.url}/saml/metadata", timeout=10).text
    key, cert = providers.key_and_certificate(live.folder, "impostor")
    return providers.saml_idp(key, cert, metadata)


def start(live: Live, next_path: str | None = None) -> tuple[requests.Session, str]:
    client = requests.Session()
    sent = client.get(
        f"{live.url}/saml/login",
        params={"next": next_path} if next_path else None,
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 302
    location = sent.headers["Location"]
    assert location.startswith(providers.IDP_SSO_URL + "?")
    return client, parse_qs(urlsplit(location).query)["SAMLRequest"][0]


def post(client: requests.Session, live: Live, saml_response: str) -> requests.Response:
    return client.post(
        f"{live.url}/saml/acs",
        data={"SAMLResponse": saml_response},
        allow_redirects=False,
        timeout=10,
    )


def attributes(email: str, *groups: str) -> dict[str, list[str]]:
    return {"mail": [email], "displayName": [email.split("@")[0].title()], "groups": list(groups)}


def test_the_service_provider_metadata_is_published(live: Live) -> None:
    page = requests.get(f"{live.url}/saml/metadata", timeout=10)

    assert page.headers["Content-Type"].startswith("application/samlmetadata+xml")
    assert f'entityID="{live.url}/saml/metadata"' in page.text
    assert f'Location="{live.url}/saml/acs"' in page.text
    assert 'WantAssertionsSigned="true"' in page.text


def test_a_signed_assertion_signs_in_with_the_roles_the_groups_give(live: Live, idp) -> None:  # type: ignore[no-untyped-def]
    client, request = start(live, next_path="/statistik")
    answer = providers.saml_response(
        idp, request, "saml-eva", attributes("eva@exempelby.se", MANAGERS_GROUP, STAFF_GROUP)
    )

    done = post(client, live, answer)

    assert done.status_code == 302, done.text
    assert done.headers["Location"] == "/statistik"
    home = client.get(f"{live.url}/", timeout=10)
    assert home.status_code == 200
    assert "/login" not in home.url
    user = user_by_subject(live.app, "saml-eva")
    assert user is not None
    assert user.email == "eva@exempelby.se"
    assert roles_of(live.app, "saml-eva") == ({"manager", "reporter"}, {SOLGARDEN})


def test_the_same_answer_posted_again_is_refused(live: Live, idp) -> None:  # type: ignore[no-untyped-def]
    client, request = start(live)
    answer = providers.saml_response(
        idp, request, "saml-replay", attributes("replay@exempelby.se", STAFF_GROUP)
    )
    assert post(client, live, answer).status_code == 302
    thief = requests.Session()

    assert post(client, live, answer).status_code == 400
    assert post(thief, live, answer).status_code == 400


@pytest.mark.parametrize(
    ("sign_assertion", "sign_response"),
    [pytest.param(False, False, id="unsigned"), pytest.param(False, True, id="only-response")],
)
def test_an_unsigned_assertion_is_refused(
    live: Live,
    idp,  # type: ignore[no-untyped-def]
    sign_assertion: bool,
    sign_response: bool,
) -> None:
    subject = f"saml-unsigned-{sign_response}"
    client, request = start(live)
    answer = providers.saml_response(
        idp,
        request,
        subject,
        attributes(f"{subject}@exempelby.se", STAFF_GROUP),
        sign_assertion=sign_assertion,
        sign_response=sign_response,
    )

    done = post(client, live, answer)

    assert done.status_code == 400
    assert "kunde inte genomföras" in done.text
    assert user_by_subject(live.app, subject) is None


def test_an_assertion_signed_with_another_key_is_refused(live: Live, impostor) -> None:  # type: ignore[no-untyped-def]
    client, request = start(live)
    answer = providers.saml_response(
        impostor, request, "saml-forged", attributes("forged@exempelby.se", STAFF_GROUP)
    )

    done = post(client, live, answer)

    assert done.status_code == 400
    assert user_by_subject(live.app, "saml-forged") is None


def test_a_person_whose_groups_give_no_role_is_refused(live: Live, idp) -> None:  # type: ignore[no-untyped-def]
    client, request = start(live)
    answer = providers.saml_response(
        idp, request, "saml-norole", attributes("norole@exempelby.se", "sg-ekonomi")
    )

    done = post(client, live, answer)

    assert done.status_code == 403
    assert "ger ingen behörighet i Lexflöde" in done.text
    assert user_by_subject(live.app, "saml-norole") is None


@pytest.mark.parametrize("garbage", ["", "bm90IHhtbA==", "<Response/>", "%%%"])
def test_garbage_at_the_acs_is_refused_with_a_page(live: Live, garbage: str) -> None:
    client, _ = start(live)

    done = post(client, live, garbage)

    assert done.status_code == 400
    assert "Inloggningen nekades" in done.text
