"""assets' replicas of iam's grants and datazones (``proximity.access.replica``): who may see
and change which assets and entities, decided here without calling iam."""

from __future__ import annotations

from proximity.access.replica import AccessReplica, DatazoneRow, GrantRow


class AccessGrant(GrantRow, table=True):
    __tablename__ = "access_grant"


class ReplicatedDatazone(DatazoneRow, table=True):
    __tablename__ = "datazone_replica"


access = AccessReplica(AccessGrant, ReplicatedDatazone)
