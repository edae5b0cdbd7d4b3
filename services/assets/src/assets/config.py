"""The assets service's settings, read from the environment."""

from __future__ import annotations

from pydantic import Field

from proximity.settings import ServiceSettings


class AssetsSettings(ServiceSettings):
    service_name: str = "assets"
    port: int = 8002
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_assets"
    # How many levels an asset hierarchy may have (a site is level 1): deep enough for
    # site → building → floor → unit → room → equipment and more, shallow enough that walking
    # an asset's ancestors stays one short query.
    max_hierarchy_depth: int = Field(default=12, ge=1, le=100)
