"""Use cases on the calling user's favorites (``/parties/{id}/favorites``, current user only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select

from identity.bootstrap import Collaborators
from identity.domain.favorites import CATEGORIES, KINDS
from identity.events import published
from identity.repositories.users_tables import Favorite
from identity.schemas.favorites import FavoritesBody
from identity.services.own_party import require_own_party
from proximity.auth.claims import Claims
from proximity.errors import ValidationFailed


def _filter(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise ValidationFailed(f"'{name}' must be one of: {', '.join(allowed)}.", fields={name: "invalid"})
    return value


async def list_favorites(
    ctx: Collaborators, claims: Claims, raw_party_id: str, *, kind: str | None, category: str | None
) -> list[dict[str, Any]]:
    kind, category = _filter("type", kind, KINDS), _filter("category", category, CATEGORIES)
    # One statement when it answers (another party's id is refused before the list is read).
    async with ctx.reading() as session:
        party_id = await require_own_party(session, claims, raw_party_id)
        query = select(Favorite).where(Favorite.tenant_id == claims.tenant_id, Favorite.party_id == party_id)
        if kind is not None:
            query = query.where(Favorite.type == kind)
        if category is not None:
            query = query.where(Favorite.category == category)
        rows = (
            await session.execute(query.order_by(col(Favorite.created_at), col(Favorite.item_id)))
        ).scalars()
        return [
            {"party_id": str(f.party_id), "item_id": str(f.item_id), "category": f.category, "type": f.type}
            for f in rows
        ]


async def patch_favorites(
    ctx: Collaborators, claims: Claims, raw_party_id: str, body: FavoritesBody
) -> list[dict[str, Any]]:
    """Adds the favorites given and removes those with ``deleted_at``; idempotent, and the
    favorites not named are left alone (seed 004)."""
    async with ctx.unit_of_work() as uow:
        party_id = await require_own_party(uow.session, claims, raw_party_id)
        if any(item.party_id != party_id for item in body.data):
            raise ValidationFailed("Every favorite's party_id must be the party of the URL.")
        now = datetime.now(UTC)
        applied: list[dict[str, Any]] = []
        for item in body.data:
            key = {
                "party_id": party_id,
                "category": item.category,
                "type": item.type,
                "item_id": item.item_id,
            }
            if item.deleted_at is not None:
                await uow.session.execute(
                    delete(Favorite).where(
                        *(getattr(Favorite, name) == value for name, value in key.items()),
                        col(Favorite.tenant_id) == claims.tenant_id,
                    )
                )
            else:
                await uow.session.execute(
                    insert(Favorite)
                    .values(**key, tenant_id=claims.tenant_id, created_at=now)
                    .on_conflict_do_nothing()
                )
            applied.append(
                {
                    "party_id": str(party_id),
                    "item_id": str(item.item_id),
                    "category": item.category,
                    "type": item.type,
                    "deleted_at": now.isoformat() if item.deleted_at is not None else None,
                }
            )
        if applied:
            uow.publish(published.favorites_updated(claims.tenant_id, party_id, applied))
        await uow.commit()
        return applied
