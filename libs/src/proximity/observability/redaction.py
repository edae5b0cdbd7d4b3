"""Masking secrets in a log event before anything is written, whoever logged them.

A secret is found three ways: by the key it sits under (``password=...``, at any depth of
dicts, lists and tuples); by the words just before its placeholder when it is passed as a
positional argument (``log.info("reset token %s", token)``); and by its shape anywhere in any
string (a JWT, a ``Bearer``/``Basic`` credential), which catches a secret formatted into a
message by the caller. Positional arguments are interpolated here, after masking, so the
rendered message never held the plain secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

MASK = "***"
SECRET_MARKERS = (
    "password",
    "secret",
    "token",
    "authorization",
    "bearer",
    "credential",
    "client_key",
    "cookie",
    "otp",
    "code",
)
POSITIONAL_ARGS = "positional_args"

# printf-style conversions as ``%`` formatting reads them; ``%%`` is a literal percent.
_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0+ -]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<kind>[diouxXeEfFgGcrsa%])"
)
# The last word before a placeholder: ``token=%s``, ``password: %r``, ``with secret '%s'``.
_LAST_WORD = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[^A-Za-z0-9_]*$")
_SHAPES = (
    # A JWT: base64url JSON header (``{"`` encodes as ``eyJ``), payload, signature.
    (re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r"\b(Bearer|Basic)\s+[^\s\"',;]+", re.IGNORECASE), rf"\1 {MASK}"),
)


def secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in SECRET_MARKERS)


def masked_text(text: str) -> str:
    for shape, replacement in _SHAPES:
        text = shape.sub(replacement, text)
    return text


def redacted(value: Any, key: str = "") -> Any:
    if key and secret_name(key):
        return MASK
    if isinstance(value, str):
        return masked_text(value)
    if isinstance(value, Mapping):
        return {k: redacted(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        # Elements have no key of their own: a dict inside is checked by its keys, a string by its shape.
        items = [redacted(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _secret_positions(template: str) -> list[bool]:
    """For each positional placeholder of ``template``: is the word before it a secret's name?"""
    positions: list[bool] = []
    start = 0
    for match in _PLACEHOLDER.finditer(template):
        if match["kind"] == "%":
            start = match.end()
            continue
        before = _LAST_WORD.search(template[start : match.start()])
        positions.append(before is not None and secret_name(before[1]))
        start = match.end()
    return positions


def masked_arguments(template: str, args: Sequence[Any]) -> tuple[Any, ...]:
    if len(args) == 1 and isinstance(args[0], Mapping):
        return (redacted(args[0]),)  # ``%(name)s`` placeholders: masked by key
    positions = _secret_positions(template)
    return tuple(
        MASK if index < len(positions) and positions[index] else redacted(arg)
        for index, arg in enumerate(args)
    )


def _interpolated(template: str, args: tuple[Any, ...]) -> str:
    try:
        return template % (args[0] if len(args) == 1 and isinstance(args[0], Mapping) else args)
    except (TypeError, ValueError, KeyError):
        # A template that does not fit its arguments is still logged, with them (masked) beside it.
        return f"{template} {args!r}"


def redact_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor. Needs the record's template and arguments apart (stdlib records:
    ``ProcessorFormatter(use_get_message=False, pass_foreign_args=True)``)."""
    message = event.get("event")
    args = event.pop(POSITIONAL_ARGS, None)
    if isinstance(message, str):
        if args:
            message = _interpolated(message, masked_arguments(message, args))
        event["event"] = masked_text(message)
    for key in list(event):
        if key != "event" and not key.startswith("_"):  # ``_record``: structlog's own
            event[key] = redacted(event[key], key)
    return event
