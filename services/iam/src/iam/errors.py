"""The iam service's documented errors (seed 004 "Groups", "Datazones", "Features"), each with
its code; the one exception handler of ``proximity.http.errors`` renders them. Codes the seed
does not name (a cycle, a too deep chain, a system group) are iam's own, in the same shape."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError


class FeatureNotFound(NotFound):
    code = "eFeatureNotFound"
    message = "The feature could not be found / invalid ID."


class GroupNotFound(NotFound):
    code = "eGroupNotFound"
    message = "The group could not be found / invalid ID."


class GroupsNotFound(NotFound):
    code = "eGroupsNotFound"
    message = "Some of the given groups could not be found."


class PartyNotFound(NotFound):
    code = "ePartyNotFound"
    message = "The party ID given could not be found."


class GroupTypeChange(ProximityError):
    code = "eAttemptGroupTypeChange"
    message = "You cannot change the group type once created."


class VaryingGroupTypes(ProximityError):
    code = "eItemUpdateWithVaryingGroupTypes"
    message = (
        "Some of the groups in your arrays have differing group types. All groups must be the same type."
    )


class NonOperationalOtherTypeInherit(ProximityError):
    code = "eAttemptNonOperationalOtherTypeInherit"
    message = "You tried to mix group types in the inherit array for a non-operational type."


class InheritanceCycle(ProximityError):
    code = "eAttemptInheritanceCycle"
    message = "A group cannot inherit itself, directly or through the groups it inherits."


class InheritanceTooDeep(ProximityError):
    code = "eAttemptInheritanceTooDeep"
    message = "Groups may inherit one another at most 10 levels deep."


class MissingItems(ProximityError):
    code = "eAttemptSaveWithMissingItems"
    message = "Some of the item ids you've given were missing."


class MissingInherits(ProximityError):
    code = "eAttemptSaveWithMissingInherits"
    message = "One or more of the inherit_ids you've given do not exist."


class MissingOwners(ProximityError):
    code = "eAttemptSaveWithMissingOwners"
    message = "Some or all of the owner ids you've given do not exist."


class SystemGroupChange(ProximityError):
    code = "eAttemptSystemGroupChange"
    message = "A system group cannot be changed or deleted."


# What a group create, replace or batch row may answer besides eValidationError.
GROUP_WRITE_ERRORS: tuple[type[ProximityError], ...] = (
    GroupTypeChange,
    NonOperationalOtherTypeInherit,
    InheritanceCycle,
    InheritanceTooDeep,
    MissingItems,
    MissingInherits,
    MissingOwners,
    SystemGroupChange,
)
