"""The consents service's settings, read from the environment."""

from __future__ import annotations

from proximity.settings import ServiceSettings


class ConsentsSettings(ServiceSettings):
    service_name: str = "consents"
    port: int = 8005
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_consents"
    # Collections: the page size when ``limit`` is not given, and the largest one allowed.
    default_page_limit: int = 100
    max_page_limit: int = 1000
