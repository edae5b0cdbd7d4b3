"""The heatmaps service's documented errors (seed 004 "Heatmaps"), each with its code; the one
exception handler of ``proximity.http.errors`` renders them."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError


class HeatmapNotFound(NotFound):
    code = "eHeatmapNotFound"
    message = "The heatmap could not be found / invalid ID."


class InvalidMetricField(ProximityError):
    code = "eInvalidMetricField"
    message = "There was a problem with one of the metric fields given."


class GroupNotFound(NotFound):
    code = "eGroupNotFound"
    message = "One of the groups given could not be found."


class OwnerNotFound(NotFound):
    code = "eOwnerNotFound"
    message = "One of the owners given could not be found."


class DatazoneNotFound(NotFound):
    # iam's spelling of the code (its datazone routes answer it too).
    code = "eDataZoneNotFound"
    message = "The datazone could not be found / invalid ID."


# What a create or replace may answer besides eValidationError (seed 004).
HEATMAP_WRITE_ERRORS: tuple[type[ProximityError], ...] = (InvalidMetricField, GroupNotFound, OwnerNotFound)
