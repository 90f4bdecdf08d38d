"""After login, back only to a page of this site: no open redirect through ?next=."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "target",
    [
        "//angripare.example/",
        "/\\angripare.example/",
        "https://angripare.example/",
        "javascript:alert(1)",
        "/arenden\r\nSet-Cookie: x=1",
        "arenden",
    ],
)
def test_a_foreign_next_leads_to_the_start_page(client, world, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "sas@test.se", "password": "password"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_path_of_this_site_is_followed(client, world):
    response = client.post(
        "/login",
        query_string={"next": "/arenden?sida=2"},
        data={"email": "sas@test.se", "password": "password"},
    )
    assert response.headers["Location"] == "/arenden?sida=2"
