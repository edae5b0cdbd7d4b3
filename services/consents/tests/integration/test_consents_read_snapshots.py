"""Reads of several statements agree with each other while a writer commits between them: a
page and its count, a consent and its history (one read-only snapshot each). And when the
database cannot hand out a connection in time, consents answers 503 in its own HAL shape.

The writer is a second, real connection that commits right after the first statement of the
read has run (an engine event), the worst moment for a read that is not one snapshot."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
from sqlalchemy import event

from consents.config import ConsentsSettings
from consents.domain.etag import consent_etag
from proximity.db.engine import normalise_url

from .conftest import ClientKeys, Consents, Signer, Tenant, assert_error, consent_body, running

CONSENTS = "/consents/consents"


def libpq_url(settings: ConsentsSettings) -> str:
    return (
        normalise_url(settings.database_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


@contextlib.contextmanager
def committing_after(
    service: Consents, marker: str, write: str, params: dict[str, Any]
) -> Iterator[list[str]]:
    """Once the read has run its first statement containing ``marker``, another connection
    runs ``write`` and commits. Yields the statements the read ran after that."""
    engine = service.wired.runtime.engine.sync_engine
    state: dict[str, bool] = {"written": False}
    later: list[str] = []

    def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if state["written"]:
            later.append(statement)
        elif marker in statement:
            with psycopg.connect(libpq_url(service.settings), autocommit=True) as writer:
                writer.execute(write, params)
            state["written"] = True

    event.listen(engine, "after_cursor_execute", after)
    try:
        yield later
    finally:
        event.remove(engine, "after_cursor_execute", after)
    assert state["written"], "the read never ran the statement the writer waits for"


async def test_a_page_and_its_count_agree_while_a_consent_is_created_between_them(
    service: Consents, tenant: Tenant
) -> None:
    first = await service.http.post(CONSENTS, json=consent_body(tenant.alice_id), headers=tenant.admin)
    await service.http.post(CONSENTS, json=consent_body(tenant.bob_id), headers=tenant.admin)
    copy = """
        INSERT INTO consents (id, tenant_id, user_id, type, state, document_uri,
            document_content_type, document_revised_at, created_at, updated_at, version)
        SELECT gen_random_uuid(), tenant_id, user_id, type, state, document_uri || '-copy',
            document_content_type, document_revised_at, now(), now(), 1
        FROM consents WHERE id = %(id)s
    """
    with committing_after(service, "count(", copy, {"id": first.json()["_id"]}) as later:
        response = await service.http.get(CONSENTS, headers=tenant.admin)

    assert response.status_code == 200, response.text
    body = response.json()
    assert later, "the page was read after the count"
    # One snapshot: the count and the page both predate the copy (else 2 counted, 3 shown).
    assert (body["count"], len(body["_embedded"]["items"])) == (2, 2)
    assert len((await service.http.get(CONSENTS, headers=tenant.admin)).json()["_embedded"]["items"]) == 3


async def test_a_consent_and_its_history_agree_while_a_transition_commits_between_them(
    service: Consents, tenant: Tenant
) -> None:
    created = await service.http.post(CONSENTS, json=consent_body(tenant.alice_id), headers=tenant.admin)
    consent_id = created.json()["_id"]
    # What a transition writes: the row's next version and its history entry, in one commit.
    transition = """
        WITH bumped AS (
            UPDATE consents SET version = version + 1, state = 'given', updated_at = now()
            WHERE id = %(id)s RETURNING id, tenant_id, version
        )
        INSERT INTO consent_history (id, tenant_id, consent_id, version, from_state, to_state,
            cause, actor, occurred_at, details)
        SELECT gen_random_uuid(), tenant_id, id, version, 'pending', 'given', 'give',
            'service:test', now(), '{}'::jsonb FROM bumped
    """
    with committing_after(service, "FROM consents", transition, {"id": consent_id}) as later:
        response = await service.http.get(f"{CONSENTS}/{consent_id}", headers=tenant.admin)

    assert response.status_code == 200, response.text
    assert later, "the history was read after the consent"
    history = response.json()["_embedded"]["history"]
    # One snapshot: version 1 and its one entry (else version 1 shown with two entries).
    assert response.headers["etag"] == consent_etag(consent_id, len(history))
    assert len(history) == 1


async def test_no_connection_in_time_answers_503_in_the_hal_error_shape(
    settings: ConsentsSettings, signer: Signer, client_keys: ClientKeys
) -> None:
    one = settings.model_copy(
        update={
            "database_pool_size": 1,
            "database_max_overflow": 0,
            "database_pool_timeout_seconds": 0.2,
            "events_enabled": False,
        }
    )
    async with running(one, signer, client_keys) as service:
        tenant_id = uuid.uuid4()
        async with service.wired.runtime.engine.connect():  # the pool's only connection
            response = await service.http.get(CONSENTS, headers=service.headers(tenant_id, admin=True))
        after = await service.http.get(CONSENTS, headers=service.headers(tenant_id, admin=True))

    error = assert_error(response, 503, "serviceUnavailable")
    assert error["message"] == "The service is temporarily unavailable; try again later."
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"].startswith("application/hal+json")
    assert after.status_code == 200, after.text
