"""event delivery: outbox relayed in sequence order, per row, parked after bounded attempts;
consumers' parked messages

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from proximity.events.migration import downgrade_event_delivery, upgrade_event_delivery

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    upgrade_event_delivery()


def downgrade() -> None:
    downgrade_event_delivery()
