"""``/parties/~/skillsets``: who holds which skillset; idempotent PUT of up to 50 pairs."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Account, Identity, holder_of, new_account, signed_in
from tests.integration.catalogues import another_party, code_of, events

PATH = "/parties/~/skillsets"


async def skillset(identity: Identity, headers: dict[str, str], name: str = "Skill") -> str:
    response = await identity.http.post(
        "/skillsets", headers=headers, json={"name": f"{name} {uuid.uuid4().hex[:6]}", "description": ""}
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def pair(party_id: Any, skillset_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "party_id": str(party_id),
        "skillset_id": skillset_id,
        "effective_at": "2023-01-01T12:35:00Z",
        "expires_at": "2023-02-02T12:35:00Z",
        "doc_url": "http://test-doc.com",
        "deleted_at": None,
    } | changes


async def test_put_then_list_by_party_and_by_skillset(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    first, second = await skillset(identity, headers), await skillset(identity, headers)
    other_party = await another_party(identity, account)
    rows = [
        pair(account.party_id, first),
        pair(account.party_id, second, doc_url=None),
        pair(other_party, first),
    ]
    saved = await identity.http.put(PATH, headers=headers, json={"data": rows})
    assert saved.status_code == 200, saved.text
    data = saved.json()["data"]
    assert [(r["party_id"], r["skillset_id"]) for r in data] == [
        (r["party_id"], r["skillset_id"]) for r in rows
    ]
    assert data[0]["effective_at"].startswith("2023-01-01T12:35:00")
    assert data[1]["doc_url"] is None

    by_party = await identity.http.get(PATH, headers=headers, params={"party_id": str(account.party_id)})
    assert by_party.status_code == 200
    assert {r["skillset_id"] for r in by_party.json()["data"]} == {first, second}
    assert "pagination" not in by_party.json()
    by_skillset = await identity.http.get(PATH, headers=headers, params={"skillset_id": first})
    assert {r["party_id"] for r in by_skillset.json()["data"]} == {str(account.party_id), str(other_party)}
    both = await identity.http.get(
        PATH, headers=headers, params={"skillset_id": first, "party_id": str(other_party)}
    )
    assert [r["party_id"] for r in both.json()["data"]] == [str(other_party)]
    unknown = await identity.http.get(PATH, headers=headers, params={"party_id": str(uuid.uuid4())})
    assert unknown.json()["data"] == []


async def test_put_is_idempotent_keeps_omitted_pairs_and_deletes_softly(
    identity: Identity, account: Account
) -> None:
    headers = await signed_in(identity, account)
    kept, dropped = await skillset(identity, headers), await skillset(identity, headers)
    spelled = pair(account.party_id, dropped, effected_at="2024-05-05T00:00:00Z")
    del spelled["effective_at"]
    rows = [pair(account.party_id, kept), spelled]
    first = await identity.http.put(PATH, headers=headers, json={"data": rows})
    again = await identity.http.put(PATH, headers=headers, json={"data": rows})
    assert first.json()["data"] == again.json()["data"]
    # The seed's parameter table spells it effected_at: accepted as effective_at.
    assert first.json()["data"][1]["effective_at"].startswith("2024-05-05")
    pair_events = await events(identity, "identity.party_skillset.", f"{account.party_id}:{kept}")
    assert len(pair_events) == 1  # the repeat changed nothing, so it published nothing

    removed = await identity.http.put(
        PATH,
        headers=headers,
        json={"data": [pair(account.party_id, dropped, deleted_at="1999-01-01T00:00:00Z")]},
    )
    stamped = removed.json()["data"][0]["deleted_at"]
    assert stamped is not None
    assert not stamped.startswith("1999")
    listed = await identity.http.get(PATH, headers=headers, params={"party_id": str(account.party_id)})
    assert [r["skillset_id"] for r in listed.json()["data"]] == [kept]  # omitted pair kept, deleted gone

    restored = await identity.http.put(
        PATH, headers=headers, json={"data": [pair(account.party_id, dropped)]}
    )
    assert restored.json()["data"][0]["deleted_at"] is None
    listed = await identity.http.get(PATH, headers=headers, params={"party_id": str(account.party_id)})
    assert {r["skillset_id"] for r in listed.json()["data"]} == {kept, dropped}


async def test_party_list_filter_sees_the_table(identity: Identity, account: Account) -> None:
    """A deleted skillset no longer shows as held."""
    headers = await signed_in(identity, account)
    gone = await skillset(identity, headers)
    await identity.http.put(PATH, headers=headers, json={"data": [pair(account.party_id, gone)]})
    await identity.http.delete(f"/skillsets/{gone}", headers=headers)
    listed = await identity.http.get(PATH, headers=headers, params={"skillset_id": gone})
    assert listed.json()["data"] == []


async def test_missing_parties_and_skillsets(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    other = await new_account(identity.wired, system_admin=True)
    theirs = await skillset(identity, await signed_in(identity, other))
    mine = await skillset(identity, headers)
    deleted = await skillset(identity, headers)
    await identity.http.delete(f"/skillsets/{deleted}", headers=headers)
    unknown_party = uuid.uuid4()
    cases = [
        ([pair(unknown_party, mine)], "ePartiesNotFound", str(unknown_party)),
        ([pair(account.party_id, mine), pair(other.party_id, mine)], "ePartiesNotFound", str(other.party_id)),
        ([pair(account.party_id, str(uuid.uuid4()))], "eAttemptSaveWithMissingSkillSets", None),
        ([pair(account.party_id, theirs)], "eAttemptSaveWithMissingSkillSets", theirs),
        ([pair(account.party_id, deleted)], "eAttemptSaveWithMissingSkillSets", deleted),
    ]
    for rows, code, named in cases:
        response = await identity.http.put(PATH, headers=headers, json={"data": rows})
        assert response.status_code == 400, rows
        assert code_of(response) == code
        if named:
            assert named in response.json()["errors"][0]["message"]
    # Nothing of a refused request was saved.
    listed = await identity.http.get(PATH, headers=headers, params={"skillset_id": mine})
    assert listed.json()["data"] == []
    # Another tenant's pairs are invisible.
    await identity.http.put(
        PATH, headers=await signed_in(identity, other), json={"data": [pair(other.party_id, theirs)]}
    )
    for params in ({"skillset_id": theirs}, {"party_id": str(other.party_id)}):
        assert (await identity.http.get(PATH, headers=headers, params=params)).json()["data"] == []


async def test_limits_and_validation(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    skillsets = [await skillset(identity, headers) for _ in range(51)]
    parties = [account.party_id]
    fifty = [pair(parties[0], s) for s in skillsets[:50]]
    assert (await identity.http.put(PATH, headers=headers, json={"data": fifty})).status_code == 200
    too_many = await identity.http.put(
        PATH, headers=headers, json={"data": [pair(parties[0], s) for s in skillsets]}
    )
    assert too_many.status_code == 400
    assert code_of(too_many) == "eValidationError"
    for wrong in (
        {"data": []},
        {"data": [pair(parties[0], skillsets[0])] * 2},
        {"data": [pair(parties[0], skillsets[0], doc_url="x" * 5001)]},
        {"data": [pair(parties[0], "nope")]},
        {"data": [pair(parties[0], skillsets[0], expires_at="soon")]},
        {"rows": []},
    ):
        response = await identity.http.put(PATH, headers=headers, json=wrong)
        assert response.status_code == 400
        assert code_of(response) == "eValidationError"
    for params in ({}, {"party_id": "nope"}, {"skillset_id": ""}):
        response = await identity.http.get(PATH, headers=headers, params=params)
        assert response.status_code == 400, params
        assert code_of(response) == "eValidationError"


async def test_route_is_not_taken_for_a_party_id_and_needs_permissions(
    identity: Identity, account: Account
) -> None:
    nobody = holder_of(identity, account)
    response = await identity.http.get(PATH, headers=nobody, params={"party_id": str(account.party_id)})
    assert response.status_code == 403
    assert code_of(response) == "ePermissionDenied"
    response = await identity.http.put(
        PATH, headers=nobody, json={"data": [pair(account.party_id, str(uuid.uuid4()))]}
    )
    assert response.status_code == 403
    viewer = holder_of(identity, account, "parties.view")
    assert (
        await identity.http.get(PATH, headers=viewer, params={"party_id": str(account.party_id)})
    ).status_code == 200
