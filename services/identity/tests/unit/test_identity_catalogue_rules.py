"""Pure rules of the catalogues: server-stamped flags, config defaults, __permissions__."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from identity.domain.stamps import stamp
from identity.domain.tenant_config import SECTIONS, effective
from proximity.auth.claims import Claims
from proximity.auth.permissions import with_permissions

EARLIER = datetime(2020, 1, 1, tzinfo=UTC)
NOW = datetime(2024, 1, 1, tzinfo=UTC)
CLIENT_SENT = datetime(1999, 1, 1, tzinfo=UTC)


def test_a_flag_is_stamped_by_the_server_once_and_cleared_by_null() -> None:
    assert stamp(None, CLIENT_SENT, NOW) == NOW
    assert stamp(EARLIER, CLIENT_SENT, NOW) == EARLIER
    assert stamp(EARLIER, None, NOW) is None
    assert stamp(None, None, NOW) is None


def test_config_sections_fall_back_to_defaults_one_by_one() -> None:
    stored = {"theme": [{"key": "bg.color", "value": "#000", "domain": "login"}], "vocab": []}
    sections = effective(stored)
    assert tuple(sections) == SECTIONS
    assert sections["theme"] == stored["theme"]
    assert sections["vocab"] == []  # set to nothing on purpose: no defaults come back
    assert sections["phrasing"] == []
    assert sections["settings"] == []
    assert any(e["key"] == "asset" for e in effective({})["vocab"])


def test_permissions_array_is_omitted_for_admins() -> None:
    tenant = uuid.uuid4()
    admin = Claims(subject="a", tenant_id=tenant, system_admin=True)
    near_misses = {"skillsetsx.view", "assets.view"}
    user = Claims(subject="u", tenant_id=tenant, permissions=frozenset({"skillsets.view", *near_misses}))
    assert with_permissions({"id": 1}, admin, "skillsets") == {"id": 1}
    assert with_permissions({"id": 1}, user, "skillsets") == {"id": 1, "__permissions__": ["skillsets.view"]}
