"""Who is calling and what they may see: users act on their own consents (their party id is
the consent's ``userId``); administrators and services act on every consent of the tenant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from consents.domain.history import Actor, ActorKind
from proximity.auth.claims import Claims
from proximity.errors import PermissionDenied

ADMIN_PERMISSION = "consents.admin"


@dataclass(frozen=True, slots=True)
class Caller:
    tenant_id: uuid.UUID
    subject: str
    party_id: str | None
    administrator: bool
    service: bool

    @classmethod
    def of(cls, claims: Claims) -> Caller:
        return cls(
            tenant_id=claims.tenant_id,
            subject=claims.subject,
            party_id=str(claims.party_id) if claims.party_id else None,
            administrator=claims.system_admin or ADMIN_PERMISSION in claims.permissions,
            service=claims.service,
        )

    @property
    def sees_all(self) -> bool:
        return self.administrator or self.service

    @property
    def actor(self) -> Actor:
        if self.service:
            return Actor(ActorKind.SERVICE, self.subject)
        kind = ActorKind.ADMINISTRATOR if self.administrator else ActorKind.USER
        return Actor(kind, self.party_id or self.subject)

    def may_see(self, user_id: str) -> bool:
        return self.sees_all or (self.party_id is not None and user_id == self.party_id)


def require_admin(caller: Caller) -> None:
    if not caller.sees_all:
        raise PermissionDenied("Only administrators or services may do this.")
