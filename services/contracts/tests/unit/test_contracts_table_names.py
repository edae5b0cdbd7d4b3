"""Every service's tables share SQLModel's one metadata in a process that imports several
(``make test``, the contract fuzzing that builds every document): contracts' table names must
not be another service's."""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel


def _tables_of(package: str) -> set[str]:
    module = importlib.import_module(package)
    for found in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{found.name}")
    return {t.name for t in SQLModel.metadata.sorted_tables if t.c and _module_of(t) == package}


def _module_of(table: object) -> str | None:
    for mapper in SQLModel._sa_registry.mappers:
        if mapper.local_table is table:
            return ".".join(mapper.class_.__module__.split(".")[:2])
    return None


def test_contracts_tables_are_no_other_services() -> None:
    ours = _tables_of("contracts.repositories")
    assert {"contracts", "contract_roles", "party_replica"} <= ours
    for other in ("assets.repositories", "identity.repositories", "consents.repositories"):
        try:
            theirs = _tables_of(other)
        except ModuleNotFoundError:
            continue
        assert not ours & theirs, f"{sorted(ours & theirs)} defined by contracts and {other}"
