"""Use cases on features (seed 004 "Features"): read only; a tenant's features are its system
features, provisioned from the permission catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from iam.bootstrap import Collaborators
from iam.errors import FeatureNotFound
from iam.repositories import features
from iam.repositories.features import Feature, FeatureCategory, FeatureFilter
from proximity.auth.claims import Claims
from proximity.auth.permissions import require
from proximity.http.list_query import KeysetPage, ListQuery


async def list_features(
    ctx: Collaborators, claims: Claims, filters: FeatureFilter, query: ListQuery
) -> tuple[list[Feature], KeysetPage]:
    require(claims, "features.view")
    async with ctx.snapshot() as session:  # the page and its total agree
        return await features.list_page(session, claims.tenant_id, filters, query)


async def get_feature(ctx: Collaborators, claims: Claims, feature_id: uuid.UUID) -> Feature:
    require(claims, "features.view")
    async with ctx.reading() as session:
        found = await features.feature(session, claims.tenant_id, feature_id)
    if found is None:
        raise FeatureNotFound()
    return found


async def list_categories(ctx: Collaborators, claims: Claims) -> Sequence[FeatureCategory]:
    require(claims, "features.view")
    async with ctx.reading() as session:
        return await features.categories_of(session, claims.tenant_id)
