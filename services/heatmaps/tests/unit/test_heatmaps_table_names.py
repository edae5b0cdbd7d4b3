"""Every service's tables share SQLModel's one metadata in a process that imports several
(``make test``, the contract fuzzing that builds every document): heatmaps' table names must
not be another service's (importing both would fail)."""

from __future__ import annotations

import importlib
import pkgutil

from sqlmodel import SQLModel


def _tables_of(package: str) -> set[str]:
    names: set[str] = set()
    for found in pkgutil.iter_modules(importlib.import_module(package).__path__):
        module = importlib.import_module(f"{package}.{found.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, SQLModel)
                and value.__module__ == module.__name__
                and hasattr(value, "__table__")
            ):
                names.add(value.__table__.name)
    return names


def test_heatmaps_tables_are_no_other_services() -> None:
    ours = _tables_of("heatmaps.repositories")
    assert {"heatmaps", "heatmaps_party_replica", "heatmaps_group_replica"} <= ours
    for other in (
        "assets.repositories",
        "identity.repositories",
        "consents.repositories",
        "contracts.repositories",
        "iam.repositories",
    ):
        try:
            theirs = _tables_of(other)
        except ModuleNotFoundError:
            continue
        assert not ours & theirs, f"{sorted(ours & theirs)} defined by heatmaps and {other}"
