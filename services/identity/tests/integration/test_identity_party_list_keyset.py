"""GET /parties over more rows than a page number may reach: the total is exact up to a cap and
a lower bound beyond it, pages deeper than the offset bound are refused and point to the
cursor, the cursor walks every row once in every sort, and the sort columns triggers keep
follow the writes that change them."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import text

from identity.repositories.catalogue_tables import PartySkillSet, SkillSet
from identity.repositories.people_tables import PartyGroupMembership
from proximity.db.listing import MAX_OFFSET, TOTAL_CAP
from tests.conftest import Account, Identity
from tests.integration.people import admin, create

MORE_THAN_CAPPED = TOTAL_CAP + 60


async def _bulk(identity: Identity, account: Account, count: int) -> None:
    """``count`` parties straight into the table (the API would take minutes); a few share a
    first name and some have no last name or email, so ties and NULLs are walked too."""
    async with identity.wired.unit_of_work() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO parties (id, tenant_id, base_type, first_name, last_name, email, phone, "
                "addresses, profile, version, created_at) "
                "SELECT gen_random_uuid(), :tenant, 'contact', 'P' || (n % 97), "
                "CASE WHEN n % 7 = 0 THEN NULL ELSE 'Last' || (n % 13) END, "
                "CASE WHEN n % 5 = 0 THEN NULL ELSE 'p' || n || '@bulk.test' END, "
                "CASE WHEN n % 3 = 0 THEN NULL ELSE '+44' || (n % 11) END, "
                "'[]', '[]', 1, now() - make_interval(secs => n % 17) "
                "FROM generate_series(1, :count) n"
            ),
            {"tenant": account.tenant_id, "count": count},
        )
        await uow.commit()


async def _get(identity: Identity, headers: dict[str, str], **params: Any) -> Any:
    response = await identity.http.get("/parties", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response


async def _walk(identity: Identity, headers: dict[str, str], sort: str, per_page: int) -> list[str]:
    """Every id of the list in ``sort`` order, following the next cursors to the end."""
    seen: list[str] = []
    params: dict[str, Any] = {"sort": sort, "per_page": per_page}
    page = 0
    while True:
        response = await _get(identity, headers, **params)
        body = response.json()
        assert body["pagination"]["page"] == page
        seen += [p["id"] for p in body["data"]]
        cursor = body["pagination"]["next_cursor"]
        if cursor is None:
            assert 'rel="next"' not in response.headers["link"]
            return seen
        next_link = next(part for part in response.headers["link"].split(", ") if 'rel="next"' in part)
        assert parse_qs(urlsplit(next_link[1 : next_link.index(">")]).query)["cursor"] == [cursor]
        params = {"sort": sort, "per_page": per_page, "cursor": cursor}
        page += 1


async def test_total_is_exact_up_to_the_cap_and_a_lower_bound_beyond(
    identity: Identity, account: Account
) -> None:
    headers = await admin(identity, account)
    await _bulk(identity, account, MORE_THAN_CAPPED)
    response = await _get(identity, headers, per_page=5)
    pagination = response.json()["pagination"]
    assert (pagination["total"], pagination["total_exact"]) == (TOTAL_CAP, False)
    assert response.headers["x-total-count"] == str(TOTAL_CAP)
    assert 'rel="last"' not in response.headers["link"]  # not known: the total is a bound
    assert pagination["next_cursor"]

    # p12, p120 ... p129 (those with an email): more than a page, counted.
    few = (await _get(identity, headers, keywords="p12@bulk", per_page=5)).json()["pagination"]
    assert few["total_exact"] is True
    assert 5 < few["total"] < 12
    none = (await _get(identity, headers, keywords="nobody", per_page=5)).json()["pagination"]
    assert (none["total"], none["total_exact"], none["next_cursor"]) == (0, True, None)
    # A full first page of a list under the cap is counted exactly.
    under = (await _get(identity, headers, keywords="last3", per_page=5)).json()["pagination"]
    assert under["total_exact"] is True
    assert 5 < under["total"] < TOTAL_CAP


async def test_pages_beyond_the_offset_bound_point_to_the_cursor(
    identity: Identity, account: Account
) -> None:
    headers = await admin(identity, account)
    await _bulk(identity, account, 30)
    deepest = MAX_OFFSET // 20
    assert (await identity.http.get("/parties", headers=headers, params={"page": deepest})).status_code == 200
    refused = await identity.http.get("/parties", headers=headers, params={"page": deepest + 1})
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert (error["code"], error["fields"]) == ("eValidationError", {"page": "too_deep"})
    assert "cursor" in error["message"]


async def test_the_cursor_walks_every_row_once_in_every_sort(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    await _bulk(identity, account, MORE_THAN_CAPPED)
    every = {p["id"] for p in (await _get(identity, headers, per_page=100, keywords="bulk")).json()["data"]}
    assert len(every) == 100
    for sort in (
        "+name",
        "-name",
        "+last_name",
        "-email",
        "+phone",
        "-created",
        "+total_groups",
        "-type",
        "+first_name,-phone",
    ):
        walked = await _walk(identity, headers, sort, per_page=97)
        assert len(walked) == len(set(walked)) == MORE_THAN_CAPPED + 1, sort  # + the account's party
        # The first pages by number and by cursor are the same rows in the same order.
        by_number: list[str] = []
        for page in range(3):
            body = (await _get(identity, headers, sort=sort, per_page=97, page=page)).json()
            by_number += [p["id"] for p in body["data"]]
        assert walked[: len(by_number)] == by_number, sort


async def test_a_cursor_of_another_sort_or_edited_is_refused(identity: Identity, account: Account) -> None:
    headers = await admin(identity, account)
    await _bulk(identity, account, 30)
    cursor = (await _get(identity, headers, sort="-created", per_page=5)).json()["pagination"]["next_cursor"]
    for params in (
        {"sort": "+created", "cursor": cursor},
        {"sort": "-created", "cursor": cursor[:-4] + "AAAA"},
        {"sort": "-created", "cursor": "not a cursor"},
        {"sort": "-created", "cursor": cursor, "page": 1},
    ):
        response = await identity.http.get("/parties", headers=headers, params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["errors"][0]["fields"].keys() == {"cursor"}
    ok = await identity.http.get("/parties", headers=headers, params={"sort": "-created", "cursor": cursor})
    assert (ok.status_code, ok.json()["pagination"]["page"]) == (200, 1)


async def test_counts_and_names_sorted_by_follow_their_writes(identity: Identity, account: Account) -> None:
    """The columns triggers keep: memberships, and skillsets held (less a deleted skillset)."""
    headers = await admin(identity, account)
    first = await create(identity, headers, first_name="First", last_name="A")
    second = await create(identity, headers, first_name="Second", last_name="B")
    tenant = account.tenant_id
    async with identity.wired.unit_of_work() as uow:
        welding = SkillSet(tenant_id=account.tenant_id, name="Welding", description="Hot work")
        rigging = SkillSet(tenant_id=account.tenant_id, name="Rigging", description="Ropes")
        uow.session.add_all([welding, rigging])
        await uow.session.flush()
        for skillset in (welding, rigging):
            uow.session.add(
                PartySkillSet(party_id=uuid.UUID(second["id"]), skillset_id=skillset.id, tenant_id=tenant)
            )
        uow.session.add(
            PartySkillSet(party_id=uuid.UUID(first["id"]), skillset_id=welding.id, tenant_id=tenant)
        )
        for _ in range(2):
            uow.session.add(
                PartyGroupMembership(group_id=uuid.uuid4(), party_id=uuid.UUID(first["id"]), tenant_id=tenant)
            )
        await uow.commit()

    async def order(sort: str) -> list[str]:
        return [p["first_name"] for p in (await _get(identity, headers, sort=sort)).json()["data"]]

    assert await order("-total_skillsets") == ["Second", "First", "Ada"]
    assert (await order("-total_groups"))[0] == "First"
    # Deleting a skillset takes it out of every holder's count.
    deleted = await identity.http.delete(f"/skillsets/{rigging.id}", headers=headers)
    assert deleted.status_code in (200, 204), deleted.text
    stats = {
        p["first_name"]: p["stats"][0]["skillsets"]
        for p in (await _get(identity, headers, **{"include[]": "stats", "sort": "-total_skillsets"})).json()[
            "data"
        ]
    }
    assert stats == {"First": 1, "Second": 1, "Ada": 0}
    assert (await order("-total_skillsets"))[-1] == "Ada"
