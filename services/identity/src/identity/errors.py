"""Identity's documented errors."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError, ServiceUnavailable, Unauthenticated, ValidationFailed


class InvalidCredentials(Unauthenticated):
    """The same answer for a wrong password, an unknown email and a locked account."""

    code = "eInvalidCredentials"
    message = "The email or password is incorrect, or the account is temporarily locked."


class PasswordHashingBusy(ServiceUnavailable):
    """More sign-ins at once than the password hashing workers and their queue take."""

    code = "eServiceUnavailable"
    message = "Too many sign-ins at once; try again shortly."
    retry_after_seconds = 1


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


class PartyNotFound(NotFound):
    code = "ePartyNotFound"
    message = "The party could not be found."


class PartyTypeNotFound(NotFound):
    code = "ePartyTypeNotFound"
    message = "The party type could not be found."


class JobTitleNotFound(NotFound):
    code = "eJobTitleNotFound"
    message = "The job title could not be found."


class ProfileKeyNotFound(ValidationFailed):
    code = "eProfileKeyNotFound"
    message = "One or more of the profile keys do not exist."


class SkillSetNotFound(NotFound):
    code = "eSkillSetNotFound"
    message = "The skillset could not be found / invalid ID."


class SkillSetTypeNotFound(NotFound):
    code = "eSkillSetTypeNotFound"
    message = "SkillSet type ID given could not be found."


class SkillSetCategoryNotFound(NotFound):
    code = "eSkillSetCategoryNotFound"
    message = "SkillSet category ID given could not be found."


class PartiesNotFound(NotFound):
    """Some of the party ids of a batch do not exist; the message names them."""

    code = "ePartiesNotFound"
    message = "Some or all of the party IDs given could not be found."


class AttemptSaveWithMissingSkillSets(NotFound):
    code = "eAttemptSaveWithMissingSkillSets"
    message = "Some or more of the skillsets given could not be found."


class ClientNotFound(NotFound):
    code = "eClientNotFound"
    message = "The client could not be found / invalid ID."


class TemplateTypeNotFound(NotFound):
    code = "eTemplateTypeNotFound"
    message = "The template type could not be found."


class IdentityNotValid(ValidationFailed):
    code = "eIdentityNotValid"
    message = "One or more of your identities are not valid."


class IdentityNotUnique(ValidationFailed):
    code = "eIdentityNotUnique"
    message = "One or more of your identities is currently in use by another user."


class SettingKeyNotFound(ValidationFailed):
    code = "eSettingKeyNotFound"
    message = "One or more of your setting keys do not exist."


class InvalidPassword(ValidationFailed):
    """The new password breaks the password policy; the message says which rule."""

    code = "eInvalidPassword"
    message = "The password does not meet the password policy."


class InvalidResetToken(ProximityError):
    code = "eInvalidResetToken"
    message = "The password reset token is wrong, expired or already used."


class InactiveUser(ProximityError):
    code = "eInactiveUser"
    message = "The user is suspended or deleted."


class InvalidGuestToken(Unauthenticated):
    code = "eInvalidGuestToken"
    message = "The guest login token is wrong, expired or already used."


class InvalidSecondFactorCode(ValidationFailed):
    """A wrong, expired or used code (or password) on the second-factor endpoints."""

    code = "eInvalidCode"
    message = "The code is wrong, expired or already used."


class SecondFactorState(ValidationFailed):
    """The operation does not fit the factor's state; the message says why."""

    code = "eSecondFactorState"
    message = "The second factor is not in a state that allows this."
