"""Need to know, route by route: every rule of the URL map × every role × own unit / other unit /
own report / someone else's report.

The expectations are written out by hand (they are the specification, DOMAIN.md §2 and §9), not
derived from workflows/permissions.py. A route the table does not name fails the test, so a new
route cannot escape it. "Allowed" means the request got past authorisation: any answer but 401,
403, 404 or a redirect to the login page (a 409 or 422 is allowed — the step was refused for the
state or the data, not for who asked). Each request runs in a savepoint rolled back afterwards,
so an allowed change never leaks into the next probe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse

from app.complaints.operations import create_complaint
from app.models import (
    ApiToken,
    Category,
    ComplaintTheme,
    LogReview,
    LogReviewItem,
    Notification,
    StatisticsPdf,
    User,
)
from app.public import operations as public_ops
from tests.api_client import Api
from tests.factories import (
    CLOSE,
    World,
    action_for,
    case_in,
    case_of,
    make_world,
)
from workflows.records import add_attachment
from workflows.records_release import release_records

EVERYONE = (
    "anonymous",
    "reporter",
    "other_reporter",
    "manager",
    "other_manager",
    "sas",
    "mas",
    "chair",
    "admin",
    "log_reviewer",
    # Someone without an account who opened their case with its receipt code (DOMAIN.md §3.5).
    "sender",
)
NO_ACCOUNT = frozenset({"anonymous", "sender"})
SIGNED_IN = frozenset(EVERYONE) - NO_ACCOUNT

# Who may see each case at all (the page, the API detail).
# ls: lex Sarah at Solgården reported by `reporter`, awaiting the chair's decision.
# lm: lex Maria at Solgården reported by `reporter`, under investigation by the MAS.
# dev: a deviation at Solgården (SoL and HSL) reported by `reporter`, not yet assessed.
SEES = {
    "ls": frozenset({"reporter", "manager", "sas", "chair"}),
    "lm": frozenset({"reporter", "manager", "mas"}),
    "dev": frozenset({"reporter", "manager", "sas", "mas"}),
    # kl: a complaint about Solgården (DOMAIN.md §3.4): its manager, the SAS and the MAS; the
    # manager of another unit nothing.
    "kl": frozenset({"manager", "sas", "mas"}),
}
# Who sees the investigation (and so its PDF) of the lex Sarah case: the SAS and the chair who
# decides; neither the unit's manager nor the reporter.
SEES_INVESTIGATION = frozenset({"sas", "chair"})


@dataclass
class Probe:
    method: str
    url: Callable[[dict[str, Any]], str]
    allowed: frozenset[str]
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    json: Callable[[dict[str, Any]], Any] | None = None
    files: bool = False
    to_login: bool = False


@dataclass
class Route:
    probes: list[Probe] = field(default_factory=list)


def P(
    method: str, url: Callable[[dict[str, Any]], str], allowed: frozenset[str] | set[str], **kw: Any
) -> Probe:  # noqa: E501
    return Probe(method, url, frozenset(allowed), **kw)


def per_case(
    method: str,
    path: str,
    allowed: dict[str, frozenset[str] | set[str]],
    **kw: Any,
) -> list[Probe]:
    """One probe per case; ``path`` is formatted with the case's id as {id}."""
    return [
        Probe(method, lambda ids, key=key: path.format(id=ids[key], **ids), frozenset(who), **kw)
        for key, who in allowed.items()
    ]


ADMIN = frozenset({"admin"})
REVIEWER = frozenset({"log_reviewer"})
LISTERS = frozenset({"manager", "other_manager", "sas", "mas", "chair"})
# Managers see the statistics of their own units (DOMAIN.md §8 rev. 2).
STATISTICS = frozenset({"manager", "other_manager", "sas", "mas", "chair"})
SEES_ALL_STATISTICS = frozenset({"sas", "mas", "chair"})
RELEASERS: dict[str, frozenset[str] | set[str]] = {"ls": {"sas"}, "lm": {"mas"}, "dev": {"sas"}}


def _complaints() -> frozenset[str]:
    """The complaint form exists once the complaint case type is there (app.complaints)."""
    from app.public.views import complaints_available

    return frozenset(EVERYONE) if complaints_available() else frozenset()


