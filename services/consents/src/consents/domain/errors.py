"""Errors the consents domain raises, shaped after seed 001's ``errorResponse``.

Each carries what the HTTP layer needs for ``_error``: ``status`` (``statusCode``),
``error_type`` (``type``), ``message``, ``attributes``, ``remediation`` and nested
``errors``. They do not derive from ``proximity.errors`` on purpose: the consents API renders
its own HAL ``_error`` body, not seed 004's ``{"errors": [...]}`` envelope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar


class ConsentsError(Exception):
    status: ClassVar[int] = 400
    error_type: ClassVar[str] = "badRequest"

    def __init__(
        self,
        message: str,
        *,
        attributes: Mapping[str, object] | None = None,
        remediation: str | None = None,
        errors: Sequence[ConsentsError] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.attributes: dict[str, object] = dict(attributes or {})
        self.remediation = remediation
        self.errors: tuple[ConsentsError, ...] = tuple(errors)


class TransitionNotAllowed(ConsentsError):
    """The consent's state does not allow the action (give a rescinded consent...): 409."""

    status = 409
    error_type = "consentTransitionNotAllowed"


class ConsentTypeInUse(ConsentsError):
    """A ``PUT /consentTypeNames`` would remove a type that existing consents use: 409."""

    status = 409
    error_type = "consentTypeInUse"


class UnknownConsentType(ConsentsError):
    """A consent's ``type`` is not one of the registered type names: 400."""

    error_type = "unknownConsentType"


class InvalidConsentTypeNames(ConsentsError):
    """A type-name set that is not well formed (bad name, no label...): 400, one nested error each."""

    error_type = "invalidConsentTypeNames"


class FilterSyntaxError(ConsentsError):
    """A ``filter`` expression that cannot be used, with the 0-based offset of the fault: 400."""

    error_type = "invalidFilter"

    def __init__(self, message: str, *, position: int, expression: str) -> None:
        super().__init__(
            f"{message} at position {position}",
            attributes={"position": position, "filter": expression},
            remediation="See the filter syntax, e.g. and(eq(state,given),eq(type,privacyPolicy)).",
        )
        self.position = position


class MalformedQuery(ConsentsError):
    """A query parameter that is not well formed (``sortBy=,x``, ``type=a||b``): 400."""

    error_type = "malformedQueryParameter"


class InvalidQueryValue(ConsentsError):
    """A well-formed query parameter whose value is not allowed (``state=bogus``): 422."""

    status = 422
    error_type = "invalidQueryParameterValue"


class PreconditionFailed(ConsentsError):
    """``If-Match`` names no current entity tag: the resource changed in the interim: 412."""

    status = 412
    error_type = "preconditionFailed"
