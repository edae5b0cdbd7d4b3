"""Refresh-token rotation with reuse detection, logout, and /users/me."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from identity.repositories.tables import User
from proximity.events.consumer import subscribe
from proximity.events.envelope import Event
from tests.conftest import Account, Identity, eventually, log_in, new_account, recorded_events


async def tokens(identity: Identity, account: Account) -> dict[str, str]:
    response = await log_in(identity.http, account)
    assert response.status_code == 200
    data: dict[str, str] = response.json()["data"]
    return data


async def refresh(identity: Identity, account: Account, token: str) -> int:
    response = await identity.http.post("/auth/refresh", headers=account.key, json={"refresh_token": token})
    return response.status_code


async def me(
    identity: Identity, account: Account | None, access_token: str, scheme: str = ""
) -> tuple[int, dict[str, object]]:
    key = account.key if account is not None else {}
    response = await identity.http.get(
        "/users/me", headers={**key, "Authorization": f"{scheme}{access_token}"}
    )
    return response.status_code, response.json()


async def test_users_me_has_the_seed_shape(identity: Identity, account: Account) -> None:
    issued = await tokens(identity, account)
    for scheme in ("", "Bearer "):  # seed 004 sends the token bare
        status, body = await me(identity, account, issued["access_token"], scheme)
        assert status == 200
        assert body == {
            "data": {"party_id": str(account.party_id), "permissions": [], "settings": []},
            "warnings": [],
        }


async def test_users_me_without_or_with_a_bad_token_is_401(identity: Identity) -> None:
    assert (await identity.http.get("/users/me")).status_code == 401
    status, body = await me(identity, None, "not.a.jwt")
    assert status == 401
    assert body == {
        "errors": [{"code": "eInvalidToken", "message": "The access token is missing, invalid or expired."}]
    }


async def test_refresh_rotates_and_reuse_ends_the_session(identity: Identity, account: Account) -> None:
    first = await tokens(identity, account)
    rotated = await identity.http.post(
        "/auth/refresh", headers=account.key, json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()["data"]
    assert second["refresh_token"] != first["refresh_token"]
    assert (await me(identity, account, second["access_token"]))[0] == 200

    # The first token again: a replay. The whole session ends, including the newest tokens.
    assert await refresh(identity, account, first["refresh_token"]) == 401
    assert await refresh(identity, account, second["refresh_token"]) == 401
    status, body = await me(identity, account, second["access_token"])
    assert status == 401
    assert body["errors"][0]["code"] == "eSessionRevoked"  # type: ignore[index]


async def test_concurrent_refreshes_of_one_token_rotate_once(identity: Identity, account: Account) -> None:
    issued = await tokens(identity, account)
    statuses = await asyncio.gather(*(refresh(identity, account, issued["refresh_token"]) for _ in range(5)))
    assert sorted(statuses) == [200, 401, 401, 401, 401]


async def test_refresh_token_is_bound_to_its_tenant(identity: Identity, account: Account) -> None:
    issued = await tokens(identity, account)
    other = await new_account(identity.wired)
    assert await refresh(identity, other, issued["refresh_token"]) == 401
    assert await refresh(identity, account, issued["refresh_token"]) == 200


async def test_unknown_refresh_token_is_401(identity: Identity, account: Account) -> None:
    assert await refresh(identity, account, "made-up") == 401


async def test_logout_ends_the_session_and_publishes_the_event(identity: Identity, account: Account) -> None:
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        seen.append(event)

    runtime = identity.wired.runtime
    consumer = await subscribe(
        runtime.js,
        stream=runtime.stream,
        subject="identity.session.revoked",
        handler=collect,
        since=datetime.now(UTC) - timedelta(seconds=1),
    )
    try:
        issued = await tokens(identity, account)
        response = await identity.http.post(
            "/auth/logout", headers={**account.key, "Authorization": issued["access_token"]}
        )
        assert response.status_code == 204
        assert await refresh(identity, account, issued["refresh_token"]) == 401
        assert (await me(identity, account, issued["access_token"]))[0] == 401
        await eventually(lambda: any(e.tenant_id == account.tenant_id for e in seen))
        event = next(e for e in seen if e.tenant_id == account.tenant_id)
        assert event.data["user_id"] == str(account.user_id)
        assert event.data["reason"] == "logout"
    finally:
        consumer.cancel()


async def test_logout_needs_a_token(identity: Identity) -> None:
    assert (await identity.http.post("/auth/logout")).status_code == 401


async def test_wrong_verb_and_unknown_route_are_envelopes(identity: Identity) -> None:
    wrong = await identity.http.delete("/users/me")
    unknown = await identity.http.get("/no/such/route")
    assert (wrong.status_code, wrong.json()["errors"][0]["code"]) == (405, "eMethodNotAllowed")
    assert (unknown.status_code, unknown.json()["errors"][0]["code"]) == (404, "eRouteNotFound")


async def test_users_me_of_a_deleted_user_is_400_user_not_found(identity: Identity, account: Account) -> None:
    issued = await tokens(identity, account)
    async with identity.wired.unit_of_work() as uow:
        user = await uow.session.get(User, account.user_id)
        assert user is not None
        user.deleted_at = datetime.now(UTC)
        await uow.commit()
    status, body = await me(identity, account, issued["access_token"])
    assert status == 400
    assert body["errors"][0]["code"] == "eUserNotFound"  # type: ignore[index]


async def test_deleting_a_party_shuts_its_user_out(identity: Identity, account: Account) -> None:
    issued = await tokens(identity, account)
    headers = {**account.key, "Authorization": issued["access_token"]}
    deleted = await identity.http.delete(f"/parties/{account.party_id}", headers=headers)
    assert deleted.status_code == 204
    # Its session ended with the deletion, and no new one can start.
    status, body = await me(identity, account, issued["access_token"])
    assert (status, body["errors"][0]["code"]) == (401, "eSessionRevoked")  # type: ignore[index]
    assert await refresh(identity, account, issued["refresh_token"]) == 401
    assert (await log_in(identity.http, account)).status_code == 401
    revoked = await recorded_events(identity, "identity.session.revoked")
    assert any(
        e["data"]["reason"] == "party_deleted" and e["tenant_id"] == str(account.tenant_id) for e in revoked
    )
