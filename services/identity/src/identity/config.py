"""Identity's settings, read from the environment."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from proximity.settings import ServiceSettings

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class IdentitySettings(ServiceSettings):
    # A rejected setting must not echo its value into the start-up error: it may be a secret.
    model_config = SettingsConfigDict(hide_input_in_errors=True)

    service_name: str = "identity"
    port: int = 8001
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/proximity_identity"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    service_token_ttl_seconds: int = Field(default=300, gt=0)
    # ``SERVICE_CREDENTIALS``: a JSON object, service name → SHA-256 hex of its secret. Only
    # hashes are configured, so this environment never holds a secret another service sends.
    service_credentials: dict[str, str] = Field(default_factory=dict)
    # ``SERVICE_SCOPES``: a JSON object, service name → the scopes it may be granted, each
    # ``<called service>.<action>`` (e.g. {"reports": ["consents.read"]}). A service token
    # names one called service as its audience and carries only granted scopes of it.
    service_scopes: dict[str, list[str]] = Field(default_factory=dict)
    lockout_threshold: int = 4
    lockout_seconds: int = 300
    # Argon2 hashing (``identity.services.password_hashing``): each hash holds 64 MiB while it
    # runs, so at most PASSWORD_HASH_WORKERS run at once (unset: one per CPU, fewer when half
    # the container's memory limit cannot hold that many) and PASSWORD_HASH_QUEUE more wait;
    # a sign-in beyond that answers 503 with Retry-After at once.
    password_hash_workers: int | None = Field(default=None, ge=1)
    password_hash_queue: int = Field(default=16, ge=0)
    # The demo tenant `make run` seeds; development only.
    demo_tenant_name: str = "Demo"
    demo_client_key: str = "dev-client-key"
    demo_domain_key: str = "localhost"
    demo_admin_email: str = "admin@example.com"
    demo_admin_password: str = "admin-password"  # noqa: S105 - development seed, overridable
    # Outgoing mail (password reset, guest login): any SMTP server; `make run` starts a sink.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_from: str = "Proximity <no-reply@proximity.localhost>"
    smtp_username: str | None = None
    smtp_password: str | None = None
    # auto: STARTTLS when the server offers it; tls: implicit TLS (port 465); none: plain.
    smtp_tls: Literal["auto", "starttls", "tls", "none"] = "auto"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_max_attempts: int = Field(default=8, gt=0)
    # The page of the client app that takes a reset token (``?token=...`` is appended).
    password_reset_url: str = "http://localhost/auth/reset-password"  # noqa: S105 - a page, not a secret
    password_reset_ttl_seconds: int = Field(default=3600, gt=0)
    guest_login_ttl_seconds: int = Field(default=900, gt=0)
    # At most this many emails per user and flow within the window; more requests still get 202.
    mail_flow_limit: int = Field(default=3, gt=0)
    mail_flow_window_seconds: int = Field(default=900, gt=0)
    # Second factors. The key encrypts TOTP secrets and keys the hashes of mailed codes: set
    # SECOND_FACTOR_KEY in every deployment (changing it disables enrolled TOTP and live codes).
    second_factor_key: SecretStr = SecretStr("development-only-second-factor-key")
    email_otp_ttl_seconds: int = Field(default=600, gt=0)
    login_challenge_ttl_seconds: int = Field(default=300, gt=0)
    # Wrong tries at one mailed code before it stops working (on top of the login lockout).
    email_otp_max_attempts: int = Field(default=5, gt=0)

    @field_validator("service_credentials")
    @classmethod
    def _hashes_only(cls, value: dict[str, str]) -> dict[str, str]:
        # A plaintext secret pasted here by mistake must stop start-up, not silently fail to match.
        hashes = {name: digest.lower() for name, digest in value.items()}
        for name, digest in hashes.items():
            if not name or not _SHA256_HEX.match(digest):
                raise ValueError(f"service credential {name!r} must be the SHA-256 hex of its secret")
        return hashes
