"""The assets service's settings, read from the environment."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from proximity.settings import ServiceSettings


class AssetsSettings(ServiceSettings):
    # A rejected setting must not echo its value into the start-up error: it may be a secret.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    service_name: str = "assets"
    port: int = 8002
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_assets"
    # How many levels an asset hierarchy may have (a site is level 1): deep enough for
    # site → building → floor → unit → room → equipment and more, shallow enough that walking
    # an asset's ancestors stays one short query.
    max_hierarchy_depth: int = Field(default=12, ge=1, le=100)
    # Contract links are contracts': a write naming them is forwarded to ``CONTRACTS_URL``
    # (docs/internal-api.md) with a service token identity issues to assets (``SERVICE_SECRET``,
    # whose SHA-256 identity holds in ``SERVICE_CREDENTIALS``; ``SERVICE_SCOPES`` grants
    # ``contracts.write``). Either unset: such a write answers 503 and changes nothing; reads
    # and every other write work. A call waits at most ``CONTRACTS_TIMEOUT_SECONDS``.
    contracts_url: str | None = None
    service_secret: SecretStr | None = None
    contracts_timeout_seconds: float = Field(default=5.0, gt=0)
