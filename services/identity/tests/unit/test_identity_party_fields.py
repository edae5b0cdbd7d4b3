"""The rules of a party's fields: E.164 phones, emails, profile keys, addresses."""

from __future__ import annotations

import pytest

from identity.domain.address import latitude, longitude, missing_parts
from identity.domain.party_fields import check_profile_keys, checked_email, e164_phone, public_url
from identity.errors import ProfileKeyNotFound
from proximity.errors import ValidationFailed


@pytest.mark.parametrize("number", ["+14035551234", "+442071838750", "+61293744000"])
def test_valid_e164_numbers_pass_unchanged(number: str) -> None:
    assert e164_phone(number) == number


@pytest.mark.parametrize(
    "number",
    [
        "4035551234",  # no country code
        "+1 403 555 1234",  # spaced: a valid number, but not written in E.164
        "+1-403-555-1234",
        "+1403555123",  # too short for its country
        "+15555555555",  # the right shape, but no such number
        "+0123456789",
        "+1234567890123456",  # longer than E.164 allows
        "",
    ],
)
def test_other_phone_strings_are_refused(number: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        e164_phone(number)


def test_emails_are_checked_and_normalised_without_dns() -> None:
    assert checked_email("Ada@Example.COM") == "ada@example.com"
    # A domain that cannot exist still passes: deliverability is not checked.
    assert checked_email("ada@no-such-domain-4f9c2.com") == "ada@no-such-domain-4f9c2.com"


@pytest.mark.parametrize("address", ["ada", "ada@", "@example.com", "ada@@example.com", "ada example@x.com"])
def test_malformed_emails_are_refused(address: str) -> None:
    with pytest.raises(ValueError, match="not a valid email"):
        checked_email(address)


def test_only_documented_profile_keys_are_accepted() -> None:
    check_profile_keys(["title", "dob", "is_operational"])
    with pytest.raises(ProfileKeyNotFound) as refused:
        check_profile_keys(["title", "welcome_template"])
    assert refused.value.code == "eProfileKeyNotFound"
    assert "welcome_template" in refused.value.message


def test_a_profile_key_given_twice_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_profile_keys(["title", "title"])
    assert refused.value.code == "eValidationError"


def test_avatar_urls_must_be_http() -> None:
    assert public_url("https://avatar.url/a.png") == "https://avatar.url/a.png"
    for bad in ("javascript:alert(1)", "avatar.url", "ftp://x/y"):
        with pytest.raises(ValueError, match="http"):
            public_url(bad)


def test_the_seed_examples_of_valid_addresses_pass() -> None:
    assert missing_parts({"name": "Main area", "country": "United States"}) == []
    assert missing_parts({"country": "Canada", "region": "Alberta", "locale": "Rocky View County"}) == []
    assert (
        missing_parts(
            {
                "country": "Canada",
                "region": "Alberta",
                "city": "Calgary",
                "street": "1st St NW",
                "unit": "100",
            }
        )
        == []
    )
    assert missing_parts({"name": "Distribution Area", "country": "Canada", "postal": "T3A 0Z0"}) == []
    assert missing_parts({"lat": "52.0", "long": "-0.1"}) == []


def test_a_finer_part_needs_the_coarser_ones() -> None:
    assert missing_parts({"region": "Alberta"}) == ["region requires country"]
    assert missing_parts({"country": "gb", "city": "Newark"}) == ["city requires region"]
    assert missing_parts({"country": "gb", "region": "notts", "street": "station road"}) == [
        "street requires city"
    ]
    assert "unit requires street" in missing_parts({"country": "gb", "region": "n", "city": "c", "unit": "1"})
    assert missing_parts({"postal": "NG23"}) == ["postal requires country"]


def test_coordinates_must_be_on_the_globe() -> None:
    assert latitude("52.023432") == "52.023432"
    assert longitude("-180") == "-180"
    for bad in ("90.1", "-91", "nan", "inf", "north"):
        with pytest.raises(ValueError, match="latitude"):
            latitude(bad)
    with pytest.raises(ValueError, match="longitude must be between"):
        longitude("180.5")
