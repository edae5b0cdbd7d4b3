"""The one place that wires the assets service's concrete parts together for the use cases."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from assets.config import AssetsSettings
from assets.contracts_owner import ContractsOwner
from proximity.db.unit_of_work import UnitOfWork
from proximity.runtime import Runtime


@dataclass(frozen=True)
class Collaborators:
    settings: AssetsSettings
    runtime: Runtime
    # Where contract link writes go (unconfigured: they answer 503).
    contracts: ContractsOwner = field(default_factory=lambda: ContractsOwner(None, None, None))

    def unit_of_work(self) -> UnitOfWork:
        return self.runtime.unit_of_work()

    def reading(self) -> AsyncSession:
        return self.runtime.reading()

    def snapshot(self) -> AsyncSession:
        return self.runtime.snapshot()
