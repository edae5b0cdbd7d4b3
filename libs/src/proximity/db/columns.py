"""Column shapes the services' tables share: timestamps with a time zone, set by the server's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlmodel import Field


def now() -> datetime:
    return datetime.now(UTC)


def stamp(*, nullable: bool = True) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    return Field(default_factory=now, sa_column=Column(DateTime(timezone=True), nullable=False))
