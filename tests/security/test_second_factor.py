"""The second factor's rules as plain operations (app/auth/second_factor.py): who needs one, the
enrolment, a code right, wrong, replayed or from a neighbouring time-step, recovery codes that
work once and are stored only hashed, the administrator's reset, and break-glass sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.auth import second_factor as sf
from app.models import RecoveryCode, SecondFactor
from tests.factories import make_user
from workflows.errors import InvalidData

T0 = datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC)
STEP = timedelta(seconds=30)


def code_at(factor: SecondFactor, moment: datetime) -> str:
    return pyotp.TOTP(factor.secret).at(moment)


def enrolled(session, user, at: datetime = T0) -> tuple[SecondFactor, list[str]]:  # type: ignore[no-untyped-def]
    factor = sf.begin_enrolment(session, user, at)
    codes = sf.confirm_enrolment(session, user, code_at(factor, at), at)
    return factor, codes


# --- who needs one -----------------------------------------------------------------------------


def test_every_role_that_reads_case_content_needs_one_and_the_reporter_not(app, session, world):
    app.config["TOTP_REQUIRED"] = True
    for user in (world.sas, world.mas, world.chair, world.manager, world.admin):
        assert sf.required(user, app.config), user.roles
    assert not sf.required(world.reporter, app.config)
    reviewer = make_user(session, "granskare@test.se", ["log_reviewer"])
    assert sf.required(reviewer, app.config)


def test_off_when_the_setting_is_off(app, world):
    app.config["TOTP_REQUIRED"] = False
    assert not sf.required(world.sas, app.config)


def test_demo_users_sign_in_without_one_outside_production_only(app, session):
    app.config["TOTP_REQUIRED"] = True
    demo_sas = make_user(session, "sas@exempelby.se", ["sas"])
    assert not sf.required(demo_sas, app.config)
    app.config["ENV_NAME"] = "production"
    assert sf.required(demo_sas, app.config)


# --- enrolment ---------------------------------------------------------------------------------


def test_enrolment_keeps_one_secret_until_confirmed(session, world):
    first = sf.begin_enrolment(session, world.sas, T0)
    again = sf.begin_enrolment(session, world.sas, T0 + STEP)
    assert first.id == again.id
    assert first.secret == again.secret
    assert len(first.secret) >= 32
    assert not sf.enrolled(session, world.sas)
    # An unconfirmed factor is no factor: no code signs in with it.
    assert sf.verify(session, world.sas, code_at(first, T0), T0) is sf.Verdict.WRONG


def test_a_wrong_code_does_not_confirm(session, world):
    factor = sf.begin_enrolment(session, world.sas, T0)
    wrong = f"{(int(code_at(factor, T0)) + 1) % 1_000_000:06d}"
    with pytest.raises(InvalidData) as refused:
        sf.confirm_enrolment(session, world.sas, wrong, T0)
    assert "code" in refused.value.field_errors
    assert not sf.enrolled(session, world.sas)


def test_confirming_gives_ten_recovery_codes_kept_only_hashed(session, world):
    factor, codes = enrolled(session, world.sas)
    assert sf.enrolled(session, world.sas)
    assert factor.confirmed_at == T0
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = session.scalars(
        select(RecoveryCode.code_hash).where(RecoveryCode.user_id == world.sas.id)
    ).all()
    assert sorted(stored) == sorted(sf.hash_recovery_code(c) for c in codes)
    assert not set(stored) & set(codes)
    with pytest.raises(ValueError, match="already enrolled"):
        sf.begin_enrolment(session, world.sas, T0)


def test_the_readable_secret_is_the_secret_in_groups(session, world):
    factor = sf.begin_enrolment(session, world.sas, T0)
    shown = sf.readable_secret(factor.secret)
    assert shown.replace(" ", "") == factor.secret
    assert all(len(group) <= 4 for group in shown.split())
    uri = sf.provisioning_uri(factor, world.sas, "Lexflöde")
    assert uri.startswith("otpauth://totp/")
    assert f"secret={factor.secret}" in uri


# --- codes at sign-in --------------------------------------------------------------------------


def test_the_current_code_signs_in(session, world):
    factor, _codes = enrolled(session, world.sas)
    later = T0 + 4 * STEP
    assert sf.verify(session, world.sas, code_at(factor, later), later) is sf.Verdict.ACCEPTED


def test_a_wrong_code_is_refused(session, world):
    factor, _codes = enrolled(session, world.sas)
    later = T0 + 4 * STEP
    right = code_at(factor, later)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for code in (wrong, "", "12345", "abcdef", right + "0"):
        assert sf.verify(session, world.sas, code, later) is sf.Verdict.WRONG, code


def test_a_code_from_the_step_before_or_after_is_accepted_but_no_further(session, world):
    factor, _codes = enrolled(session, world.sas)
    now = T0 + 10 * STEP
    assert sf.verify(session, world.sas, code_at(factor, now - 3 * STEP), now) is sf.Verdict.WRONG
    assert sf.verify(session, world.sas, code_at(factor, now + STEP), now) is sf.Verdict.ACCEPTED


def test_a_code_used_once_is_refused_the_second_time(session, world):
    factor, _codes = enrolled(session, world.sas)
    later = T0 + 4 * STEP
    code = code_at(factor, later)
    assert sf.verify(session, world.sas, code, later) is sf.Verdict.ACCEPTED
    assert sf.verify(session, world.sas, code, later + timedelta(seconds=5)) is sf.Verdict.REPLAYED
    # Nor an older one still inside the window.
    older = code_at(factor, later - STEP)
    assert sf.verify(session, world.sas, older, later) is sf.Verdict.REPLAYED
    assert session.get(SecondFactor, factor.id).last_step == pyotp.TOTP(factor.secret).timecode(
        later
    )


def test_the_code_that_confirmed_the_enrolment_cannot_sign_in(session, world):
    factor, _codes = enrolled(session, world.sas)
    assert sf.verify(session, world.sas, code_at(factor, T0), T0) is sf.Verdict.REPLAYED


def test_a_recovery_code_works_once_however_it_is_typed(session, world):
    _factor, codes = enrolled(session, world.sas)
    typed = " " + codes[3].upper().replace("-", " ") + " "
    assert sf.verify(session, world.sas, typed, T0) is sf.Verdict.RECOVERY
    assert sf.verify(session, world.sas, codes[3], T0) is sf.Verdict.WRONG
    assert sf.unused_recovery_codes(session, world.sas) == 9
    # Another user's code is no code of this one's.
    _other, other_codes = enrolled(session, world.mas)
    assert sf.verify(session, world.sas, other_codes[0], T0) is sf.Verdict.WRONG


def test_new_recovery_codes_replace_the_old(session, world):
    _factor, old = enrolled(session, world.sas)
    new = sf.new_recovery_codes(session, world.sas, T0)
    assert sf.verify(session, world.sas, old[0], T0) is sf.Verdict.WRONG
    assert sf.verify(session, world.sas, new[0], T0) is sf.Verdict.RECOVERY
    assert sf.unused_recovery_codes(session, world.sas) == 9


def test_the_reset_removes_the_factor_and_its_codes(session, world):
    _factor, codes = enrolled(session, world.sas)
    assert sf.reset(session, world.sas) is True
    assert not sf.enrolled(session, world.sas)
    assert sf.verify(session, world.sas, codes[0], T0) is sf.Verdict.WRONG
    assert sf.unused_recovery_codes(session, world.sas) == 0
    assert sf.reset(session, world.sas) is False
    # A new enrolment has a new secret.
    assert sf.begin_enrolment(session, world.sas, T0).secret != _factor.secret


# --- LOCAL_SIGN_IN -----------------------------------------------------------------------------


def test_break_glass_leaves_the_password_to_the_listed_addresses():
    config = {"LOCAL_SIGN_IN": "on", "BREAK_GLASS_EMAILS": []}
    assert sf.local_sign_in_allowed("vem@test.se", config)
    config = {"LOCAL_SIGN_IN": "break_glass", "BREAK_GLASS_EMAILS": ["Reserv@Test.se"]}
    assert sf.local_sign_in_allowed(" reserv@test.SE ", config)
    assert not sf.local_sign_in_allowed("sas@test.se", config)
