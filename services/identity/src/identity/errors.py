"""Identity's documented errors."""

from __future__ import annotations

from proximity.errors import NotFound, Unauthenticated


class InvalidCredentials(Unauthenticated):
    """The same answer for a wrong password, an unknown email and a locked account."""

    code = "eInvalidCredentials"
    message = "The email or password is incorrect, or the account is temporarily locked."


class InvalidRefreshToken(Unauthenticated):
    code = "eInvalidRefreshToken"
    message = "The refresh token is invalid, expired or already used."


class UserNotFound(NotFound):
    code = "eUserNotFound"
    message = "The user could not be found."


class InvalidServiceCredentials(Unauthenticated):
    """The same answer for an unknown service and a wrong secret."""

    code = "eInvalidServiceCredentials"
    message = "The service name or secret is incorrect."


class TenantNotFound(NotFound):
    code = "eTenantNotFound"
    message = "The tenant could not be found."
