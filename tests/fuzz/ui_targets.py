"""For each POST route of the UI: who posts it, where, a form it accepts (None where the route
takes no fields worth spoiling), and the form class whose text fields are shown again when it is
refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ApiToken, Category, User
from forms.account import TokenForm
from forms.admin import CategoryForm, DeadlineRuleForm, SettingsForm
from forms.admin_sso import GroupMappingForm
from forms.co_investigator import CoInvestigatorForm
from forms.decide import DecideForm
from forms.investigation import ActionForm, ActionUpdateForm, InvestigationForm
from forms.patient_information import MedicalDeviceReportForm, PatientInformationForm
from forms.report import ReportForm
from forms.second_factor import EnrolCodeForm, SignInCodeForm
from tests.factories import (
    PATIENT_INFORMATION,
    TODAY,
    World,
    action_for,
    case_of,
    investigation_data,
    make_user,
    report_data,
)
from workflows.co_investigators import add_co_investigator

from .targets import early_filed


@dataclass
class UiTarget:
    user: User | None
    path: str
    data: dict[str, Any] | None
    form: Any = None
    # Whether ``data`` is taken (a redirect); False where any post is refused or not found.
    accepted: bool = True


def _with_second_factor(session: Session) -> User:
    import pyotp

    from app.auth import second_factor
    from app.models.base import utcnow

    user = make_user(session, "tvasteg@test.se", ["sas"])
    factor = second_factor.begin_enrolment(session, user, utcnow())
    second_factor.confirm_enrolment(session, user, pyotp.TOTP(factor.secret).now(), utcnow())
    return user


def ui_targets(session: Session, world: World) -> dict[str, UiTarget]:
    """Keyed by endpoint; tests/fuzz/test_ui_forms.py checks every POST route has one."""
    sarah = case_of(session, world, "lex_sarah", "under_investigation")
    action = action_for(session, world, sarah)
    early = early_filed(session, world)
    deciding = case_of(session, world, "lex_sarah", "awaiting_decision")
    maria = case_of(session, world, "lex_maria", "under_investigation", medical_device=True)
    category = session.scalars(select(Category).order_by(Category.id)).first()
    assert category is not None
    token, _ = ApiToken.issue(world.other_reporter, name="Fuzz")
    session.add(token)
    # One co-investigator to remove, another to add.
    helper = make_user(session, "medutredare@test.se", ["reporter"])
    add_co_investigator(session, sarah, world.sas, {"user_id": helper.id})
    session.flush()
    case = f"/arenden/{sarah.id}"
    return {
        "reports.new_report": UiTarget(
            world.reporter, "/rapportera", report_data(world.solgarden), ReportForm
        ),
        "cases.fire_step": UiTarget(
            world.sas,
            f"{case}/steg/propose_early_filing",
            {"proposed_grade": "serious_misconduct", "grade_motivation": "Motiv."},
        ),
        # The chair's one decision form (forms/decide.py) on a case awaiting the decision.
        "cases.decide": UiTarget(
            world.chair,
            f"/arenden/{deciding.id}/beslut",
            {"choice": "approve_filing", "motivation": "Allvarligt missförhållande."},
            DecideForm,
        ),
        "cases.save_investigation": UiTarget(
            world.sas,
            f"{case}/utredning",
            {**investigation_data(), "expected_version": str(sarah.version)},
            InvestigationForm,
        ),
        "cases.add_action": UiTarget(
            world.sas,
            f"{case}/atgarder",
            {
                "description": "Ny rutin.",
                "owner_id": world.manager.id,
                "due_on": (date.today() + timedelta(days=7)).isoformat(),
            },
            ActionForm,
        ),
        "cases.update_action": UiTarget(
            world.sas,
            f"{case}/atgarder/{action.id}",
            {"status": "handed_over", "handed_over_note": "Enhetens plan."},
            ActionUpdateForm,
        ),
        "cases.investigation_sent": UiTarget(
            world.sas, f"/arenden/{early.id}/utredning-skickad", {"sent_on": TODAY}, None
        ),
        "cases.patient_information": UiTarget(
            world.mas,
            f"/arenden/{maria.id}/patientinformation",
            dict(PATIENT_INFORMATION),
            PatientInformationForm,
        ),
        "cases.medical_device_report": UiTarget(
            world.mas,
            f"/arenden/{maria.id}/lakemedelsverket",
            {"reported_on": TODAY},
            MedicalDeviceReportForm,
        ),
        "cases.add_co_investigator": UiTarget(
            world.sas, f"{case}/medutredare", {"user_id": world.reporter.id}, CoInvestigatorForm
        ),
        "cases.remove_co_investigator": UiTarget(
            world.sas,
            f"{case}/medutredare/ta-bort",
            {"user_id": helper.id},
            CoInvestigatorForm,
        ),
        "cases.upload_attachment": UiTarget(world.sas, f"{case}/bilagor", None),
        "cases.mark_read": UiTarget(world.sas, "/notiser/1/last", None),
        "cases.mark_all_read": UiTarget(world.sas, "/notiser/lasta", None),
        # The admin's pages: the fields are read off each page (support.page_form), so that a
        # field added there is fuzzed too.
        "admin.new_category": UiTarget(world.admin, "/admin/kategorier/ny", None, CategoryForm),
        "admin.edit_category": UiTarget(
            world.admin, f"/admin/kategorier/{category.id}", None, CategoryForm
        ),
        "admin.category_active": UiTarget(
            world.admin, f"/admin/kategorier/{category.id}/aktiv", {"active": "1"}
        ),
        "admin.settings": UiTarget(world.admin, "/admin/installningar", None, SettingsForm),
        "admin.edit_deadline_rule": UiTarget(
            world.admin,
            "/admin/tidsfrister/lex_sarah/investigation_complete",
            None,
            DeadlineRuleForm,
        ),
        "admin.new_user": UiTarget(world.admin, "/admin/anvandare/ny", None),
        "admin.edit_user": UiTarget(world.admin, f"/admin/anvandare/{world.reporter.id}", None),
        "admin.user_active": UiTarget(
            world.admin, f"/admin/anvandare/{world.other_reporter.id}/aktiv", {"active": "0"}
        ),
        # Shows the new SCIM token in its answer (200), never by a redirect.
        "admin.new_scim_token": UiTarget(world.admin, "/admin/scim/token", {}, None, False),
        "admin.reset_user_second_factor": UiTarget(
            world.admin, f"/admin/anvandare/{world.other_reporter.id}/tvastegsverifiering", {}
        ),
        "admin.new_unit": UiTarget(world.admin, "/admin/enheter/ny", None),
        "admin.edit_unit": UiTarget(world.admin, f"/admin/enheter/{world.linden.id}", None),
        "admin.unit_active": UiTarget(
            world.admin, f"/admin/enheter/{world.linden.id}/aktiv", {"active": "1"}
        ),
        "admin.group_mappings": UiTarget(
            world.admin,
            "/admin/grupper",
            {"group_key": "sg-fuzz", "role": "reporter"},
            GroupMappingForm,
        ),
        "admin.remove_group_mapping": UiTarget(world.admin, "/admin/grupper/999999/ta-bort", {}),
        # Not found until SAML is configured; tests/sso/test_saml.py posts to it configured.
        "sso.saml_acs": UiTarget(None, "/saml/acs", {"SAMLResponse": "x"}, accepted=False),
        "account.page": UiTarget(world.other_reporter, "/konto", None),
        # Made: the page itself shows the new token once (200), never a redirect.
        "account.create_token": UiTarget(
            world.other_reporter, "/konto/token", {"name": "Integration"}, TokenForm, False
        ),
        "account.revoke_token": UiTarget(
            world.other_reporter, f"/konto/token/{token.id}/aterkalla", {}
        ),
        "auth.login": UiTarget(
            None, "/login", {"email": "nobody@test.se", "password": "x"}, accepted=False
        ),
        "auth.logout": UiTarget(world.reporter, "/logout", None),
        # Posted between the password and the code: by someone with a second factor, whose
        # password (Browsers signs in with it) leads to the code page. A wrong code: 200.
        "auth.second_factor_step": UiTarget(
            _with_second_factor(session),
            "/inloggning/kod",
            {"code": "123456"},
            SignInCodeForm,
            False,
        ),
        # The forced enrolment needs TOTP_REQUIRED, off in this suite: without it everyone is
        # sent to the login page, whatever they post (its refusals: tests/test_ui_second_factor).
        "auth.enrol": UiTarget(None, "/inloggning/tvastegsverifiering", None),
        # A code that does not fit the new key is refused with the form shown again.
        "account.enrol": UiTarget(
            world.other_reporter,
            "/konto/tvastegsverifiering",
            {"code": "12345x"},
            EnrolCodeForm,
            False,
        ),
        "account.new_recovery_codes": UiTarget(
            world.other_reporter, "/konto/aterstallningskoder", {"code": "123456"}
        ),
        "auth.forgot_password": UiTarget(None, "/glomt-losenord", {"email": "nobody@test.se"}),
        "auth.reset_password": UiTarget(
            None, "/nytt-losenord/not-a-token", {"password": "x", "confirm": "x"}, accepted=False
        ),
        "logreview.new_review": UiTarget(
            world.log_reviewer,
            "/logg/granskningar/ny",
            {"period_start": TODAY, "period_end": TODAY, "sample_percent": "10"},
        ),
        "logreview.record_outcome": UiTarget(
            world.log_reviewer, "/logg/granskningar/1/urval/1", {"outcome": "ok"}, accepted=False
        ),
        "logreview.complete": UiTarget(
            world.log_reviewer,
            "/logg/granskningar/1/avsluta",
            {"conclusion": "Klart."},
            accepted=False,
        ),
    } | _rev2(session, world)


def _rev2(session: Session, world: World) -> dict[str, UiTarget]:
    from .ui_targets_rev2 import rev2_targets

    return rev2_targets(session, world)
