"""The iam service's settings, read from the environment."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from proximity.settings import ServiceSettings


class IamSettings(ServiceSettings):
    # A rejected setting must not echo its value into the start-up error: it may be a secret.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    service_name: str = "iam"
    port: int = 8004
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_iam"
    # Effective permissions (iam.services.permission_propagation): whether this process runs
    # the worker (it leads or stands by), how many permission_change rows one pass takes, and
    # how often the leader looks for new ones.
    permission_propagation_enabled: bool = True
    permission_change_batch: int = 100
    permission_poll_seconds: float = 0.2
