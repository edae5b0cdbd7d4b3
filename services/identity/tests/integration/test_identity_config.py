"""``/config``, ``/config/theme`` and the templates: defaults, admin writes, tenancy."""

from __future__ import annotations

import uuid

from identity.repositories.catalogue_tables import Template
from tests.conftest import Account, Identity, holder_of, new_account, signed_in
from tests.integration.catalogues import code_of, events

THEME = [
    {"key": "login.logo", "value": "https://via.placeholder.com/250", "domain": "login"},
    {"key": "bg.color", "value": "#fefefe", "domain": "crud-admin"},
]
WELCOME = "7c1f3c52-5b61-4d55-9a43-2f0c4be3a001"


async def test_defaults_then_admin_replaces_sections(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    config = (await identity.http.get("/config", headers=headers)).json()["data"]
    assert set(config) == {"theme", "phrasing", "vocab", "settings", "permissions"}
    assert config["theme"] == []
    assert {"key": "asset", "locale": "en-CA", "singular": "Asset", "plural": "Assets"} in config["vocab"]

    vocab = [{"key": "asset", "locale": "en-CA", "singular": "Location", "plural": "Locations"}]
    phrasing = [{"key": "login.welcome", "value": "Welcome", "locale": "en-CA"}]
    response = await identity.http.put(
        "/config", headers=headers, json={"vocab": vocab, "phrasing": phrasing, "permissions": ["ignored"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["vocab"] == vocab
    assert response.json()["data"]["permissions"] == []

    theme = await identity.http.put("/config/theme", headers=headers, json={"data": THEME})
    assert theme.status_code == 200
    assert theme.json()["data"] == THEME
    assert (await identity.http.get("/config/theme", headers=headers)).json()["data"] == THEME
    config = (await identity.http.get("/config", headers=headers)).json()["data"]
    assert (config["theme"], config["vocab"], config["phrasing"], config["settings"]) == (
        THEME,
        vocab,
        phrasing,
        [],
    )
    sections = {
        e["data"]["section"]
        for e in await events(identity, "identity.config.")
        if e["tenant_id"] == str(account.tenant_id)
    }
    assert sections == {"vocab", "phrasing", "theme"}

    # Another tenant still sees the defaults.
    other = await new_account(identity.wired, system_admin=True)
    assert (await identity.http.get("/config/theme", headers=await signed_in(identity, other))).json()[
        "data"
    ] == []


async def test_any_user_reads_only_admins_write(identity: Identity, account: Account) -> None:
    user = holder_of(identity, account, "contracts.view")
    config = await identity.http.get("/config", headers=user)
    assert config.status_code == 200
    assert config.json()["data"]["permissions"] == ["contracts.view"]
    assert (await identity.http.get("/config/theme", headers=user)).status_code == 200
    for method, path, body in (
        ("PUT", "/config", {"theme": THEME}),
        ("PUT", "/config/theme", {"data": THEME}),
    ):
        response = await identity.http.request(method, path, headers=user, json=body)
        assert response.status_code == 403
        assert code_of(response) == "ePermissionDenied"
    assert (await identity.http.get("/config")).status_code == 401


async def test_invalid_config_is_a_validation_error(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    for path, body in (
        ("/config/theme", {"data": [{"key": "a", "value": "b"}]}),
        ("/config/theme", {"data": [THEME[0], THEME[0]]}),
        ("/config/theme", {"data": [{**THEME[0], "key": "x" * 151}]}),
        ("/config/theme", {"data": [{**THEME[0], "colour": "red"}]}),
        ("/config", {"vocab": [{"key": "asset", "locale": "en-CA", "singular": "Site"}]}),
        ("/config", {"settings": "nope"}),
    ):
        response = await identity.http.put(path, headers=headers, json=body)
        assert response.status_code == 400, body
        assert code_of(response) == "eValidationError"


async def test_templates_list_and_types(identity: Identity, account: Account) -> None:
    headers = await signed_in(identity, account)
    types = (await identity.http.get("/templates/~/types", headers=headers)).json()
    assert {t["name"] for t in types["data"]} >= {"Welcome Template", "Terms of Use Acceptance"}
    assert "pagination" not in types
    tag = uuid.uuid4().hex[:6]
    for name, status in ((f"{tag} b", "draft"), (f"{tag} a", "active")):
        made = await identity.http.post(
            "/templates", headers=headers, json={"name": name, "type_id": WELCOME, "status": status}
        )
        assert made.status_code == 201, made.text
    other = await new_account(identity.wired, system_admin=True)
    async with identity.wired.unit_of_work() as uow:
        uow.session.add(Template(tenant_id=other.tenant_id, name=f"{tag} theirs", type_id=uuid.UUID(WELCOME)))
        await uow.commit()

    listed = await identity.http.get("/templates", headers=headers, params={"keywords": tag})
    assert [t["name"] for t in listed.json()["data"]] == [f"{tag} a", f"{tag} b"]
    by_status = await identity.http.get(
        "/templates", headers=headers, params={"keywords": tag, "sort_by": "-status"}
    )
    assert [t["status"] for t in by_status.json()["data"]] == ["draft", "active"]
    assert by_status.json()["sort"] == [{"field": "status", "dir": "desc"}]
    welcome = await identity.http.get(
        "/templates", headers=headers, params={"keywords": tag, "type": "welcome"}
    )
    assert len(welcome.json()["data"]) == 2
    terms = await identity.http.get(
        "/templates", headers=headers, params={"keywords": tag, "type": "terms_of_use"}
    )
    assert terms.json()["data"] == []
    assert (
        await identity.http.get("/templates", headers=headers, params={"sort_by": "colour"})
    ).status_code == 400
    unknown_type = await identity.http.post(
        "/templates", headers=headers, json={"name": "x", "type_id": str(uuid.uuid4())}
    )
    assert code_of(unknown_type) == "eTemplateTypeNotFound"
    nobody = holder_of(identity, account)
    assert (await identity.http.get("/templates", headers=nobody)).status_code == 403
    assert (await identity.http.get("/templates/~/types", headers=nobody)).status_code == 200
