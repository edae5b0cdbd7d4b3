"""A page and its total read in one snapshot: a row committed by another connection between
the two statements (right after the count, the worst moment) shows in neither, so the total
and the page agree. Under READ COMMITTED, even inside one transaction, each statement saw the
database anew: 1 counted, 2 listed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import psycopg
from sqlalchemy import event

from proximity.db.engine import normalise_url
from tests.conftest import Account, Identity, signed_in


@contextlib.contextmanager
def committing_after(
    identity: Identity, markers: tuple[str, ...], write: str, params: dict[str, Any]
) -> Iterator[None]:
    """Once a statement containing every one of ``markers`` has run, another connection runs
    ``write`` and commits."""
    engine = identity.wired.runtime.engine.sync_engine
    url = normalise_url(identity.wired.settings.database_url).set(drivername="postgresql")
    written: list[bool] = []

    def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not written and all(marker in statement for marker in markers):
            with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as writer:
                writer.execute(write, params)
            written.append(True)

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after)
    assert written, "the list never ran the statement the writer waits for"


async def test_the_clients_page_and_its_total_agree_while_a_client_is_registered_between_them(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    register = """
        INSERT INTO clients (id, tenant_id, name, key_hash, created_at)
        VALUES (gen_random_uuid(), %(tenant)s, 'registered meanwhile',
                md5(random()::text) || md5(random()::text), now())
    """
    with committing_after(identity, ("count(", "FROM clients"), register, {"tenant": account.tenant_id}):
        listed = await identity.http.get("/clients", headers=headers)

    assert listed.status_code == 200, listed.text
    names = [c["name"] for c in listed.json()["data"]]
    assert int(listed.headers["x-total-count"]) == len(names)
    assert "registered meanwhile" not in names
    again = await identity.http.get("/clients", headers=headers)
    assert "registered meanwhile" in [c["name"] for c in again.json()["data"]]
