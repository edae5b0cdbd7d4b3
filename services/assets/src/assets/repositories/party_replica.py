"""assets' replica of identity's parties (``proximity.events.party_replica``): validates the
party ids of its writes without calling identity."""

from __future__ import annotations

from proximity.events.party_replica import PartyReplica, PartyRow


class ReplicatedParty(PartyRow, table=True):
    __tablename__ = "replicated_parties"


parties = PartyReplica(ReplicatedParty)
apply_party = parties.apply
missing_parties = parties.missing
