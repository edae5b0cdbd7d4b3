"""The one place that wires identity's concrete parts together for the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from identity.config import IdentitySettings
from identity.services.caller_records import OwnRecords
from identity.services.password_hashing import PasswordHashing
from identity.services.signing_keys import SigningKeys
from proximity.auth.caller import CallerGuard
from proximity.auth.verifier import TokenVerifier
from proximity.db.unit_of_work import UnitOfWork
from proximity.runtime import Runtime


@dataclass(frozen=True)
class Collaborators:
    settings: IdentitySettings
    runtime: Runtime
    keys: SigningKeys
    verifier: TokenVerifier
    callers: CallerGuard
    passwords: PasswordHashing

    def unit_of_work(self) -> UnitOfWork:
        return self.runtime.unit_of_work()

    def reading(self) -> AsyncSession:
        return self.runtime.reading()

    def snapshot(self) -> AsyncSession:
        return self.runtime.snapshot()


async def wire(settings: IdentitySettings, runtime: Runtime) -> Collaborators:
    keys = await SigningKeys.load(runtime.sessionmaker)
    # identity verifies its own tokens from its key store, and answers the caller checks from
    # its own tables: no HTTP round trip to itself.
    verifier = TokenVerifier(
        keys,
        audience=settings.jwt_audience,
        service_audience=settings.service_name,
        issuer=settings.jwt_issuer,
    )
    return Collaborators(
        settings,
        runtime,
        keys,
        verifier,
        CallerGuard(verifier, OwnRecords(runtime.reading)),
        PasswordHashing.for_settings(settings),
    )
