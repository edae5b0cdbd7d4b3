"""Use cases on parties: list, read, create, replace, delete (seed 004 "Parties")."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.party_fields import check_profile_keys
from identity.errors import JobTitleNotFound, PartyNotFound, PartyTypeNotFound
from identity.events import published
from identity.repositories import parties, party_catalogues
from identity.repositories.parties import ListedParty, PartyFilter
from identity.repositories.tables import Party, now
from identity.schemas.parties import PartyIn
from identity.services.sessions import end_sessions
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.http.list_query import KeysetPage, ListQuery


async def list_parties(
    ctx: Collaborators, claims: Claims, filters: PartyFilter, query: ListQuery
) -> tuple[list[ListedParty], KeysetPage]:
    """A page and its total, read in one snapshot so the two agree."""
    require(claims, "parties.view")
    async with ctx.snapshot() as session:
        return await parties.list_page(session, claims.tenant_id, filters, query)


async def get_party(
    ctx: Collaborators, claims: Claims, party_id: uuid.UUID, *, with_counts: bool
) -> ListedParty:
    require(claims, "parties.view")
    async with ctx.reading() as session:
        found = await parties.party_with_counts(session, claims.tenant_id, party_id, with_counts=with_counts)
    if found is None:
        raise PartyNotFound()
    return found


async def _base_type(
    session: AsyncSession, tenant_id: uuid.UUID, fields: PartyIn, current: str | None
) -> str:
    """The party's base type: its type's, else the one given, else what it was (or contact).
    Also checks that the job title exists in the tenant."""
    base_type = fields.base_type or current or "contact"
    if fields.type_id is not None:
        party_type = await party_catalogues.party_type(session, tenant_id, fields.type_id)
        if party_type is None:
            raise PartyTypeNotFound()
        base_type = party_type.base_type
    if (
        fields.job_title_id is not None
        and await party_catalogues.job_title(session, tenant_id, fields.job_title_id) is None
    ):
        raise JobTitleNotFound()
    return base_type


def _apply(party: Party, fields: PartyIn, base_type: str) -> None:
    party.type_id = fields.type_id
    party.base_type = base_type
    party.first_name = fields.first_name
    party.last_name = fields.last_name
    party.email = fields.email
    party.phone = fields.phone
    party.avatar_media_id = fields.avatar_media_id
    party.avatar_url = fields.avatar_url
    party.job_title_id = fields.job_title_id
    party.addresses = [address.model_dump() for address in fields.addresses]
    party.profile = [entry.model_dump() for entry in fields.profile]


async def create_party(ctx: Collaborators, claims: Claims, fields: PartyIn) -> ListedParty:
    require(claims, "parties.create")
    check_profile_keys(entry.key for entry in fields.profile)
    async with ctx.unit_of_work() as uow:
        base_type = await _base_type(uow.session, claims.tenant_id, fields, None)
        party = Party(tenant_id=claims.tenant_id, base_type=base_type, first_name=fields.first_name)
        _apply(party, fields, base_type)
        uow.session.add(party)
        await uow.session.flush()
        uow.publish(published.party_created(party))
        await uow.commit()
    return ListedParty(party, system_admin=False)


async def replace_party(
    ctx: Collaborators, claims: Claims, party_id: uuid.UUID, fields: PartyIn
) -> ListedParty:
    """PUT: the whole object replaces the party's fields. A PUT that changes nothing is not a
    new version and publishes nothing."""
    require(claims, "parties.update")
    check_profile_keys(entry.key for entry in fields.profile)
    async with ctx.unit_of_work() as uow:
        party = await parties.party_for_update(uow.session, claims.tenant_id, party_id)
        if party is None:
            raise PartyNotFound()
        base_type = await _base_type(uow.session, claims.tenant_id, fields, party.base_type)
        before = published.party_state(party)
        _apply(party, fields, base_type)
        if published.party_state(party) != before:
            party.version += 1
            party.updated_at = now()
            uow.publish(published.party_updated(party))
        system_admin = await parties.is_system_admin_party(uow.session, claims.tenant_id, party.id)
        await uow.commit()
    return ListedParty(party, system_admin=system_admin)


async def delete_party(ctx: Collaborators, claims: Claims, party_id: uuid.UUID) -> None:
    """Soft delete; deleting a deleted party again changes nothing."""
    require(claims, "parties.delete")
    async with ctx.unit_of_work() as uow:
        party = await parties.party_for_update(uow.session, claims.tenant_id, party_id)
        if party is None:
            raise PartyNotFound()
        if party.deleted_at is None:
            party.deleted_at = party.updated_at = now()
            party.version += 1
            uow.publish(published.party_deleted(party))
            await end_sessions(uow, claims.tenant_id, "party_deleted", party_id=party.id)
        await uow.commit()
