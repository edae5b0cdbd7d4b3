"""The gateway's settings from the environment."""

from __future__ import annotations

import pytest

from gateway.config import GatewaySettings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "ASSETS_URL", "IDENTITY_URL", "JWKS_URL", "MAX_BODY_BYTES", "RATE_LIMIT_PER_MINUTE"):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings()
    assert settings.port == 8000
    assert settings.max_body_bytes == 10_485_760
    assert settings.access_token_ttl_seconds == 900
    assert settings.rate_limit_per_minute == 6000
    assert settings.upstream_url("identity") == "http://127.0.0.1:8001"
    assert settings.jwks_url == "http://127.0.0.1:8001/.well-known/jwks.json"
    assert settings.upstream_url("assets") is None  # not deployed: 503
    assert settings.upstream_timeout("assets") == 30


def test_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSETS_URL", "http://assets:8002")
    monkeypatch.setenv("HEATMAPS_URL", "")
    monkeypatch.setenv("UPSTREAM_TIMEOUT_SECONDS", "10")
    monkeypatch.setenv("UPSTREAM_TIMEOUTS", '{"heatmaps": 60}')
    monkeypatch.setenv("MAX_BODY_BYTES", "1024")
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "0")
    settings = GatewaySettings()
    assert settings.upstream_url("assets") == "http://assets:8002"
    assert settings.upstream_url("heatmaps") is None
    assert settings.upstream_timeout("assets") == 10
    assert settings.upstream_timeout("heatmaps") == 60
    assert settings.max_body_bytes == 1024
    assert settings.rate_limit_per_minute == 0


def test_metrics_networks_default_to_loopback_and_private_ranges() -> None:
    from ipaddress import ip_address

    networks = GatewaySettings().metrics_networks
    assert any(ip_address("127.0.0.1") in n for n in networks)
    assert any(ip_address("10.1.2.3") in n for n in networks)
    assert not any(ip_address("203.0.113.7") in n for n in networks)


def test_no_browser_origin_and_a_body_idle_timeout_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GATEWAY_CORS_ORIGINS", "GATEWAY_CORS_ORIGIN_REGEX", "BODY_IDLE_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = GatewaySettings()
    assert settings.cors_origins == []
    assert settings.cors_origin_regex is None
    assert settings.body_idle_timeout_seconds == 10


def test_browser_origins_and_body_idle_timeout_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", '["https://app.example", "https://admin.example"]')
    monkeypatch.setenv("GATEWAY_CORS_ORIGIN_REGEX", r"https://.*\.example")
    monkeypatch.setenv("BODY_IDLE_TIMEOUT_SECONDS", "2.5")
    settings = GatewaySettings()
    assert settings.cors_origins == ["https://app.example", "https://admin.example"]
    assert settings.cors_origin_regex == r"https://.*\.example"
    assert settings.body_idle_timeout_seconds == 2.5
