"""The answer of a heatmap query as seed 004 shows it: numbers as strings (``"count": "2"``,
``"lat": "48.34234234234"``), one ``clusters`` entry per datazone."""

from __future__ import annotations

from typing import Any

from heatmaps.domain.map_view import ZonePins
from heatmaps.domain.pin_metrics import number_texts
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


def _texts(values: list[float] | None, count: int) -> list[str | None]:
    return [None] * count if values is None else number_texts(values)


def _optional_integers(values: list[int | None]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]


def _entry(entry: ZonePins) -> dict[str, Any]:
    size = len(entry.counts)
    lats, longs = _texts(entry.lat, size), _texts(entry.lng, size)
    fields = entry.fields if entry.fields is not None else [None] * size
    columns = [
        (
            None if c.metric.field_id is None else str(c.metric.field_id),
            c.metric.label,
            c.metric.ref,
            _optional_integers(c.percents),
            number_texts(c.totals),
        )
        for c in entry.metrics
    ]
    pins = [
        {
            "lat": lats[i],
            "long": longs[i],
            "field": fields[i],
            "count": str(count),
            "metrics": [
                {"field_id": field_id, "label": label, "ref": ref, "percent": shown[i], "total": totals[i]}
                for field_id, label, ref, shown, totals in columns
            ],
            "items": None if entry.items[i] is None else [str(item) for item in entry.items[i] or ()],
        }
        for i, count in enumerate(entry.counts)
    ]
    return {"datazone_id": None if entry.datazone_id is None else str(entry.datazone_id), "pins": pins}


def map_answer(request: MapRequest, entries: list[ZonePins]) -> dict[str, Any]:
    return {"zoom": request.zoom, "bound": request.bound, "clusters": [_entry(entry) for entry in entries]}
