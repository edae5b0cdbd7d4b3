"""The documented user settings (seed 004 "Type: Party Settings") and their values."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from identity.errors import SettingKeyNotFound
from proximity.errors import ValidationFailed


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# key → whether a value is acceptable for it.
DOCUMENTED: dict[str, Callable[[str], bool]] = {
    "welcome_template_id": _uuid,  # an id from /templates?type=welcome
}


def valid_settings(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The settings as key → val; an undocumented key is ``eSettingKeyNotFound``, a bad value
    or a key given twice ``eValidationError``."""
    settings: dict[str, str] = {}
    for key, val in items:
        accepts = DOCUMENTED.get(key)
        if accepts is None:
            raise SettingKeyNotFound(f"Setting key '{key}' does not exist.")
        if key in settings:
            raise ValidationFailed(f"Setting '{key}' is given more than once.", fields={"settings": key})
        if not accepts(val):
            raise ValidationFailed(f"Setting '{key}' has an invalid value.", fields={"settings": key})
        settings[key] = val
    return settings
