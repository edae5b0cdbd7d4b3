"""contracts' replicas of iam's grants and datazones (``proximity.access.replica``): who may
see and change which contracts, decided here without calling iam. The tables are named for
contracts (not the lib's ``access_grant`` / ``datazone_replica``, which assets uses): every
service's tables share SQLModel's one metadata in a process that imports several."""

from __future__ import annotations

from proximity.access.replica import AccessReplica, DatazoneRow, GrantRow


class AccessGrant(GrantRow, table=True):
    __tablename__ = "iam_grant_replica"


class ReplicatedDatazone(DatazoneRow, table=True):
    __tablename__ = "iam_datazone_replica"


access = AccessReplica(AccessGrant, ReplicatedDatazone)
