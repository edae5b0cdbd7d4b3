"""Errors of the consents service beyond the pure domain's (not found, races)."""

from __future__ import annotations

from consents.domain.errors import ConsentsError


class ConsentNotFound(ConsentsError):
    """No consent with this id in the caller's tenant, or not the caller's own: 404."""

    status = 404
    error_type = "consentNotFound"

    def __init__(self, consent_id: str) -> None:
        super().__init__(
            f"There is no consent {consent_id}.",
            attributes={"consentId": consent_id},
            remediation="Check the consent id; list consents with GET /consents/consents.",
        )


class UnknownConsentParameter(ConsentsError):
    """``?consent=`` of give/revoke names no accessible consent: the seed documents 400."""

    error_type = "invalidConsentParameter"

    def __init__(self, consent: str) -> None:
        super().__init__(
            "The consent parameter is malformed or names no accessible consent.",
            attributes={"consent": consent},
            remediation="Pass the _id of a consent or the URI of its self link.",
        )


class ConcurrentModification(ConsentsError):
    """Another request changed the consent between our read and our write: 409."""

    status = 409
    error_type = "concurrentModification"

    def __init__(self, consent_id: str) -> None:
        super().__init__(
            f"Consent {consent_id} was changed by another request.",
            attributes={"consentId": consent_id},
            remediation="Fetch the consent again and retry.",
        )