# endpoint -> probes. Every rule of the URL map must be here.
MATRIX: dict[str, list[Probe]] = {
    # The public intake (DOMAIN.md §3.5 rev. 2): anyone, through a published link.
    "public.start": [P("GET", lambda ids: f"/lamna/{ids['link_token']}", frozenset(EVERYONE))],
    "public.report": [
        P("GET", lambda ids: f"/lamna/{ids['link_token']}/rapport", frozenset(EVERYONE))
    ],
    "public.complaint": [
        P("GET", lambda ids: f"/lamna/{ids['link_token']}/synpunkt", _complaints())
    ],
    "public.receipt": [P("GET", lambda ids: "/kvitto", frozenset(EVERYONE))],
    "public.follow_up": [P("GET", lambda ids: "/foljupp", frozenset(EVERYONE))],
    # On a client of their own (to_login): they change the session the other probes share.
    "public.leave": [P("POST", lambda ids: "/foljupp/avsluta", frozenset(EVERYONE), to_login=True)],
    "public.language": [
        P(
            "POST",
            lambda ids: "/sprak",
            frozenset(EVERYONE),
            data=lambda ids: {"locale": "en"},
            to_login=True,
        )
    ],
    # Only the one holding the receipt sees and writes to their case; an account is no key.
    "public.followed": [P("GET", lambda ids: "/foljupp/arende", {"sender"})],
    "public.send_message": [
        P("POST", lambda ids: "/foljupp/meddelande", {"sender"}, data=lambda ids: {"text": "Hej"})
    ],
    # The handler's side: the SAS handles the lex Sarah report that came through the link.
    "public.reply": per_case(
        "POST", "/arenden/{id}/meddelanden", {"pub": {"sas"}}, data=lambda ids: {"text": "Hej"}
    ),
    "public.mark_spam": per_case("POST", "/arenden/{id}/skrap", {"pub": {"sas"}}),
    "admin.public_links": [P("GET", lambda ids: "/admin/publika-lankar", ADMIN)],
    "admin.new_public_link": [
        P("POST", lambda ids: "/admin/publika-lankar", ADMIN, data=lambda ids: {"unit_id": "0"})
    ],
    "admin.rotate_public_link": [
        P("POST", lambda ids: f"/admin/publika-lankar/{ids['link']}/ny-adress", ADMIN)
    ],
    "admin.public_link_qr": [
        P("GET", lambda ids: f"/admin/publika-lankar/{ids['link']}/qr", ADMIN)
    ],
    "static": [P("GET", lambda ids: "/static/style.css", frozenset(EVERYONE))],
    "auth.login": [P("GET", lambda ids: "/login", frozenset(EVERYONE))],
    "auth.forgot_password": [P("GET", lambda ids: "/glomt-losenord", frozenset(EVERYONE))],
    # The accessibility statement: the law wants it reachable without an account.
    "accessibility.statement": [P("GET", lambda ids: "/tillganglighet", frozenset(EVERYONE))],
    "auth.reset_password": [P("GET", lambda ids: "/nytt-losenord/ogiltig", frozenset(EVERYONE))],
    # Probes for load balancers and monitoring: no account, no case content (tests/ops/). The
    # metrics answer by address or token; the test client comes from 127.0.0.1, which is let in
    # (who else is kept out is tested in tests/ops/test_metrics.py).
    "ops.healthz": [P("GET", lambda ids: "/healthz", frozenset(EVERYONE))],
    "ops.readyz": [P("GET", lambda ids: "/readyz", frozenset(EVERYONE))],
    "ops.metrics_page": [P("GET", lambda ids: "/metrics", frozenset(EVERYONE))],
    # Signing out always ends on the login page, signed in or not.
    "auth.logout": [P("POST", lambda ids: "/logout", frozenset(EVERYONE), to_login=True)],
    # Lists: each shows only what its reader may see (tested elsewhere); here who may open them.
    "cases.inbox": [P("GET", lambda ids: "/", SIGNED_IN)],
    # Everyone's own page: their language.
    "account.page": [
        P("GET", lambda ids: "/konto", SIGNED_IN),
        P("POST", lambda ids: "/konto", SIGNED_IN, data=lambda ids: {"locale": "en"}),
    ],
    # Everyone may make API tokens for themselves; only its owner may revoke one.
    "account.create_token": [
        P("POST", lambda ids: "/konto/token", SIGNED_IN, data=lambda ids: {"name": "Matris"})
    ],
    "account.revoke_token": [
        P("POST", lambda ids: f"/konto/token/{ids['token']}/aterkalla", {"sas"})
    ],
    # The second factor at sign-in: only between a right password and the code, a state no
    # probe is in, so everyone is sent to the login page (tests/test_ui_second_factor.py).
    "auth.second_factor_step": [P("GET", lambda ids: "/inloggning/kod", set())],
    "auth.enrol": [P("GET", lambda ids: "/inloggning/tvastegsverifiering", set())],
    # Everyone may set up a second factor of their own and renew its recovery codes.
    "account.enrol": [P("GET", lambda ids: "/konto/tvastegsverifiering", SIGNED_IN)],
    "account.new_recovery_codes": [
        P(
            "POST",
            lambda ids: "/konto/aterstallningskoder",
            SIGNED_IN,
            data=lambda ids: {"code": "1"},
        )
    ],
    "cases.case_list": [P("GET", lambda ids: "/arenden", LISTERS)],
    "cases.deadline_overview": [P("GET", lambda ids: "/tidsfrister", {"sas", "mas"})],
    "reports.my_reports": [P("GET", lambda ids: "/mina-rapporter", SIGNED_IN)],
    # Anyone employed may report (DOMAIN.md §2: staff report).
    "reports.new_report": [P("GET", lambda ids: "/rapportera", SIGNED_IN)],
    "cases.mark_read": [P("POST", lambda ids: f"/notiser/{ids['notification']}/last", SIGNED_IN)],
    "cases.mark_all_read": [P("POST", lambda ids: "/notiser/lasta", SIGNED_IN)],
    "statistics.page": [P("GET", lambda ids: "/statistik", STATISTICS)],
    "statistics.csv_file": [P("GET", lambda ids: "/statistik.csv", STATISTICS)],
    "statistics.pdf_file": [P("GET", lambda ids: "/statistik.pdf", STATISTICS)],
    "statistics.xlsx_file": [P("GET", lambda ids: "/statistik.xlsx", STATISTICS)],
    "statistics.pdf_job_request": [P("GET", lambda ids: "/statistik/pdf", STATISTICS)],
    # The fixture's PDF holds the whole municipality's figures: a manager's are a row of its own.
    "statistics.pdf_job": [
        P("GET", lambda ids: f"/statistik/pdf/{ids['statistics_pdf']}", SEES_ALL_STATISTICS)
    ],
    "statistics.pdf_job_file": [
        P(
            "GET",
            lambda ids: f"/statistik/pdf/{ids['statistics_pdf']}/statistik.pdf",
            SEES_ALL_STATISTICS,
        )
    ],
    # The case page: need to know, by case.
    "cases.case_page": per_case("GET", "/arenden/{id}", SEES),
    "cases.case_document": per_case(
        "GET", "/arenden/{id}/dokument/investigation.pdf", {"ls": SEES_INVESTIGATION}
    ),
    "cases.download_attachment": [
        *per_case("GET", "/arenden/{id}/bilagor/{attachment}", {"ls": SEES["ls"]}),
        # The investigator's file is the investigation's (DOMAIN.md §3.1 rev. 2).
        *per_case(
            "GET", "/arenden/{id}/bilagor/{investigation_attachment}", {"ls": SEES_INVESTIGATION}
        ),
    ],
    "cases.upload_attachment": [
        # Anyone who sees an open case may add to its report's attachments.
        *per_case("POST", "/arenden/{id}/bilagor", SEES, files=True),
        # Only the one who writes the investigation adds to its files (the deviation's is its
        # unit's manager, who is told 409 until the local investigation starts).
        *per_case(
            "POST",
            "/arenden/{id}/bilagor",
            {"ls": {"sas"}, "lm": {"mas"}, "dev": {"manager"}},
            files=True,
            data=lambda ids: {"section": "investigation"},
        ),
    ],
    # Steps: only the role the step names, and only on a case they may act on.
    "cases.fire_step": [
        *per_case(
            "POST",
            "/arenden/{id}/steg/approve_filing",
            {"ls": {"chair"}},
            data=lambda ids: {"motivation": "Allvarligt."},
        ),
        *per_case("POST", "/arenden/{id}/steg/assess", {"dev": {"manager"}}, data=lambda ids: {}),
        *per_case("POST", "/arenden/{id}/steg/close", {"lm": {"mas"}}, data=lambda ids: CLOSE),
    ],
    # The deciding role's one form: the chair, on the case awaiting their decision.
    "cases.decide": per_case(
        "POST",
        "/arenden/{id}/beslut",
        {"ls": {"chair"}},
        data=lambda ids: {
            "decision-choice": "approve_filing",
            "decision-motivation": "Allvarligt.",
        },
    ),
    "cases.save_investigation": per_case(
        "POST", "/arenden/{id}/utredning", {"lm": {"mas"}}, data=lambda ids: {"what_happened": "x"}
    ),
    "cases.add_action": per_case(
        "POST", "/arenden/{id}/atgarder", {"lm": {"mas"}}, data=lambda ids: {"description": "x"}
    ),
    # The investigator, or the action's owner (the unit's manager here).
    "cases.update_action": per_case(
        "POST",
        "/arenden/{id}/atgarder/{action}",
        {"ls": {"sas", "manager"}},
        data=lambda ids: {"status": "done"},
    ),
    "cases.investigation_sent": per_case(
        "POST",
        "/arenden/{id}/utredning-skickad",
        {"ls": {"sas"}},
        data=lambda ids: {"sent_on": "2026-01-01"},
    ),
    "cases.record_feedback": per_case(
        "POST", "/arenden/{id}/aterkoppling", {"lm": {"mas"}}, data=lambda ids: {}
    ),
    "cases.patient_information": per_case(
        "POST", "/arenden/{id}/patientinformation", {"lm": {"mas"}}, data=lambda ids: {}
    ),
    "cases.medical_device_report": per_case(
        "POST", "/arenden/{id}/lakemedelsverket", {"lm": {"mas"}}, data=lambda ids: {}
    ),
    # Co-investigators are added and removed by the case type's investigating role alone.
    "cases.add_co_investigator": per_case(
        "POST",
        "/arenden/{id}/medutredare",
        {"ls": {"sas"}, "lm": {"mas"}},
        data=lambda ids: {"user_id": str(ids["user"])},
    ),
    "cases.remove_co_investigator": per_case(
        "POST",
        "/arenden/{id}/medutredare/ta-bort",
        {"ls": {"sas"}, "lm": {"mas"}},
        data=lambda ids: {"user_id": str(ids["user"])},
    ),
    # The committee's diarienummer before the filing: the case's SAS or MAS.
    "cases.own_case_number": per_case(
        "POST",
        "/arenden/{id}/diarienummer",
        {"ls": {"sas"}, "lm": {"mas"}},
        data=lambda ids: {"own_case_number": "SN 2026/1"},
    ),
    # Records requests: the case's SAS or MAS only (DOMAIN.md §9 rev. 2); the unassessed
    # deviation at Solgården (SoL and HSL) is the SAS's.
    "cases.records_request": per_case("GET", "/arenden/{id}/allman-handling", RELEASERS),
    "cases.records_preview": per_case(
        "POST",
        "/arenden/{id}/allman-handling/granska",
        RELEASERS,
        data=lambda ids: {"documents": "report"},
    ),
    "cases.records_release": per_case(
        "POST", "/arenden/{id}/allman-handling", RELEASERS, data=lambda ids: {"documents": "report"}
    ),
    "cases.records_release_pdf": per_case(
        "GET", "/arenden/{id}/allman-handling/{release}.pdf", {"ls": {"sas"}}
    ),
    # Administration: the admin only, and the admin reads no case (above).
    # The access log: the log reviewer only, who sees no case content either.
    "logreview.search": [P("GET", lambda ids: "/logg", REVIEWER)],
    "logreview.admin_log": [P("GET", lambda ids: "/logg/administrativ", REVIEWER)],
    "logreview.reviews": [P("GET", lambda ids: "/logg/granskningar", REVIEWER)],
    "logreview.new_review": [P("GET", lambda ids: "/logg/granskningar/ny", REVIEWER)],
    "logreview.review": [P("GET", lambda ids: f"/logg/granskningar/{ids['review']}", REVIEWER)],
    "logreview.record_outcome": [
        P(
            "POST",
            lambda ids: f"/logg/granskningar/{ids['review']}/urval/{ids['review_item']}",
            REVIEWER,
            data=lambda ids: {"outcome": "ok"},
        )
    ],
    "logreview.complete": [
        P("POST", lambda ids: f"/logg/granskningar/{ids['review']}/avsluta", REVIEWER)
    ],
    "admin.index": [P("GET", lambda ids: "/admin", ADMIN)],
    "admin.scim": [P("GET", lambda ids: "/admin/scim", ADMIN)],
    "admin.new_scim_token": [P("POST", lambda ids: "/admin/scim/token", ADMIN)],
    # SCIM answers the SCIM token alone: no session, whoever's, opens it (tests/scim/).
    "scim.endpoint": [
        P("GET", lambda ids: "/scim/v2/Users", frozenset()),
        P("POST", lambda ids: "/scim/v2/Groups", frozenset(), json=lambda ids: {}),
    ],
    "admin.settings": [P("GET", lambda ids: "/admin/installningar", ADMIN)],
    "admin.categories": [P("GET", lambda ids: "/admin/kategorier", ADMIN)],
    "admin.complaint_themes": [P("GET", lambda ids: "/admin/klagomalsteman", ADMIN)],
    "admin.complaint_theme_active": [
        P("POST", lambda ids: f"/admin/klagomalsteman/{ids['theme']}/aktiv", ADMIN)
    ],
    # Those who receive complaints register the ones that come by phone, letter or in person.
    "complaints.new_complaint": [
        P("GET", lambda ids: "/klagomal/registrera", {"manager", "other_manager", "sas", "mas"})
    ],
    "complaints.complaint_record": per_case(
        "POST", "/arenden/{id}/klagomal/mark_spam", {"kl": {"manager", "sas", "mas"}}
    ),
    "admin.new_category": [P("GET", lambda ids: "/admin/kategorier/ny", ADMIN)],
    "admin.edit_category": [P("GET", lambda ids: f"/admin/kategorier/{ids['category']}", ADMIN)],
    "admin.category_active": [
        P("POST", lambda ids: f"/admin/kategorier/{ids['category']}/aktiv", ADMIN)
    ],
    "admin.deadline_rules": [P("GET", lambda ids: "/admin/tidsfrister", ADMIN)],
    "admin.deadline_version": [P("GET", lambda ids: "/admin/tidsfrister/version/1", ADMIN)],
    "admin.edit_deadline_rule": [
        P("GET", lambda ids: "/admin/tidsfrister/lex_sarah/investigation_start", ADMIN)
    ],
    "admin.users": [P("GET", lambda ids: "/admin/anvandare", ADMIN)],
    "admin.new_user": [P("GET", lambda ids: "/admin/anvandare/ny", ADMIN)],
    "admin.edit_user": [P("GET", lambda ids: f"/admin/anvandare/{ids['user']}", ADMIN)],
    "admin.user_active": [P("POST", lambda ids: f"/admin/anvandare/{ids['user']}/aktiv", ADMIN)],
    "admin.reset_user_second_factor": [
        P("POST", lambda ids: f"/admin/anvandare/{ids['user']}/tvastegsverifiering", ADMIN)
    ],
    "admin.units": [P("GET", lambda ids: "/admin/enheter", ADMIN)],
    "admin.new_unit": [P("GET", lambda ids: "/admin/enheter/ny", ADMIN)],
    "admin.edit_unit": [P("GET", lambda ids: f"/admin/enheter/{ids['unit']}", ADMIN)],
    "admin.unit_active": [P("POST", lambda ids: f"/admin/enheter/{ids['unit']}/aktiv", ADMIN)],
    "admin.group_mappings": [P("GET", lambda ids: "/admin/grupper", ADMIN)],
    "admin.history_import": [P("GET", lambda ids: "/admin/tidigare-ar", ADMIN)],
    "admin.remove_group_mapping": [P("POST", lambda ids: "/admin/grupper/1/ta-bort", ADMIN)],
    # Single sign-on: 404 for everyone until a provider is configured, as here; public once it
    # is (tests/sso/ signs in through them).
    "sso.oidc_login": [P("GET", lambda ids: "/sso/oidc", frozenset())],
    "sso.oidc_callback": [P("GET", lambda ids: "/sso/oidc/callback", frozenset())],
    "sso.saml_login": [P("GET", lambda ids: "/saml/login", frozenset())],
    "sso.saml_acs": [P("POST", lambda ids: "/saml/acs", frozenset())],
    "sso.saml_metadata": [P("GET", lambda ids: "/saml/metadata", frozenset())],
}

