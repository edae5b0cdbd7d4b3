"""The pure rules of the second factors: TOTP steps and drift, single use, recovery code
shape, which methods a user is offered, desktop ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from identity.domain.desktop_id import normalise_desktop_id
from identity.domain.second_factor import (
    FactorState,
    matching_totp_step,
    new_email_code,
    new_recovery_codes,
    new_totp_secret,
    normalise_recovery_code,
    totp_step,
)
from identity.errors import IdentityNotValid

NOW = datetime(2026, 11, 23, 12, 0, 15, tzinfo=UTC)


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_a_code_of_this_step_or_either_neighbour_is_accepted() -> None:
    secret = new_totp_secret()
    for offset in (-30, 0, 30):
        moment = NOW + timedelta(seconds=offset)
        assert matching_totp_step(secret, code_at(secret, moment), NOW, last_used_step=None) == totp_step(
            moment
        )


def test_a_code_two_steps_away_is_refused() -> None:
    secret = new_totp_secret()
    for offset in (-60, 60):
        assert (
            matching_totp_step(
                secret, code_at(secret, NOW + timedelta(seconds=offset)), NOW, last_used_step=None
            )
            is None
        )


def test_a_used_step_and_the_ones_before_it_are_refused() -> None:
    secret = new_totp_secret()
    current = totp_step(NOW)
    assert matching_totp_step(secret, code_at(secret, NOW), NOW, last_used_step=current) is None
    earlier = NOW - timedelta(seconds=30)
    assert matching_totp_step(secret, code_at(secret, earlier), NOW, last_used_step=current) is None
    later = NOW + timedelta(seconds=30)
    assert matching_totp_step(secret, code_at(secret, later), NOW, last_used_step=current) == current + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 456"])
def test_malformed_codes_never_match(code: str) -> None:
    assert matching_totp_step(new_totp_secret(), code, NOW, last_used_step=None) is None


def test_recovery_codes_are_ten_distinct_grouped_codes() -> None:
    codes = new_recovery_codes()
    assert len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert normalise_recovery_code(code.lower().replace("-", " ")) == code


def test_email_codes_are_six_digits() -> None:
    codes = {new_email_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 1


def test_methods_offered_follow_the_factors_the_user_has() -> None:
    assert not FactorState(totp=False, email_otp=False, recovery_codes=10).second_step_required
    both = FactorState(totp=True, email_otp=True, recovery_codes=1)
    assert both.second_step_required
    assert both.methods() == ["totp", "email_otp", "recovery_code"]
    assert FactorState(totp=False, email_otp=True, recovery_codes=0).methods() == ["email_otp"]


def test_desktop_ids_are_trimmed_and_bounded() -> None:
    assert normalise_desktop_id("  PC-42 ") == "PC-42"
    for bad in ["", "  ", "x" * 201, "a\nb"]:
        with pytest.raises(IdentityNotValid):
            normalise_desktop_id(bad)
