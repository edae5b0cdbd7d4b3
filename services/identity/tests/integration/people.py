"""What the people tests share: headers for an admin or a user with given permissions, a
valid party body, and the events a party published."""

from __future__ import annotations

from typing import Any

from tests.conftest import Identity, recorded_events, signed_in


def party_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type_id": None,
        "first_name": "Test",
        "last_name": "User1",
        "email": "test1@sixfactorsolutions.com",
        "avatar_media_id": None,
        "avatar_url": "https://avatar.url",
        "phone": None,
        "job_title_id": None,
        "addresses": [
            {
                "name": "Main Office",
                "country": "gb",
                "region": "nottinghamshire",
                "city": "newark",
                "locale": "collingham",
                "street": "station road",
                "unit": None,
                "postal": None,
                "lat": "52.023432",
                "long": "-0.126345",
            }
        ],
        "profile": [{"key": "title", "val": "watchman"}, {"key": "dob", "val": "2000-01-01"}],
    }
    return body | changes


async def create(identity: Identity, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = await identity.http.post("/parties", headers=headers, json=party_body(**changes))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["data"]
    return created


async def catalogue_ids(identity: Identity, headers: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The tenant's party type ids by base type, and its job title ids."""
    types = (await identity.http.get("/parties/~/types", headers=headers)).json()["data"]
    titles = (await identity.http.get("/jobtitles", headers=headers)).json()["data"]
    return {t["base_type"]: t["id"] for t in types}, [t["id"] for t in titles]


admin = signed_in


async def party_events(identity: Identity, party_id: str) -> list[dict[str, Any]]:
    """The ``identity.party.*`` events of one party, oldest first."""
    return await recorded_events(identity, "identity.party.", party_id)
