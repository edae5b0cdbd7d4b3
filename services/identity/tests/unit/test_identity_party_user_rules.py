"""Pure rules of users, settings and the permissions contract: no I/O."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from identity.domain.party_users import MAX_IDENTITIES, check_system_admin_change, valid_identities
from identity.domain.user_settings import valid_settings
from identity.errors import IdentityNotValid, SettingKeyNotFound
from identity.events.consumed import PermissionsUpdated
from identity.services.permissions_replica import flattened
from proximity.errors import PermissionDenied, ValidationFailed


def test_identities_are_normalised_and_deduplicated() -> None:
    given = [("email", " Ada@Example.COM "), ("email", "ada@example.com"), ("email", "b@example.org")]
    assert valid_identities(given) == [("email", "ada@example.com"), ("email", "b@example.org")]


@pytest.mark.parametrize(
    "identity", [("phone", "+441234567890"), ("email", "nope"), ("email", ""), ("email", "a@b@c.com")]
)
def test_invalid_identities_are_refused(identity: tuple[str, str]) -> None:
    with pytest.raises(IdentityNotValid):
        valid_identities([identity])


def test_too_many_identities_are_refused() -> None:
    with pytest.raises(IdentityNotValid):
        valid_identities([("email", f"u{i}@example.com") for i in range(MAX_IDENTITIES + 1)])


@pytest.mark.parametrize(
    ("caller_is_admin", "current", "requested", "allowed"),
    [
        (False, False, True, False),  # grant
        (False, True, False, False),  # remove
        (False, True, True, True),  # unchanged
        (False, False, False, True),
        (True, False, True, True),
        (True, True, False, True),
    ],
)
def test_only_a_system_admin_changes_system_admin(
    caller_is_admin: bool, current: bool, requested: bool, allowed: bool
) -> None:
    if allowed:
        check_system_admin_change(caller_is_admin=caller_is_admin, current=current, requested=requested)
    else:
        with pytest.raises(PermissionDenied):
            check_system_admin_change(caller_is_admin=caller_is_admin, current=current, requested=requested)


def test_settings_accept_documented_keys_only() -> None:
    template = str(uuid.uuid4())
    assert valid_settings([("welcome_template_id", template)]) == {"welcome_template_id": template}
    assert valid_settings([]) == {}
    with pytest.raises(SettingKeyNotFound):
        valid_settings([("theme", "dark")])
    with pytest.raises(ValidationFailed) as bad_value:
        valid_settings([("welcome_template_id", "not-a-uuid")])
    assert bad_value.value.code == "eValidationError"
    with pytest.raises(ValidationFailed):
        valid_settings([("welcome_template_id", template)] * 2)


def test_the_permissions_contract_tolerates_unknown_fields_and_needs_someone() -> None:
    party = uuid.uuid4()
    parsed = PermissionsUpdated.model_validate(
        {
            "party_id": str(party),
            "permissions": [{"op_group_id": None, "permissions": ["a.b"], "x": 1}],
            "y": 2,
        }
    )
    assert parsed.party_id == party
    assert parsed.contract == 1
    with pytest.raises(ValidationError):
        PermissionsUpdated.model_validate({"permissions": []})
    with pytest.raises(ValidationError):
        PermissionsUpdated.model_validate({"user_id": str(uuid.uuid4()), "permissions": "a.b"})


def test_token_permissions_are_every_group_flattened_once() -> None:
    groups = [
        {"op_group_id": None, "permissions": ["b.view", "a.view"]},
        {"op_group_id": str(uuid.uuid4()), "permissions": ["a.view", "c.create"]},
    ]
    assert flattened(groups) == ["a.view", "b.view", "c.create"]
    assert flattened([]) == []