# The API: the same rules for bearer tokens; no token is 401.
API_MATRIX: dict[str, list[Probe]] = {
    # The API's description holds no case content, but like all of /api/v1 it needs a token.
    "api.openapi_document": [P("GET", lambda ids: "/api/v1/openapi.json", SIGNED_IN)],
    "api.list_cases": [P("GET", lambda ids: "/api/v1/cases", SIGNED_IN)],
    # The organisation, no case content: every token holder.
    "api.list_units": [P("GET", lambda ids: "/api/v1/units", SIGNED_IN)],
    "api.create_case": [P("POST", lambda ids: "/api/v1/cases", SIGNED_IN, json=lambda ids: {})],
    "api.statistics_view": [P("GET", lambda ids: "/api/v1/statistics", STATISTICS)],
    "api.case_detail": per_case("GET", "/api/v1/cases/{id}", SEES),
    "api.case_events": per_case(
        "GET", "/api/v1/cases/{id}/events", {"ls": {"manager", "sas", "chair"}}
    ),
    "api.case_deadlines_view": per_case("GET", "/api/v1/cases/{id}/deadlines", SEES),
    "api.case_document": per_case(
        "GET", "/api/v1/cases/{id}/documents/investigation.pdf", {"ls": SEES_INVESTIGATION}
    ),
    "api.fire_transition": [
        *per_case(
            "POST",
            "/api/v1/cases/{id}/transitions",
            {"ls": {"chair"}},
            json=lambda ids: {"trigger": "approve_filing", "motivation": "Allvarligt."},
        ),
        *per_case(
            "POST",
            "/api/v1/cases/{id}/transitions",
            {"lm": {"mas"}},
            json=lambda ids: {"trigger": "close", **CLOSE},
        ),
    ],
    "api.save_investigation": [
        *per_case("PUT", "/api/v1/cases/{id}/investigation", {"lm": {"mas"}}, json=lambda ids: {}),
        *per_case(
            "PATCH", "/api/v1/cases/{id}/investigation", {"lm": {"mas"}}, json=lambda ids: {}
        ),
    ],
    "api.add_action": per_case(
        "POST", "/api/v1/cases/{id}/actions", {"lm": {"mas"}}, json=lambda ids: {}
    ),
    "api.update_action": [
        # Reading an action: who sees the case's actions, and its owner (the manager).
        *per_case(
            "GET", "/api/v1/cases/{id}/actions/{action}", {"ls": {"sas", "chair", "manager"}}
        ),
        *per_case(
            "PATCH",
            "/api/v1/cases/{id}/actions/{action}",
            {"ls": {"sas", "manager"}},
            json=lambda ids: {"status": "done"},
        ),
    ],
    "api.investigation_sent": per_case(
        "POST", "/api/v1/cases/{id}/investigation-sent", {"ls": {"sas"}}, json=lambda ids: {}
    ),
    "api.record_feedback": per_case(
        "POST", "/api/v1/cases/{id}/feedback", {"lm": {"mas"}}, json=lambda ids: {}
    ),
    "api.record_patient_information": per_case(
        "POST", "/api/v1/cases/{id}/patient-information", {"lm": {"mas"}}, json=lambda ids: {}
    ),
    "api.record_medical_device_report": per_case(
        "POST", "/api/v1/cases/{id}/medical-device-report", {"lm": {"mas"}}, json=lambda ids: {}
    ),
    "api.add_co_investigator": per_case(
        "POST",
        "/api/v1/cases/{id}/co-investigators",
        {"ls": {"sas"}, "lm": {"mas"}},
        json=lambda ids: {"user_id": ids["user"]},
    ),
    "api.remove_co_investigator": per_case(
        "POST",
        "/api/v1/cases/{id}/co-investigators/remove",
        {"ls": {"sas"}, "lm": {"mas"}},
        json=lambda ids: {"user_id": ids["user"]},
    ),
}


