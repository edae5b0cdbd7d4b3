"""The registered consent type names (``/consentTypeNames``): the seed's default set, the
replacement of the whole set by ``PUT``, and the rules a set and a consent's type obey."""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass

from consents.domain.errors import (
    ConsentsError,
    ConsentTypeInUse,
    InvalidConsentTypeNames,
    UnknownConsentType,
)

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class LocalizedLabel:
    label: str
    description: str | None = None
    language: str | None = None  # RFC 7231 language tag; empty on the default (first) label
    code: str | None = None


@dataclass(frozen=True, slots=True)
class ConsentTypeNames:
    """Type name -> labels; the first label is the default, the others name their language."""

    names: Mapping[str, tuple[LocalizedLabel, ...]]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def as_json(self) -> dict[str, list[dict[str, str]]]:
        """The ``names`` object of the representation, keys sorted (also what the ETag hashes)."""
        return {
            name: [
                {key: value for key, value in _label_fields(label) if value is not None}
                for label in self.names[name]
            ]
            for name in sorted(self.names)
        }


def _label_fields(label: LocalizedLabel) -> tuple[tuple[str, str | None], ...]:
    return (
        ("label", label.label),
        ("description", label.description),
        ("language", label.language),
        ("code", label.code),
    )


DEFAULT_TYPE_NAMES = ConsentTypeNames(
    {
        "termsAndConditions": (
            LocalizedLabel(
                "Term and Conditions",
                "The terms and conditions of use for bank accounts. The user must consent to these terms "
                "and conditions in order to open a new account.",
            ),
        ),
        "privacyPolicy": (
            LocalizedLabel(
                "Privacy Policy",
                "The financial institution's privacy policy, which covers how the financial institution "
                "guards the customer's personal information and how it shares information about customers.",
            ),
        ),
        "electronicConsent": (
            LocalizedLabel(
                "Electronic Consent Agreement",
                "Consenting to this agreement means the user agrees to receive electronically certain "
                "information such as statements or notices  from the financial institution, and that the "
                "user agrees their use of the banking applications means they agree to allow those banking "
                "applications to perform banking operations, including transferring money or making "
                "payments, on their behalf.",
            ),
        ),
    }
)
"""The seed's default set, labels and descriptions verbatim (its "Term and Conditions" included)."""


def validate(type_names: ConsentTypeNames) -> None:
    """A set is well formed: at least one name, each a word with at least one label, every label
    after the first naming its language. Raises ``InvalidConsentTypeNames`` listing each fault."""
    faults: list[ConsentsError] = []
    if not type_names.names:
        faults.append(ConsentsError("The set of consent type names is empty."))
    for name, labels in type_names.names.items():
        if not _NAME.fullmatch(name):
            faults.append(ConsentsError(f"'{name}' is not a valid type name.", attributes={"name": name}))
        if not labels:
            faults.append(ConsentsError(f"'{name}' has no label.", attributes={"name": name}))
        if any(not label.label.strip() for label in labels):
            faults.append(ConsentsError(f"'{name}' has an empty label.", attributes={"name": name}))
        if any(not label.language for label in labels[1:]):
            message = f"Every label of '{name}' after the first needs a language."
            faults.append(ConsentsError(message, attributes={"name": name}))
    if faults:
        raise InvalidConsentTypeNames("The consent type names are invalid.", errors=faults)


def replace_type_names(
    current: ConsentTypeNames, replacement: ConsentTypeNames, *, in_use: Set[str]
) -> ConsentTypeNames:
    """``PUT /consentTypeNames``: the replacement, if well formed and it keeps every type in use."""
    validate(replacement)
    removed_in_use = sorted((set(current.names) - set(replacement.names)) & in_use)
    if removed_in_use:
        raise ConsentTypeInUse(
            f"Consent types in use cannot be removed: {', '.join(removed_in_use)}.",
            attributes={"types": removed_in_use},
            remediation="Keep these names in the set, or rescind the consents that use them first.",
        )
    return replacement


def require_registered(type_names: ConsentTypeNames, type_name: str) -> None:
    """A consent's ``type`` must be a registered name (``POST /consents``, ``revisedDocuments``)."""
    if type_name not in type_names:
        raise UnknownConsentType(
            f"'{type_name}' is not a registered consent type.",
            attributes={"type": type_name, "allowed": sorted(type_names.names)},
            remediation="Use one of the names of /consentTypeNames, or register it there first.",
        )
