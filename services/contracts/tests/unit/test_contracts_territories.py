"""Which datazones a contract lies in (pure: ``contract_place`` against a ``Territory``), and
the tags a check of something that lies nowhere holds against (``claims_with_grants``)."""

from __future__ import annotations

import uuid
from typing import Any

from contracts.repositories.memberships import contract_place
from proximity.access.caller import claims_with_grants
from proximity.access.datazones import DatazoneState
from proximity.access.grants import GrantEntry, Grants
from proximity.access.territory import Territory
from proximity.auth.claims import Claims

CONTRACT, ENTITY, INDUSTRY = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def zone(**rules: Any) -> DatazoneState:
    return DatazoneState.model_validate({"id": str(uuid.uuid4()), "type": "commercial", **rules})


def test_a_contract_lies_where_its_id_entities_or_their_industries_are_named() -> None:
    by_entity = zone(entity_ids=[ENTITY])
    by_contract = zone(type="geo", contract_ids=[CONTRACT])
    by_industry = zone(is_dynamic=True, industry_ids=[INDUSTRY])
    # Contracts have no point and no address: geozones and address rules never take one.
    by_point = zone(type="geo", is_dynamic=True, geozones=[{"lat": 0, "long": 0, "radius": 1e7}])
    by_address = zone(type="geo", addresses=[{"country": "Canada"}])
    suspended = zone(entity_ids=[ENTITY], suspended_at="2026-01-01T00:00:00Z")
    territory = Territory([by_entity, by_contract, by_industry, by_point, by_address, suspended])
    place = contract_place(CONTRACT, [ENTITY], [INDUSTRY])
    assert territory.zones_of(place) == {by_entity.id, by_contract.id, by_industry.id}
    assert territory.zones_of(contract_place(uuid.uuid4(), [], [])) == set()


def test_claims_take_the_tags_the_grants_give_anywhere() -> None:
    claims = Claims(
        subject=str(uuid.uuid4()), tenant_id=uuid.uuid4(), permissions=frozenset({"services.view"})
    )
    granted = Grants.of_entries(
        [
            GrantEntry(None, frozenset({"contracts.view"}), frozenset({uuid.uuid4()})),
            GrantEntry(None, frozenset({"services.update"}), frozenset()),
        ]
    )
    assert claims_with_grants(claims, granted).permissions == {"contracts.view", "services.update"}
    assert claims_with_grants(claims, Grants.from_token(claims.permissions)) is claims
    assert claims_with_grants(claims, Grants.everything()) is claims
