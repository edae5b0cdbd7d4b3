"""What the second-factor tests share: enrolling TOTP for real, codes of a given step, the
first login step, and the second."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp

from tests.conftest import Account, Identity, log_in, signed_in


def code_of(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["errors"][0]["code"]


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def enable_totp(identity: Identity, account: Account) -> tuple[dict[str, str], str]:
    """(the user's headers, the TOTP secret) with TOTP confirmed using the current step's code."""
    headers = await signed_in(identity, account)
    enrolled = await identity.http.post("/auth/totp", headers=headers)
    assert enrolled.status_code == 200, enrolled.text
    secret: str = enrolled.json()["data"]["secret"]
    confirmed = await identity.http.put("/auth/totp", headers=headers, json={"code": totp_code(secret)})
    assert confirmed.status_code == 200, confirmed.text
    return headers, secret


async def first_step(identity: Identity, account: Account, password: str | None = None) -> dict[str, Any]:
    response = await log_in(identity.http, account, password)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    assert data["second_factor_required"] is True
    assert "access_token" not in data
    return data


async def second_step(
    identity: Identity, account: Account, challenge: str, method: str, code: str
) -> httpx.Response:
    return await identity.http.post(
        "/auth/login/second-factor",
        headers=account.key,
        json={"challenge": challenge, "method": method, "code": code},
    )
