"""The documented errors of the datazone operations (seed 004 "Datazones"): 400s in seed 004's
envelope, rendered by the one exception handler of ``proximity.http.errors``."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError


class DatazoneNotFound(NotFound):
    code = "eDataZoneNotFound"
    message = "The datazone could not be found / invalid ID."


class AttemptTypeChange(ProximityError):
    code = "eAttemptTypeChange"
    message = "You cannot change the datazone type once created."


class AttemptSaveGeoOnIncorrectType(ProximityError):
    code = "eAttemptSaveGeoOnIncorrectType"
    message = "You are trying to update geozones on a commercial type datazone. This is not permitted."


class MissingContracts(ProximityError):
    code = "eAttemptSaveWithMissingContracts"
    message = "One or more of the contract_ids you've given do not exist."


class MissingIndustries(ProximityError):
    code = "eAttemptSaveWithMissingIndustries"
    message = "One or more of the industry_ids you've given do not exist."


class MissingEntities(ProximityError):
    code = "eAttemptSaveWithMissingEntities"
    message = "One or more of the entity_ids you've given do not exist."


class MissingOwners(ProximityError):
    code = "eAttemptSaveWithMissingOwners"
    message = "One or more of the owner_ids you've given do not exist."


# What a create, replace or batch row may answer besides eValidationError (seed 004).
DATAZONE_WRITE_ERRORS: tuple[type[ProximityError], ...] = (
    AttemptTypeChange,
    MissingContracts,
    MissingIndustries,
    MissingEntities,
    MissingOwners,
)
