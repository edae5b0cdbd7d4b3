"""Use cases on the users of parties: list, get, upsert (PUT) and batch suspend (PATCH)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from identity.bootstrap import Collaborators
from identity.domain.party_users import check_system_admin_change, valid_identities
from identity.errors import IdentityNotUnique, PartyNotFound
from identity.events import published
from identity.repositories.party_users import (
    PartyUserRow,
    identities_of,
    identities_taken,
    list_party_users,
    login_options,
    party_exists,
    party_user_row,
    user_of_party,
)
from identity.repositories.tables import Identity, User
from identity.schemas.party_users import PartyUserIn, UserBatchRow, UsersBatch
from identity.services.own_party import party_id_from_path
from identity.services.sessions import end_sessions
from proximity.auth.claims import Claims
from proximity.auth.permissions import can, require
from proximity.db.unit_of_work import UnitOfWork
from proximity.http.list_query import ListQuery

VIEW, UPDATE = "users.view", "users.update"


def _now() -> datetime:
    return datetime.now(UTC)


def _view(claims: Claims, row: PartyUserRow, identities: list[Identity] | None = None) -> dict[str, Any]:
    user = row.user
    data: dict[str, Any] = {
        "id": str(user.party_id),  # seed 004: a user is named by its party's id
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "username": row.username,
        "system_admin": user.is_system_admin,
        "allow_sso": row.allow_sso,
        "allow_otp": user.allow_otp,
        "last_signin": row.last_signin,
        "suspended_at": user.suspended_at,
    }
    if identities is not None:  # the full payload (get one, update)
        data["identities"] = [{"type": i.kind, "value": i.value} for i in identities]
        data["created_at"] = user.created_at
        data["updated_at"] = user.updated_at
    if not claims.system_admin:  # seed 004: omitted when the check is bypassed
        data["__permissions__"] = [p for p in (VIEW, UPDATE) if can(claims, p)]
    return data


async def list_users(
    ctx: Collaborators, claims: Claims, query: ListQuery
) -> tuple[list[dict[str, Any]], int]:
    require(claims, VIEW)
    async with ctx.snapshot() as session:  # the page and its count agree
        rows, total = await list_party_users(session, claims.tenant_id, query)
    return [_view(claims, row) for row in rows], total


async def _full_view(uow: UnitOfWork, claims: Claims, party_id: uuid.UUID) -> dict[str, Any]:
    row = await party_user_row(uow.session, claims.tenant_id, party_id)
    if row is None:
        raise PartyNotFound("The party could not be found, or it has no user.")
    return _view(claims, row, await identities_of(uow.session, row.user))


async def get_user(ctx: Collaborators, claims: Claims, raw_party_id: str) -> dict[str, Any]:
    require(claims, VIEW)
    party_id = party_id_from_path(raw_party_id)
    async with ctx.unit_of_work() as uow:
        return await _full_view(uow, claims, party_id)


async def _suspend(uow: UnitOfWork, user: User, suspended: bool) -> bool:
    """Whether the state changed. Suspending ends the user's sessions, so its tokens stop at
    the gateway too; the time is the server's (seed 004)."""
    if suspended == (user.suspended_at is not None):
        return False
    now = _now()
    user.suspended_at = now if suspended else None
    if suspended:
        await end_sessions(uow, user.tenant_id, "user_suspended", user_id=user.id)
    return True


async def put_user(
    ctx: Collaborators, claims: Claims, raw_party_id: str, body: PartyUserIn
) -> dict[str, Any]:
    """``PUT /parties/{id}/users``: the party's user as given, created if the party has none."""
    require(claims, UPDATE)
    party_id = party_id_from_path(raw_party_id)
    identities = valid_identities((i.type, i.value) for i in body.identities)
    async with ctx.unit_of_work() as uow:
        session = uow.session
        if not await party_exists(session, claims.tenant_id, party_id, lock=True):
            raise PartyNotFound()
        user = await user_of_party(session, claims.tenant_id, party_id)
        check_system_admin_change(
            caller_is_admin=claims.system_admin,
            current=user.is_system_admin if user else False,
            requested=body.system_admin,
        )
        if await identities_taken(session, claims.tenant_id, identities, user.id if user else None):
            raise IdentityNotUnique()
        created = user is None
        if user is None:
            user = User(tenant_id=claims.tenant_id, party_id=party_id)
            session.add(user)
            await session.flush()
        else:
            user.version += 1
            user.updated_at = _now()
        user.is_system_admin, user.allow_otp = body.system_admin, body.allow_otp
        options = await login_options(session, user)
        options.username, options.allow_sso = body.username, body.allow_sso
        await _replace_identities(uow, user, identities)
        await _suspend(uow, user, body.suspended_at is not None)
        if created:
            uow.publish(published.user_created(user))
        else:
            uow.publish(published.user_updated(user, username=options.username, allow_sso=options.allow_sso))
        try:
            await session.flush()
        except IntegrityError:
            # Another request took one of the identities since the check above.
            raise IdentityNotUnique() from None
        view = await _full_view(uow, claims, party_id)
        await uow.commit()
        return view


async def _replace_identities(uow: UnitOfWork, user: User, wanted: list[tuple[str, str]]) -> None:
    current = await identities_of(uow.session, user)
    kept = {(i.kind, i.value) for i in current}
    for identity in current:
        if (identity.kind, identity.value) not in wanted:
            await uow.session.delete(identity)
    await uow.session.flush()  # removals first, so a value can move between rows
    for kind, value in wanted:
        if (kind, value) not in kept:
            uow.session.add(Identity(tenant_id=user.tenant_id, user_id=user.id, kind=kind, value=value))


def _failure(raw: Any, code: str, message: str) -> dict[str, Any]:
    # A row's id is echoed only when it is a string: the batch error format's id is one.
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    return {"id": raw_id if isinstance(raw_id, str) else None, "code": code, "msg": message}


async def patch_users(
    ctx: Collaborators, claims: Claims, body: UsersBatch
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``PATCH /parties/~/users``: suspend or reactivate users; each bad row fails alone."""
    require(claims, UPDATE)
    applied: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    async with ctx.unit_of_work() as uow:
        for raw in body.data:
            try:
                row = UserBatchRow.model_validate(raw)
            except ValidationError as exc:
                failures.append(_failure(raw, "eValidationError", str(exc.errors()[0].get("msg", "invalid"))))
                continue
            user = await user_of_party(uow.session, claims.tenant_id, row.id, for_update=True)
            if user is None or not await party_exists(uow.session, claims.tenant_id, row.id):
                failures.append(
                    _failure(raw, PartyNotFound.code, "The party could not be found, or it has no user.")
                )
                continue
            result: dict[str, Any] = {"id": str(row.id)}
            if "suspended_at" in row.model_fields_set:
                if await _suspend(uow, user, row.suspended_at is not None):
                    user.version += 1
                    user.updated_at = _now()
                    options = await login_options(uow.session, user)
                    uow.publish(
                        published.user_updated(user, username=options.username, allow_sso=options.allow_sso)
                    )
                result["suspended_at"] = user.suspended_at
            applied.append(result)
        await uow.commit()
    return applied, failures