def _fixture(session: Any, world: World, upload_dir: Path) -> dict[str, Any]:
    ls = case_in(session, world, "awaiting_decision")
    action = action_for(session, world, ls)
    attachment = add_attachment(
        session,
        ls,
        world.reporter,
        FileStorage(BytesIO(b"%PDF-1.4\n%test\n"), filename="underlag.pdf"),
        upload_dir,
    )
    investigation_attachment = add_attachment(
        session,
        ls,
        world.sas,
        FileStorage(BytesIO(b"%PDF-1.4\n%interview\n"), filename="samtal.pdf"),
        upload_dir,
        section="investigation",
    )
    lm = case_of(session, world, "lex_maria", "under_investigation")
    dev = case_of(session, world, "deviation", "submitted")
    kl = create_complaint(
        session,
        actor=world.manager,
        kind="complaint",
        sender_role="relative",
        channel="letter",
        text="Klagomål om Solgården.",
        unit_ids=[world.solgarden.id],
    )
    notification = session.scalars(select(Notification).limit(1)).first()
    review = LogReview(
        reviewer_id=world.log_reviewer.id,
        period_start=datetime(2026, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 2, 1, tzinfo=UTC),
        population=1,
    )
    session.add(review)
    session.flush()
    item = LogReviewItem(review_id=review.id, user_id=world.sas.id)
    session.add(item)
    release = release_records(session, ls, world.sas, {"documents": ["report"]})
    token, _ = ApiToken.issue(world.sas, name="Matris")
    session.add(token)
    statistics_pdf = StatisticsPdf(
        year=2026, figures_hash="0" * 64, locale="sv", status="done", content=b"%PDF-1.4\n"
    )
    session.add(statistics_pdf)
    session.flush()
    link = public_ops.create_link(session, world.solgarden.id)
    [pub], issued = public_ops.submit_report(
        session,
        link,
        {
            "affected": "care_recipient",
            "harm": "harmed",
            "unit_id": str(world.solgarden.id),
            "description": "Rapport via länken.",
            "person_informed": "unknown",
            "anonymous": "y",
        },
        None,
    )
    return {
        "pub": pub.id,
        "link": link.id,
        "link_token": link.token,
        "receipt": (issued.code, issued.secret),
        "ls": ls.id,
        "lm": lm.id,
        "dev": dev.id,
        "kl": kl.id,
        "theme": session.scalars(select(ComplaintTheme.id).limit(1)).one(),
        "action": action.id,
        "attachment": attachment.id,
        "investigation_attachment": investigation_attachment.id,
        "notification": notification.id if notification else 1,
        "category": session.scalars(select(Category.id).limit(1)).one(),
        "review": review.id,
        "review_item": item.id,
        "token": token.id,
        "release": release.id,
        "statistics_pdf": statistics_pdf.id,
        # For the administrator's user and unit pages.
        "user": world.other_reporter.id,
        "unit": world.linden.id,
    }


