"""heatmaps' replica of identity's parties (``proximity.events.party_replica``): validates a
heatmap's ``owner_ids`` without calling identity."""

from __future__ import annotations

from proximity.events.party_replica import PartyReplica, PartyRow


class HeatmapsParty(PartyRow, table=True):
    __tablename__ = "heatmaps_party_replica"


parties = PartyReplica(HeatmapsParty)
apply_party = parties.apply
missing_parties = parties.missing
