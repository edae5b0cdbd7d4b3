"""The answer of a heatmap query as seed 004 shows it: numbers as strings (``"count": "2"``,
``"lat": "48.34234234234"``), one ``clusters`` entry per datazone."""

from __future__ import annotations

from typing import Any

from heatmaps.domain.map_view import ZonePins
from heatmaps.domain.pin_metrics import number_text
from heatmaps.schemas.map_query import MapRequest

NUMBER_TEXT: dict[str, Any] = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
_NULLABLE_NUMBER: dict[str, Any] = {"anyOf": [NUMBER_TEXT, {"type": "null"}]}
_UUID: dict[str, Any] = {"type": "string", "format": "uuid"}

PIN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["lat", "long", "field", "count", "metrics", "items"],
    "properties": {
        "lat": _NULLABLE_NUMBER,
        "long": _NULLABLE_NUMBER,
        "field": {"type": ["string", "null"]},
        "count": NUMBER_TEXT,
        "metrics": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field_id", "label", "ref", "percent", "total"],
                "properties": {
                    "field_id": {"anyOf": [_UUID, {"type": "null"}]},
                    "label": {"type": ["string", "null"]},
                    "ref": {"type": "string"},
                    "percent": _NULLABLE_NUMBER,
                    "total": _NULLABLE_NUMBER,
                },
            },
        },
        "items": {"anyOf": [{"type": "array", "items": _UUID}, {"type": "null"}]},
    },
}
RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["zoom", "bound", "clusters"],
    "properties": {
        "zoom": {"type": "integer"},
        "bound": {"type": "string"},
        "clusters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["datazone_id", "pins"],
                "properties": {
                    "datazone_id": {"anyOf": [_UUID, {"type": "null"}]},
                    "pins": {"type": "array", "items": PIN_SCHEMA},
                },
            },
        },
    },
}


def _coordinate(value: float | None) -> str | None:
    return None if value is None else number_text(value)


def map_answer(request: MapRequest, entries: list[ZonePins]) -> dict[str, Any]:
    return {
        "zoom": request.zoom,
        "bound": request.bound,
        "clusters": [
            {
                "datazone_id": None if entry.datazone_id is None else str(entry.datazone_id),
                "pins": [
                    {
                        "lat": _coordinate(pin.lat),
                        "long": _coordinate(pin.lng),
                        "field": pin.field,
                        "count": str(pin.count),
                        "metrics": [
                            {
                                "field_id": None if metric.field_id is None else str(metric.field_id),
                                "label": metric.label,
                                "ref": metric.ref,
                                "percent": None if percent is None else str(percent),
                                "total": None if total is None else number_text(total),
                            }
                            for metric, total, percent in pin.metrics
                        ],
                        "items": None if pin.items is None else [str(item) for item in pin.items],
                    }
                    for pin in entry.pins
                ],
            }
            for entry in entries
        ],
    }
