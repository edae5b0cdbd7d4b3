"""The contracts service's documented errors (seed 004 "Contracts", "BATCH Assign Contract to
Entities"), each with its code; the one exception handler of ``proximity.http.errors`` renders
them."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError


class ContractNotFound(NotFound):
    code = "eContractNotFound"
    message = "The contract could not be found / invalid ID."


class MissingServices(ProximityError):
    code = "eAttemptSaveWithMissingServices"
    message = "Some of the service ids you've given were missing."


class MissingParties(ProximityError):
    code = "eAttemptSaveWithMissingParties"
    message = "Some of the parties ids you've given were missing."


class MissingRoles(ProximityError):
    code = "eAttemptSaveWithMissingRoles"
    message = "Some of the role ids you've given were missing."


class MissingOwners(ProximityError):
    code = "eAttemptSaveWithMissingOwners"
    message = "Some or all of the owner ids you've given do not exist."


class MissingContacts(ProximityError):
    code = "eAttemptSaveWithMissingContacts"
    message = "Some or all of the contacts ids you've given do not exist."


class MissingMedia(ProximityError):
    code = "eAttemptSaveWithMissingMedia"
    message = "Some or all of the media ids you've given do not exist."


class MissingEntities(ProximityError):
    code = "eAttemptSaveWithMissingEntities"
    message = "Some or all of the entity ids you've given do not exist."


class MissingAssets(ProximityError):
    code = "eAttemptSaveWithMissingAssets"
    message = "Some or all of the asset ids you've given do not exist."


class MissingContracts(ProximityError):
    code = "eAttemptSaveWithMissingContracts"
    message = "The contract ID given could not be found."


class EntitiesNotFound(NotFound):
    code = "eEntitiesNotFound"
    message = "Some of the given entities could not be found."


# What a create, replace or batch row may answer besides eValidationError (seed 004).
CONTRACT_WRITE_ERRORS: tuple[type[ProximityError], ...] = (
    MissingServices,
    MissingParties,
    MissingRoles,
    MissingOwners,
    MissingContacts,
    MissingMedia,
    MissingEntities,
    MissingAssets,
)
