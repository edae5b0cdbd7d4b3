"""Use cases on the calling user's settings (``/parties/{id}/users/settings``, current user only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Collaborators
from identity.domain.user_settings import valid_settings
from identity.errors import UserNotFound
from identity.events import published
from identity.repositories.tables import User
from identity.repositories.users_tables import UserSettings
from identity.schemas.party_users import UserSettingsIn
from identity.services.own_party import require_own_party
from proximity.auth.claims import Claims
from proximity.db.tenancy import get_scoped
from proximity.errors import ValidationFailed


def settings_list(stored: UserSettings | None) -> list[dict[str, str]]:
    """Seed 004's key/val list, as ``/users/me`` and the settings endpoints show it."""
    return key_values(stored.settings if stored else {})


def key_values(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "val": val} for key, val in sorted(values.items())]


def _view(party_id: Any, stored: UserSettings | None) -> dict[str, Any]:
    return {
        "id": str(party_id),
        "settings": settings_list(stored),
        "application_state": stored.application_state if stored else None,
    }


async def _caller(session: AsyncSession, claims: Claims) -> User:
    user = await get_scoped(session, User, claims.tenant_id, claims.user_id)
    if user is None or user.deleted_at is not None:
        raise UserNotFound()
    return user


async def get_settings(ctx: Collaborators, claims: Claims, raw_party_id: str) -> dict[str, Any]:
    async with ctx.unit_of_work() as uow:
        party_id = await require_own_party(uow.session, claims, raw_party_id)
        user = await _caller(uow.session, claims)
        return _view(party_id, await uow.session.get(UserSettings, user.id))


async def patch_settings(
    ctx: Collaborators, claims: Claims, raw_party_id: str, body: UserSettingsIn
) -> dict[str, Any]:
    """Replaces the settings with the list given (empty: none); ``application_state`` is
    replaced only when the body names it."""
    settings = valid_settings((item.key, item.val) for item in body.settings)
    async with ctx.unit_of_work() as uow:
        party_id = await require_own_party(uow.session, claims, raw_party_id)
        if body.id != party_id:
            raise ValidationFailed("'id' must be the party id of the URL.", fields={"id": "mismatch"})
        user = await _caller(uow.session, claims)
        stored = await uow.session.get(UserSettings, user.id, with_for_update=True)
        if stored is None:
            stored = UserSettings(user_id=user.id, tenant_id=user.tenant_id, version=0)
            uow.session.add(stored)
        stored.settings = settings
        if "application_state" in body.model_fields_set:
            stored.application_state = body.application_state
        stored.version += 1
        stored.updated_at = datetime.now(UTC)
        uow.publish(published.user_settings_updated(user, version=stored.version, settings=settings))
        view = _view(party_id, stored)
        await uow.commit()
        return view