def _denied(response: TestResponse) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


class Runner:
    def __init__(self, app: Flask, session: Any, world: World) -> None:
        self.app = app
        self.connection = app.extensions["lexflode_test_bind"]
        self.clients: dict[str, Any] = {}
        self.api = Api(app.test_client(), session)
        self.users: dict[str, User | None] = {"anonymous": None, "sender": None}
        for name in SIGNED_IN:
            self.users[name] = getattr(world, name)
        self.receipt: tuple[str, str] = ("", "")

    def client(self, who: str) -> Any:
        if who not in self.clients:
            client = self.app.test_client()
            if who == "sender":
                code, secret = self.receipt
                response = client.post("/foljupp", data={"code": code, "secret": secret})
                assert response.status_code == 302, who
            elif who != "anonymous":
                user = self.users[who]
                assert user is not None
                response = client.post("/login", data={"email": user.email, "password": "password"})
                assert response.status_code == 302, who
            self.clients[who] = client
        return self.clients[who]

    def send(self, who: str, probe: Probe, ids: dict[str, Any], api: bool) -> TestResponse:
        kwargs: dict[str, Any] = {}
        if probe.data is not None:
            kwargs["data"] = probe.data(ids)
        if probe.json is not None:
            kwargs["json"] = probe.json(ids)
        if probe.files:
            kwargs["data"] = {
                **kwargs.get("data", {}),
                "attachment": (BytesIO(b"%PDF-1.4\n"), "fil.pdf"),
            }
        savepoint = self.connection.begin_nested()
        try:
            if probe.to_login:
                # Signing out would sign the shared client out for every later probe.
                client = self.app.test_client()
                user = self.users[who]
                if user is not None:
                    client.post("/login", data={"email": user.email, "password": "password"})
                return client.open(probe.url(ids), method=probe.method, **kwargs)
            if api:
                return self.api.request(probe.method, self.users[who], probe.url(ids), **kwargs)
            return self.client(who).open(probe.url(ids), method=probe.method, **kwargs)
        finally:
            savepoint.rollback()


