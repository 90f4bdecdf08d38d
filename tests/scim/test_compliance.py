"""scim2-tester, an independent checker of RFC 7643/7644, run against /scim/v2 in-process."""

from __future__ import annotations

from scim2_tester import Status, check_server


def test_every_scim2_tester_check_passes(scim_client):
    results = check_server(scim_client)
    failed = [
        f"{r.resource_type or ''} {r.title}: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS,)
    ]
    assert results
    assert failed == [], "\n".join(failed)
