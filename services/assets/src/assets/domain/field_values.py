"""Checking a value against its field's type and config (seed 004 "Values"): text within its
length, an integer within min and max, an ISO date or date-time, option keys the field has, a
boolean. A problem is a ``ValueError`` whose message says what is wrong."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def _text(value: Any, config: dict[str, Any]) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if len(value) > config["max"]:
        raise ValueError(f"must be at most {config['max']} characters")
    if not config["multiline"] and ("\n" in value or "\r" in value):
        raise ValueError("must be one line")
    return value


def _number(value: Any, config: dict[str, Any]) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be an integer (the number x 10^{config['scalefactor']})")
    if config["min"] is not None and value < config["min"]:
        raise ValueError(f"must be at least {config['min']}")
    if config["max"] is not None and value > config["max"]:
        raise ValueError(f"must be at most {config['max']}")
    return value


def _date_only(value: Any, config: dict[str, Any]) -> str:
    problem = "must be a date, YYYY-MM-DD"
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(problem)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(problem) from None


def _date_time(value: Any, config: dict[str, Any]) -> str:
    problem = "must be an ISO 8601 date-time with its offset"
    if not isinstance(value, str):
        raise ValueError(problem)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(problem) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(problem)
    return parsed.isoformat()


def _keys(config: dict[str, Any]) -> set[str]:
    return {option["key"] for option in config["options"]}


def _dropdown(value: Any, config: dict[str, Any]) -> str:
    if not isinstance(value, str) or value not in _keys(config):
        raise ValueError("must be the key of one of the field's options")
    return value


def _multiselect(value: Any, config: dict[str, Any]) -> str:
    if not isinstance(value, str):
        raise ValueError("must be option keys, comma separated")
    chosen = [key for key in value.split(",") if key]
    unknown = [key for key in chosen if key not in _keys(config)]
    if unknown:
        raise ValueError(f"names options the field does not have: {', '.join(unknown[:5])}")
    return ",".join(dict.fromkeys(chosen))


def _checkbox(value: Any, config: dict[str, Any]) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


_CHECKS = {
    "text": _text,
    "number": _number,
    "dateOnly": _date_only,
    "dateTime": _date_time,
    "dropdown": _dropdown,
    "multiselect": _multiselect,
    "checkbox": _checkbox,
}


def checked_value(field_type: str, config: dict[str, Any], value: Any) -> Any:
    """The value as stored; null clears a value and is always accepted."""
    if value is None:
        return None
    return _CHECKS[field_type](value, config)
