"""What must hold of a datazone (seed 004 "Datazones"): its type never changes, a commercial
zone carries no geo information (no addresses, no geozones) and a geo zone no industries.
``is_dynamic`` only chooses which of the stored lists count (iam-contract.md): the others are
kept, so a zone can switch modes without losing data."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Literal, get_args

from iam.domain.datazone_errors import AttemptSaveGeoOnIncorrectType, AttemptTypeChange
from proximity.errors import ValidationFailed

DatazoneType = Literal["geo", "commercial"]
DATAZONE_TYPES: tuple[str, ...] = get_args(DatazoneType)


def check_contents(kind: str, addresses: Sequence[Any], industry_ids: Sequence[uuid.UUID]) -> None:
    """The hard rules: a commercial zone has no addresses, a geo zone no industries."""
    if kind == "commercial" and addresses:
        raise ValidationFailed(
            "A commercial datazone cannot contain addresses (use [] or a geo datazone).",
            fields={"addresses": "commercial"},
        )
    if kind == "geo" and industry_ids:
        raise ValidationFailed(
            "A geo datazone cannot contain industries (use [] or a commercial datazone).",
            fields={"industry_ids": "geo"},
        )


def check_type_kept(current: str, given: str) -> None:
    if current != given:
        raise AttemptTypeChange()


def check_takes_geozones(kind: str) -> None:
    if kind != "geo":
        raise AttemptSaveGeoOnIncorrectType()


def unique_ids(ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """In the order given; an id named twice counts once."""
    return list(dict.fromkeys(ids))


def assigned(
    current: Sequence[uuid.UUID], assign: uuid.UUID | None, unassign: uuid.UUID | None
) -> list[uuid.UUID]:
    """A batch row's ``*_assign`` / ``*_unassign`` applied to one list (null: no-op); the
    order of what stays is kept and an assigned id goes last."""
    ids = list(current)
    if assign is not None and assign not in ids:
        ids.append(assign)
    if unassign is not None:
        ids = [i for i in ids if i != unassign]
    return ids
