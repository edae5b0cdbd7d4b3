"""Real answers of every consents operation, successes and errors, against the generated API
document the app serves: a declared status, its media type, its headers, and a body its
schema accepts."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from .conftest import Consents, Tenant, consent_body

TYPE_NAMES = "/consents/consentTypeNames"
CONSENTS = "/consents/consents"


class Conformance:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.templates = [
            (re.compile("^" + re.sub(r"{[^}]+}", "[^/]+", path) + "$"), path) for path in document["paths"]
        ]
        self.seen: set[tuple[str, str, int]] = set()

    def check(self, response: httpx.Response, *, headers: tuple[str, ...] = ()) -> httpx.Response:
        """``headers``: those the answer must carry (a declared header may be conditional)."""
        method, path = response.request.method.lower(), response.request.url.path
        template = next(t for pattern, t in self.templates if pattern.match(path))
        declared = self.document["paths"][template][method]["responses"].get(str(response.status_code))
        assert declared is not None, f"{method} {template}: {response.status_code} is not declared"
        self.seen.add((method, template, response.status_code))
        for name in headers:
            assert name in declared.get("headers", {}), name
            assert name.lower() in response.headers, name
        content = declared.get("content")
        if content is None:
            assert response.content == b""
            return response
        media_type = response.headers["content-type"].split(";")[0].strip()
        assert media_type in content, media_type
        schema = {**content[media_type]["schema"], "components": self.document["components"]}
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(response.json())]
        assert not problems, problems
        return response


async def test_every_operation_answers_as_documented(service: Consents, tenant: Tenant) -> None:
    document = (await service.http.get("/consents/apiDoc")).json()
    doc = Conformance(document)
    http, admin, alice = service.http, tenant.admin, tenant.alice

    for path in ("/consents/", "/consents", "/consents/apiDoc"):
        doc.check(await http.get(path))

    names = doc.check(await http.get(TYPE_NAMES, headers=alice), headers=("ETag",))
    etag = names.headers["etag"]
    doc.check(await http.get(TYPE_NAMES, headers={**alice, "If-None-Match": etag}), headers=("ETag",))
    replacement = {"names": {**names.json()["names"], "marketing": [{"label": "Marketing"}]}}
    doc.check(await http.put(TYPE_NAMES, json=replacement, headers=alice))  # 403
    doc.check(await http.put(TYPE_NAMES, json={"names": {"1x": []}}, headers=admin))  # 400, nested
    doc.check(await http.put(TYPE_NAMES, json=replacement, headers={**admin, "If-Match": '"stale"'}))  # 412
    doc.check(
        await http.put(TYPE_NAMES, json=replacement, headers={**admin, "If-Match": etag}), headers=("ETag",)
    )
    doc.check(await http.put(TYPE_NAMES, content=b"names", headers={**admin, "Content-Type": "text/plain"}))

    body = consent_body(tenant.alice_id)
    created = doc.check(await http.post(CONSENTS, json=body, headers=alice), headers=("Location", "ETag"))
    assert created.status_code == 201
    again = doc.check(await http.post(CONSENTS, json=body, headers=alice), headers=("Location", "ETag"))
    assert again.status_code == 200
    doc.check(await http.post(CONSENTS, json={**body, "type": "unknownType"}, headers=alice))  # 400
    doc.check(await http.post(CONSENTS, json=consent_body(tenant.bob_id), headers=alice))  # 403
    doc.check(await http.post(CONSENTS, content=b"{", headers={**alice, "Content-Type": "application/json"}))
    doc.check(await http.post(CONSENTS, json={"type": 1, "userId": []}, headers=alice))  # 400, nested
    consent_id = created.json()["_id"]
    # A twin for the matching give: another document of Alice's, moved to the first one's URI.
    twin = consent_body(tenant.alice_id)
    twin_id = (await http.post(CONSENTS, json=twin, headers=alice)).json()["_id"]
    move = {"type": body["type"], "uri": twin["document"]["uri"], "revisedAt": body["document"]["revisedAt"]}
    move["newUri"] = body["document"]["uri"]
    doc.check(await http.post("/consents/revisedDocuments", json=move, headers=admin))  # 202

    one = doc.check(await http.get(f"{CONSENTS}/{consent_id}", headers=alice), headers=("ETag",))
    not_modified = await http.get(
        f"{CONSENTS}/{consent_id}", headers={**alice, "If-None-Match": one.headers["etag"]}
    )
    assert doc.check(not_modified, headers=("ETag",)).status_code == 304
    doc.check(await http.get(f"{CONSENTS}/{uuid.uuid4()}", headers=alice))  # 404
    doc.check(await http.get(f"{CONSENTS}/{consent_id}"))  # 401

    for query in (
        {},
        {"state": "pending|given", "sortBy": "type,-givenAt", "start": "0", "limit": "1"},
        {"filter": "and(eq(state,pending),gt(document.revisedAt,2000-01-01T00:00:00Z))", "q": "vault"},
        {"filter": "eq(state"},  # 400
        {"sortBy": "nope"},  # 422
        {"limit": "x"},  # 400
    ):
        doc.check(await http.get(CONSENTS, params=query, headers=admin))

    doc.check(await http.get("/consents/neededConsents", headers=alice))
    doc.check(
        await http.get("/consents/neededConsents", params={"userId": str(tenant.bob_id)}, headers=alice)
    )
    doc.check(await http.get("/consents/neededConsents", headers=service.headers(tenant.id, service=True)))

    tagged = {**alice, "If-Match": one.headers["etag"]}
    given = await http.post("/consents/givenConsents", params={"consent": consent_id}, headers=tagged)
    assert [c["_id"] for c in doc.check(given, headers=("ETag",)).json()["_embedded"]["consents"]] == [
        twin_id
    ]
    doc.check(
        await http.post(
            "/consents/givenConsents", params={"consent": consent_id, "scope": "all"}, headers=alice
        )
    )
    doc.check(await http.post("/consents/givenConsents", params={"consent": "nope"}, headers=alice))  # 400
    doc.check(await http.post("/consents/givenConsents", headers=alice))  # 400
    doc.check(
        await http.post("/consents/givenConsents", params={"consent": consent_id}, headers=tagged)
    )  # 412
    doc.check(await http.post("/consents/revokedConsents", params={"consent": consent_id}, headers=tagged))
    revoked = await http.post("/consents/revokedConsents", params={"consent": consent_id}, headers=alice)
    doc.check(revoked, headers=("ETag",))
    doc.check(
        await http.post("/consents/givenConsents", params={"consent": consent_id}, headers=alice)
    )  # 409
    doc.check(
        await http.post("/consents/revokedConsents", params={"consent": consent_id}, headers=alice)
    )  # 409

    rescinded = await http.post("/consents/rescindedConsents", params={"consent": twin_id}, headers=alice)
    doc.check(rescinded, headers=("ETag",))
    doc.check(
        await http.post("/consents/rescindedConsents", params={"consent": twin_id}, headers=alice)
    )  # 409
    matching = {"type": body["type"], "user": str(tenant.alice_id), "context": body["contextUri"]}
    doc.check(await http.post("/consents/rescindedConsents", params=matching, headers=alice))
    doc.check(
        await http.post(
            "/consents/rescindedConsents", params={**matching, "user": str(tenant.bob_id)}, headers=alice
        )
    )
    doc.check(
        await http.post("/consents/rescindedConsents", params={"type": body["type"]}, headers=alice)
    )  # 400

    revision = {
        "_profile": "ignored",
        "uri": body["document"]["uri"],
        "type": body["type"],
        "revisedAt": "2030-01-01T00:00:00.000Z",
        "newUri": "/vault/files/moved/content",
    }
    revised = doc.check(await http.post("/consents/revisedDocuments", json=revision, headers=admin))
    assert revised.status_code == 202
    doc.check(await http.post("/consents/revisedDocuments", json=revision, headers=alice))  # 403
    doc.check(await http.post("/consents/revisedDocuments", json={**revision, "type": "x"}, headers=admin))

    statuses: dict[tuple[str, str], set[int]] = {}
    for method, path, status in doc.seen:
        statuses.setdefault((method, path), set()).add(status)
    assert statuses[("post", "/consents/givenConsents")] >= {200, 400, 409, 412, 422}
    assert statuses[("put", TYPE_NAMES)] >= {200, 400, 403, 412, 415}
    assert statuses[("get", f"{CONSENTS}/{{consent_id}}")] >= {200, 304, 401, 404}
    public = {
        (m, p) for p, ops in document["paths"].items() for m, op in ops.items() if not op.get("x-internal")
    }
    assert public <= {(m, p) for m, p, status in doc.seen if status < 400}
