"""Whether a person may act: neither their party nor their user is suspended or deleted.

One rule for every way in (password, second step, refresh, password reset, guest link):
deleting or suspending a party shuts its user out just as suspending the user does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Standing(Protocol):
    @property
    def suspended_at(self) -> datetime | None: ...

    @property
    def deleted_at(self) -> datetime | None: ...


def in_good_standing(*records: Standing) -> bool:
    return all(r.suspended_at is None and r.deleted_at is None for r in records)
