"""The assets service's settings, read from the environment."""

from __future__ import annotations

from pathlib import Path

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
    # Documents (files on assets and entities): the largest file accepted (413 beyond, refused
    # while it streams in), and where the files are kept. ``data_dir`` is the service's own
    # folder (``make run`` gives each service one under its data directory); documents live in
    # its ``documents`` folder unless an S3-compatible bucket is configured.
    document_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    data_dir: Path = Path(".data/assets")
    documents_s3_bucket: str | None = None
    documents_s3_endpoint: str | None = None  # host[:port], e.g. s3.eu-west-2.amazonaws.com
    documents_s3_access_key: SecretStr | None = None
    documents_s3_secret_key: SecretStr | None = None
    documents_s3_region: str | None = None
    documents_s3_secure: bool = True
    # An upload's file lands under a pending key until its row is committed; a pending file
    # older than this, with no row, is an upload that died and the sweep deletes it.
    document_pending_grace_seconds: float = Field(default=3600.0, ge=0)
    document_sweep_interval_seconds: float = Field(default=3600.0, gt=0)

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"
