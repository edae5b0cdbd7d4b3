"""A refresh token is rotated once; presenting it again ends the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from identity.domain.refresh import RefreshVerdict, judge_refresh

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


def test_unused_token_of_a_live_session_rotates() -> None:
    verdict = judge_refresh(token_used_at=None, session_revoked_at=None, session_expires_at=LATER, now=NOW)
    assert verdict is RefreshVerdict.ROTATE


def test_used_token_is_reuse() -> None:
    verdict = judge_refresh(token_used_at=NOW, session_revoked_at=None, session_expires_at=LATER, now=NOW)
    assert verdict is RefreshVerdict.REUSED


def test_revoked_or_expired_session_is_over() -> None:
    revoked = judge_refresh(token_used_at=None, session_revoked_at=NOW, session_expires_at=LATER, now=NOW)
    expired = judge_refresh(token_used_at=None, session_revoked_at=None, session_expires_at=NOW, now=NOW)
    assert revoked is RefreshVerdict.SESSION_OVER
    assert expired is RefreshVerdict.SESSION_OVER
