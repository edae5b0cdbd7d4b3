"""The heatmaps service's settings, read from the environment."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from proximity.settings import ServiceSettings


class HeatmapsSettings(ServiceSettings):
    # A rejected setting must not echo its value into the start-up error: it may be a secret.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    service_name: str = "heatmaps"
    port: int = 8006
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_heatmaps"
    # How often each replica reads what changed in the map's read model (services.map_feed).
    map_poll_seconds: float = Field(default=0.1, gt=0, le=60)
    # Under a stream of changes, a query may answer from clusters at most this old (seconds)
    # rather than rebuild them for each change (docs/benchmarks.md, "Live updates").
    map_refresh_seconds: float = Field(default=0.1, ge=0, le=10)
