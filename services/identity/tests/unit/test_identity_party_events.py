"""``identity.party.*`` events carry the party's whole new state and its version."""

from __future__ import annotations

import uuid

from identity.events import published
from identity.repositories.tables import Party


def _party() -> Party:
    return Party(
        tenant_id=uuid.uuid4(),
        base_type="contact",
        first_name="Bea",
        last_name="Moss",
        phone="+14035551234",
        addresses=[{"name": "Home", "country": "gb"}],
        profile=[{"key": "title", "val": "watchman"}],
        version=3,
    )


def test_party_created_keeps_the_fields_its_first_consumers_read() -> None:
    party = _party()
    event = published.party_created(party)
    assert event.type == "identity.party.created"
    assert {"id", "base_type", "first_name", "last_name", "suspended_at", "deleted_at"} <= set(event.data)
    assert event.data["id"] == str(party.id)


def test_every_party_event_carries_the_new_state_and_version() -> None:
    party = _party()
    builders = {
        "updated": published.party_updated,
        "suspended": published.party_suspended,
        "reactivated": published.party_reactivated,
        "deleted": published.party_deleted,
        "restored": published.party_restored,
    }
    for verb, build in builders.items():
        event = build(party)
        assert event.type == f"identity.party.{verb}"
        assert (event.version, event.tenant_id, event.aggregate_id) == (3, party.tenant_id, str(party.id))
        assert event.data == published.party_state(party)
        assert event.data["phone"] == "+14035551234"
        assert event.data["addresses"] == [{"name": "Home", "country": "gb"}]
