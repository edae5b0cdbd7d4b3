"""``PATCH /parties``: suspend, reactivate, delete and restore many parties at once.

Each row succeeds or fails on its own (seed 004 "Batch Error Output"): a malformed row, an
unknown id or a missing permission becomes ``{id, code, msg}`` and the other rows still apply.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from identity.bootstrap import Collaborators
from identity.domain.standing import in_good_standing
from identity.errors import PartyNotFound
from identity.events import published
from identity.repositories import parties
from identity.repositories.parties import ListedParty, PartyFilter
from identity.repositories.tables import Party, now
from identity.schemas.parties import PartyPatch
from identity.services.sessions import end_sessions
from proximity.auth.claims import Claims
from proximity.auth.permissions import can, require
from proximity.errors import PermissionDenied, ProximityError, ValidationFailed
from proximity.events.envelope import Event


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    applied: list[ListedParty]
    failures: list[dict[str, Any]]


def _failure(row_id: Any, error: ProximityError) -> dict[str, Any]:
    return {"id": row_id if isinstance(row_id, str) else None, "code": error.code, "msg": error.message}


def _parse(row: Any) -> PartyPatch | dict[str, Any]:
    raw_id = row.get("id") if isinstance(row, dict) else None
    try:
        return PartyPatch.model_validate(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "row"
        return _failure(raw_id, ValidationFailed(f"{where}: {first.get('msg', 'invalid')}"))


def _transition(
    party: Party,
    field: str,
    given: datetime | None,
    on: Callable[[Party], Event],
    off: Callable[[Party], Event],
) -> Event | None:
    """Set or clear ``suspended_at``/``deleted_at``; a date sent is replaced by the server's clock."""
    current = getattr(party, field)
    if (given is None) == (current is None):
        return None  # already in the state asked for: no new version
    stamp = now()
    setattr(party, field, stamp if given is not None else None)
    party.updated_at = stamp
    party.version += 1
    return on(party) if given is not None else off(party)


def _change(party: Party, patch: PartyPatch) -> list[Event]:
    events: list[Event | None] = []
    if "suspended_at" in patch.model_fields_set:
        events.append(
            _transition(
                party,
                "suspended_at",
                patch.suspended_at,
                published.party_suspended,
                published.party_reactivated,
            )
        )
    if "deleted_at" in patch.model_fields_set:
        events.append(
            _transition(
                party, "deleted_at", patch.deleted_at, published.party_deleted, published.party_restored
            )
        )
    return [event for event in events if event is not None]


async def patch_parties(ctx: Collaborators, claims: Claims, rows: Sequence[Any]) -> BatchOutcome:
    require(claims, "parties.update")
    failures: dict[int, dict[str, Any]] = {}  # by row position, so errors follow the request's order
    patches: dict[int, PartyPatch] = {}
    for position, row in enumerate(rows):
        parsed = _parse(row)
        if isinstance(parsed, dict):
            failures[position] = parsed
        elif "deleted_at" in parsed.model_fields_set and not can(claims, "parties.delete"):
            failures[position] = _failure(
                str(parsed.id), PermissionDenied("Missing permission 'parties.delete'.")
            )
        else:
            patches[position] = parsed
    async with ctx.unit_of_work() as uow:
        found = await parties.parties_for_update(
            uow.session, claims.tenant_id, [p.id for p in patches.values()]
        )
        applied_ids: list[uuid.UUID] = []
        for position, patch in patches.items():
            party = found.get(patch.id)
            if party is None:
                failures[position] = _failure(str(patch.id), PartyNotFound())
                continue
            events = _change(party, patch)
            for event in events:
                uow.publish(event)
            if events and not in_good_standing(party):
                reason = "party_deleted" if party.deleted_at else "party_suspended"
                await end_sessions(uow, claims.tenant_id, reason, party_id=party.id)
            applied_ids.append(patch.id)
        await uow.session.flush()
        # Read back in the same transaction: the rows as changed, with their admin flag.
        listed = (
            await parties.list_parties(
                uow.session,
                claims.tenant_id,
                PartyFilter(ids=tuple(applied_ids)),
                sort=(),
                offset=0,
                limit=len(applied_ids),
                with_counts=False,
            )
            if applied_ids
            else []
        )
        await uow.commit()
    by_id = {item.party.id: item for item in listed}
    applied = [by_id[party_id] for party_id in applied_ids if party_id in by_id]
    return BatchOutcome(applied, [failures[position] for position in sorted(failures)])
