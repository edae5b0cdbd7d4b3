"""What a verified access token says about its bearer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Claims:
    subject: str  # the user id, or the service name for a service token
    tenant_id: uuid.UUID
    party_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    system_admin: bool = False
    service: bool = False
    expires_at: int = 0
    # A service token's: what it may do at the one service it names as audience.
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def user_id(self) -> uuid.UUID:
        return uuid.UUID(self.subject)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Claims:
        """Raises ValueError/TypeError/KeyError on a payload of the wrong shape."""
        perms = payload.get("perms") or []
        if not isinstance(perms, list) or not all(isinstance(p, str) for p in perms):
            raise ValueError("perms must be a list of strings")
        scope = payload.get("scope") or ""
        if not isinstance(scope, str):
            raise ValueError("scope must be a space-separated string")  # RFC 9068
        pid, sid = payload.get("pid"), payload.get("sid")
        return cls(
            subject=str(payload["sub"]),
            tenant_id=uuid.UUID(str(payload["tid"])),
            party_id=uuid.UUID(str(pid)) if pid else None,
            session_id=uuid.UUID(str(sid)) if sid else None,
            permissions=frozenset(perms),
            system_admin=payload.get("adm") is True,
            service=payload.get("typ") == "service",
            expires_at=int(payload["exp"]),
            scopes=frozenset(scope.split()),
        )
