"""What every batch PATCH of contracts shares: a row parsed on its own (one bad row never blocks
the others), a failure in the seed's per-row shape, and the outcome of the whole batch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from proximity.errors import ProximityError, ValidationFailed

Row = TypeVar("Row")
Patch = TypeVar("Patch", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class BatchOutcome(Generic[Row]):
    applied: list[Row]
    failures: list[dict[str, Any]]


def row_failure(row_id: Any, error: ProximityError) -> dict[str, Any]:
    return {"id": row_id if isinstance(row_id, str) else None, "code": error.code, "msg": error.message}


def parse_row(model: type[Patch], row: Any) -> Patch | dict[str, Any]:
    """The row as ``model``, or its failure naming the first field at fault."""
    raw_id = row.get("id") if isinstance(row, dict) else None
    try:
        return model.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "row"
        return row_failure(raw_id, ValidationFailed(f"{where}: {first.get('msg', 'invalid')}"))
