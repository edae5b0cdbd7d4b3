"""Consent type names: the seed's defaults, replacing the set, refusing to drop one in use."""

from __future__ import annotations

import pytest

from consents.domain.errors import ConsentTypeInUse, InvalidConsentTypeNames, UnknownConsentType
from consents.domain.type_names import (
    DEFAULT_TYPE_NAMES,
    ConsentTypeNames,
    LocalizedLabel,
    replace_type_names,
    require_registered,
    validate,
)

KYC = (LocalizedLabel("Know your customer"),)


def test_defaults_are_the_seeds_three() -> None:
    assert set(DEFAULT_TYPE_NAMES.names) == {"termsAndConditions", "privacyPolicy", "electronicConsent"}
    assert DEFAULT_TYPE_NAMES.names["termsAndConditions"][0].label == "Term and Conditions"
    assert DEFAULT_TYPE_NAMES.names["privacyPolicy"][0].description.startswith(  # type: ignore[union-attr]
        "The financial institution's privacy policy"
    )
    validate(DEFAULT_TYPE_NAMES)


def test_as_json_is_the_representations_names_object() -> None:
    names = ConsentTypeNames(
        {"b": (LocalizedLabel("B", "bee"), LocalizedLabel("Bé", language="fr", code="2")), "a": KYC}
    )
    assert names.as_json() == {
        "a": [{"label": "Know your customer"}],
        "b": [{"label": "B", "description": "bee"}, {"label": "Bé", "language": "fr", "code": "2"}],
    }
    assert list(names.as_json()) == ["a", "b"]


def test_replacing_adds_and_removes_unused_types() -> None:
    replacement = ConsentTypeNames({"privacyPolicy": DEFAULT_TYPE_NAMES.names["privacyPolicy"], "kyc": KYC})
    result = replace_type_names(DEFAULT_TYPE_NAMES, replacement, in_use={"privacyPolicy"})
    assert result == replacement


def test_removing_a_type_in_use_is_a_409() -> None:
    replacement = ConsentTypeNames({"kyc": KYC})
    with pytest.raises(ConsentTypeInUse) as raised:
        replace_type_names(
            DEFAULT_TYPE_NAMES, replacement, in_use={"privacyPolicy", "termsAndConditions", "kyc"}
        )
    assert raised.value.status == 409
    assert raised.value.attributes == {"types": ["privacyPolicy", "termsAndConditions"]}


def test_a_type_in_use_that_was_never_registered_does_not_block() -> None:
    replacement = ConsentTypeNames({"kyc": KYC})
    assert replace_type_names(ConsentTypeNames({"kyc": KYC}), replacement, in_use={"legacy"}) == replacement


@pytest.mark.parametrize(
    ("names", "count"),
    [
        ({}, 1),
        ({"1bad": KYC}, 1),
        ({"has space": KYC}, 1),
        ({"kyc": ()}, 1),
        ({"kyc": (LocalizedLabel("  "),)}, 1),
        ({"kyc": (LocalizedLabel("KYC"), LocalizedLabel("KYC fr"))}, 1),
        ({"1bad": (), "kyc": (LocalizedLabel("KYC"), LocalizedLabel("x"))}, 3),
    ],
)
def test_malformed_sets_are_a_400_with_one_nested_error_each(
    names: dict[str, tuple[LocalizedLabel, ...]], count: int
) -> None:
    with pytest.raises(InvalidConsentTypeNames) as raised:
        replace_type_names(DEFAULT_TYPE_NAMES, ConsentTypeNames(names), in_use=set())
    assert raised.value.status == 400
    assert len(raised.value.errors) == count


def test_require_registered() -> None:
    require_registered(DEFAULT_TYPE_NAMES, "privacyPolicy")
    with pytest.raises(UnknownConsentType) as raised:
        require_registered(DEFAULT_TYPE_NAMES, "kyc")
    assert raised.value.status == 400
    assert raised.value.attributes["allowed"] == ["electronicConsent", "privacyPolicy", "termsAndConditions"]
    assert "kyc" not in DEFAULT_TYPE_NAMES
