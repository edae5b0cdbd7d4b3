"""The assets service's documented errors (seed 004 "Assets"), each with its code; the one
exception handler of ``proximity.http.errors`` renders them. Codes the seed does not name
(a cycle, a hierarchy too deep, a container with children) are ours, named the seed's way."""

from __future__ import annotations

from proximity.errors import NotFound, PayloadTooLarge, ProximityError, ServiceUnavailable


class AssetNotFound(NotFound):
    code = "eAssetNotFound"
    message = "The asset could not be found / invalid ID."


class AssetTypeNotFound(NotFound):
    code = "eAssetTypeNotFound"
    message = "Asset type ID given could not be found."


class ParentNotFound(NotFound):
    code = "eParentNotFound"
    message = "The parent asset given could not be found."


class EntityNotFound(NotFound):
    code = "eEntityNotFound"
    message = "Entity ID given could not be found."


class AddressNotPermitted(ProximityError):
    code = "eAddressNotPermitted"
    message = "Asset type does not permit an address."


class GeoNotPermitted(ProximityError):
    code = "eGeoNotPermitted"
    message = "Asset type does not permit geo."


class ParentNotPermitted(ProximityError):
    code = "eParentNotPermitted"
    message = "Asset type does not permit a parent, or a parent of the type given."


class ParentRequired(ProximityError):
    code = "eParentRequired"
    message = "Asset type requires a parent."


class EntityNotPermitted(ProximityError):
    code = "eEntityNotPermitted"
    message = "Asset type does not permit entities assigned to it."


class ContainerTypeChangeRestricted(ProximityError):
    code = "eContainerTypeChangeRestricted"
    message = "You cannot change an asset from a container type to a non-container type and vice versa."


class AssignedObjectsNotPermitted(ProximityError):
    code = "eAssignedObjectsNotPermitted"
    message = "This asset type does not permit assigned objects."


class MissingParties(ProximityError):
    code = "eAttemptSaveWithMissingParties"
    message = "One or more of the parties given do not exist."


class MissingServices(ProximityError):
    code = "eAttemptSaveWithMissingServices"
    message = "One or more of the services given do not exist."


class MissingContracts(ProximityError):
    """contracts' refusal of a link write, as it answers it (``assets.contracts_owner``)."""

    code = "eAttemptSaveWithMissingContracts"
    message = "One or more of the contract_ids you've given do not exist."


class ParentCycle(ProximityError):
    code = "eParentCycle"
    message = "An asset cannot sit under itself or under one of its own descendants."


class HierarchyTooDeep(ProximityError):
    code = "eHierarchyTooDeep"
    message = "The asset hierarchy would be deeper than allowed."


class AssetHasChildren(ProximityError):
    code = "eAssetHasChildren"
    message = "The asset still contains assets; move or delete them first."


ASSET_WRITE_ERRORS: tuple[type[ProximityError], ...] = (
    AssetTypeNotFound,
    ParentNotFound,
    EntityNotFound,
    AddressNotPermitted,
    GeoNotPermitted,
    ParentNotPermitted,
    ParentRequired,
    EntityNotPermitted,
    AssignedObjectsNotPermitted,
    MissingParties,
    MissingServices,
    ParentCycle,
    HierarchyTooDeep,
)


class ContractLinksUnavailable(ServiceUnavailable):
    """How the OpenAPI document shows ``assets.contracts_owner``'s 503s."""

    message = "The contracts service is unavailable; nothing was changed, try again later."


# What a write naming contract links may also answer (contracts owns them).
CONTRACT_LINK_ERRORS: tuple[type[ProximityError], ...] = (MissingContracts, ContractLinksUnavailable)


class IndustryNotFound(NotFound):
    code = "eIndustryNotFound"
    message = "The industry could not be found / invalid ID."


class EntityTypeNotFound(NotFound):
    code = "eEntityTypeNotFound"
    message = "Entity type ID given could not be found."


class MissingIndustries(ProximityError):
    code = "eAttemptSaveWithMissingIndustries"
    message = "The industry given does not exist."


class MissingRoles(ProximityError):
    code = "eAttemptSaveWithMissingRoles"
    message = "One or more of the roles given do not exist for owners or contacts."


class MissingOwners(ProximityError):
    code = "eAttemptSaveWithMissingOwners"
    message = "One or more of the owners given are not parties of the tenant."


class MissingContacts(ProximityError):
    code = "eAttemptSaveWithMissingContacts"
    message = "One or more of the contacts given are not parties of the tenant."


ENTITY_WRITE_ERRORS: tuple[type[ProximityError], ...] = (
    EntityTypeNotFound,
    MissingIndustries,
    MissingServices,
    MissingRoles,
    MissingOwners,
    MissingContacts,
)


class EntitiesNotFound(NotFound):
    code = "eEntitiesNotFound"
    message = "Some of the given entities could not be found."


class FieldNotFound(NotFound):
    code = "eFieldNotFound"
    message = "The field could not be found / invalid ID."


class LayoutNotFound(NotFound):
    code = "eLayoutNotFound"
    message = "The layout could not be found / invalid ID."


class DefaultLayoutProtected(ProximityError):
    code = "eAttemptDeactivateDefaultLayout"
    message = "A default layout cannot be deleted or stop being the default."


class FieldObjectTypeMismatch(ProximityError):
    code = "eFieldObjectTypeMismatch"
    message = "The field ID given is for a different object type."


class IndustriesAlreadyAssigned(ProximityError):
    code = "eIndustriesAlreadyAssigned"
    message = "One or more of the industries are already assigned to another layout."


class DocumentNotFound(NotFound):
    code = "eDocumentNotFound"
    message = "The document could not be found / invalid ID."


class DocumentableNotFound(NotFound):
    """Seed 003: ``documentable_type`` is ``assets`` or ``entities``; anything else names nothing."""

    code = "eDocumentableNotFound"
    message = "Documents are held on assets and entities only."


class DocumentRequired(ProximityError):
    code = "eDocumentRequired"
    message = "The form has no 'document' file part."


class DocumentEmpty(ProximityError):
    code = "eDocumentEmpty"
    message = "The document file is empty."


class DocumentTooLarge(PayloadTooLarge):
    message = "The document file is larger than allowed."


DOCUMENT_UPLOAD_ERRORS: tuple[type[ProximityError], ...] = (DocumentRequired, DocumentEmpty, DocumentTooLarge)
