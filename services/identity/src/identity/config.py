"""Identity's settings, read from the environment."""

from __future__ import annotations

from proximity.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"
    port: int = 8001
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_identity"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    lockout_threshold: int = 4
    lockout_seconds: int = 300
    # The demo tenant `make run` seeds; development only.
    demo_tenant_name: str = "Demo"
    demo_client_key: str = "dev-client-key"
    demo_domain_key: str = "localhost"
    demo_admin_email: str = "admin@example.com"
    demo_admin_password: str = "admin-password"  # noqa: S105 - development seed, overridable