@pytest.fixture
def runner(app: Flask, session: Any) -> tuple[Runner, dict[str, Any]]:
    world = make_world(session)
    ids = _fixture(session, world, Path(app.config["UPLOAD_FOLDER"]))
    runner = Runner(app, session, world)
    runner.receipt = ids["receipt"]
    # Log everyone in and issue their tokens before any probe, outside the rolled-back savepoints.
    for who in EVERYONE:
        runner.client(who)
        user = runner.users[who]
        if user is not None:
            runner.api.token(user)
    return runner, ids


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(MATRIX) - set(API_MATRIX)
    assert not missing, f"routes without need-to-know expectations: {sorted(missing)}"
    stale = (set(MATRIX) | set(API_MATRIX)) - endpoints
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


def test_ui_routes(runner: tuple[Runner, dict[str, Any]]) -> None:
    # One world for all routes: building it and signing everyone in is most of the cost.
    _check(runner, MATRIX, api=False)


def test_api_routes(runner: tuple[Runner, dict[str, Any]]) -> None:
    _check(runner, API_MATRIX, api=True)


def _check(
    runner: tuple[Runner, dict[str, Any]], matrix: dict[str, list[Probe]], api: bool
) -> None:
    run, ids = runner
    wrong = []
    for endpoint, probes in sorted(matrix.items()):
        for probe in probes:
            for who in EVERYONE:
                response = run.send(who, probe, ids, api)
                allowed = who in probe.allowed
                denied = _denied(response) and not (probe.to_login and response.status_code == 302)
                response.close()
                if allowed == denied:
                    wrong.append(
                        f"{endpoint}: {probe.method} {probe.url(ids)} as {who}: "
                        f"{response.status_code} (expected {'allow' if allowed else 'deny'})"
                    )
    assert not wrong, "\n".join(wrong)


def test_the_admin_reads_no_case(runner: tuple[Runner, dict[str, Any]]) -> None:
    """The admin role sees no case content anywhere: not the page, the lists, the API, a PDF."""
    run, ids = runner
    admin = run.client("admin")
    for key in ("ls", "lm", "dev", "kl"):
        assert admin.get(f"/arenden/{ids[key]}").status_code == 403
        assert run.api.get(run.users["admin"], f"cases/{ids[key]}").status_code == 403
    assert run.api.get(run.users["admin"], "cases").get_json()["total"] == 0
    inbox = admin.get("/").get_data(as_text=True)
    assert "badrummet" not in inbox
