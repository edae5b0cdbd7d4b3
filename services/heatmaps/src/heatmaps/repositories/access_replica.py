"""heatmaps' replicas of iam's grants and datazones (``proximity.access.replica``): who may see
and change heatmaps, decided here without calling iam; the datazones are kept for the points a
query will place in them. The tables are named for heatmaps: every service's tables share
SQLModel's one metadata in a process that imports several."""

from __future__ import annotations

from proximity.access.replica import AccessReplica, DatazoneRow, GrantRow


class HeatmapsGrant(GrantRow, table=True):
    __tablename__ = "heatmaps_grant_replica"


class HeatmapsDatazone(DatazoneRow, table=True):
    __tablename__ = "heatmaps_datazone_replica"


access = AccessReplica(HeatmapsGrant, HeatmapsDatazone)
