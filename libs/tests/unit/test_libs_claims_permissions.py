"""Claims read from a verified token, and the permission check every use case runs."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from proximity.auth.claims import Claims
from proximity.auth.permissions import can, require, require_service, require_system_admin
from proximity.errors import PermissionDenied


def _payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "sub": str(uuid.uuid4()),
        "tid": str(uuid.uuid4()),
        "pid": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "perms": ["assets.read", "assets.write"],
        "exp": 2_000_000_000,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not ...}


def test_from_payload_reads_every_claim() -> None:
    payload = _payload(adm=True)

    claims = Claims.from_payload(payload)

    assert claims.subject == payload["sub"]
    assert claims.user_id == uuid.UUID(payload["sub"])
    assert claims.tenant_id == uuid.UUID(payload["tid"])
    assert claims.party_id == uuid.UUID(payload["pid"])
    assert claims.session_id == uuid.UUID(payload["sid"])
    assert claims.permissions == frozenset({"assets.read", "assets.write"})
    assert claims.system_admin is True
    assert claims.service is False
    assert claims.expires_at == 2_000_000_000


def test_optional_claims_default_to_nothing() -> None:
    claims = Claims.from_payload(_payload(pid=..., sid=..., perms=...))

    assert claims.party_id is None
    assert claims.session_id is None
    assert claims.permissions == frozenset()
    assert claims.system_admin is False


def test_service_token_is_marked() -> None:
    assert Claims.from_payload(_payload(typ="service", sub="gateway")).service is True


@pytest.mark.parametrize("adm", ["true", 1, "yes", None])
def test_only_a_literal_true_makes_a_system_admin(adm: object) -> None:
    assert Claims.from_payload(_payload(adm=adm)).system_admin is False


@pytest.mark.parametrize("perms", ["assets.read", {"assets.read": True}, ["ok", 3], [None], 5])
def test_bad_perms_are_rejected(perms: object) -> None:
    with pytest.raises(ValueError, match="perms"):
        Claims.from_payload(_payload(perms=perms))


@pytest.mark.parametrize("missing", ["tid", "sub", "exp"])
def test_missing_required_claim_is_rejected(missing: str) -> None:
    with pytest.raises(KeyError):
        Claims.from_payload(_payload(**{missing: ...}))


@pytest.mark.parametrize("tid", ["not-a-uuid", "", 12])
def test_bad_tenant_id_is_rejected(tid: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - uuid.UUID says only ValueError
        Claims.from_payload(_payload(tid=tid))


def _claims(*perms: str, admin: bool = False) -> Claims:
    return Claims(subject="u", tenant_id=uuid.uuid4(), permissions=frozenset(perms), system_admin=admin)


def test_can_checks_the_granted_permissions() -> None:
    claims = _claims("assets.view")

    assert can(claims, "assets.view")
    assert not can(claims, "assets.update")
    assert not can(_claims(), "assets.view")


def test_system_admin_bypasses_every_check() -> None:
    admin = _claims(admin=True)

    assert can(admin, "heatmaps.delete")
    require(admin, "groups.update")
    require_system_admin(admin)


def test_require_passes_with_the_permission() -> None:
    require(_claims("contracts.update"), "contracts.update")


def test_require_without_the_permission_is_403() -> None:
    with pytest.raises(PermissionDenied) as caught:
        require(_claims("assets.view"), "assets.update")

    assert caught.value.status == 403
    assert caught.value.code == "ePermissionDenied"
    assert "assets.update" in caught.value.message


def test_require_system_admin_refuses_ordinary_users() -> None:
    with pytest.raises(PermissionDenied):
        require_system_admin(_claims("assets.read", "assets.write"))


def test_require_service_accepts_a_service_token() -> None:
    require_service(Claims.from_payload(_payload(typ="service", sub="reports", sid=..., pid=...)))


@pytest.mark.parametrize("admin", [False, True])
def test_require_service_refuses_users_even_admins(admin: bool) -> None:
    with pytest.raises(PermissionDenied) as caught:
        require_service(_claims("assets.read", admin=admin))

    assert caught.value.status == 403
