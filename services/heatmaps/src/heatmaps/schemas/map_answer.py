"""The answer of a heatmap query as seed 004 shows it: numbers as strings (``"count": "2"``,
``"lat": "48.34234234234"``), one ``clusters`` entry per datazone."""

from __future__ import annotations

from typing import Any

import orjson

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


def _quoted(texts: list[str | None]) -> list[str]:
    # Number texts hold digits, '-' and '.': nothing to escape.
    return ["null" if t is None else f'"{t}"' for t in texts]


def _pins(entry: ZonePins) -> orjson.Fragment:
    """The entry's pins as JSON text, written from its columns: a large answer (thousands of
    pins) would otherwise spend more time building dicts than finding the clusters. Only the
    strings a user chose (labels, address values) go through the encoder."""
    size = len(entry.counts)
    nulls = ["null"] * size
    lats = nulls if entry.lat is None else _quoted(number_texts(entry.lat))
    longs = nulls if entry.lng is None else _quoted(number_texts(entry.lng))
    fields = nulls if entry.fields is None else [orjson.dumps(f).decode() for f in entry.fields]
    metrics: list[list[str]] = []
    for column in entry.metrics:
        head = orjson.dumps(
            {
                "field_id": None if column.metric.field_id is None else str(column.metric.field_id),
                "label": column.metric.label,
                "ref": column.metric.ref,
            }
        ).decode()[:-1]
        shown = _quoted([None if p is None else str(p) for p in column.percents])
        totals = _quoted(number_texts(column.totals))
        metrics.append([f'{head},"percent":{p},"total":{t}}}' for p, t in zip(shown, totals, strict=True)])
    per_pin = [",".join(parts) for parts in zip(*metrics, strict=True)] if metrics else [""] * size
    items = [
        "null" if found is None else '["' + '","'.join(found) + '"]' if found else "[]"
        for found in entry.items
    ]
    pins = [
        f'{{"lat":{lats[i]},"long":{longs[i]},"field":{fields[i]},"count":"{count}",'
        f'"metrics":[{per_pin[i]}],"items":{items[i]}}}'
        for i, count in enumerate(entry.counts)
    ]
    return orjson.Fragment("[" + ",".join(pins) + "]")


def map_answer(request: MapRequest, entries: list[ZonePins]) -> dict[str, Any]:
    """The result object; its pins are pre-written JSON (``orjson.Fragment``): encode it with orjson."""
    return {
        "zoom": request.zoom,
        "bound": request.bound,
        "clusters": [
            {"datazone_id": None if e.datazone_id is None else str(e.datazone_id), "pins": _pins(e)}
            for e in entries
        ],
    }
