"""The heatmaps service: ``uvicorn heatmaps.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from heatmaps.bootstrap import Collaborators
from heatmaps.config import HeatmapsSettings
from heatmaps.events.consumers import start_consumers
from heatmaps.routes import heatmaps, map_query
from heatmaps.services.map_feed import start_map_feed
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Heatmap configurations: who owns them, the groups that see them and the metrics each "
    'computes over the tenant\'s points (seed 004 "Heatmaps").'
)


def routes() -> list[BaseRoute]:
    """Every route of the service; a resource's module adds its own list here."""
    return [*heatmaps.routes, *map_query.routes]


def create_app(settings: HeatmapsSettings | None = None) -> Starlette:
    settings = settings or HeatmapsSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        feed = start_map_feed(
            runtime, poll_seconds=settings.map_poll_seconds, refresh_after=settings.map_refresh_seconds
        )
        return Collaborators(settings, runtime, feed)

    return service_app(
        settings,
        context="heatmaps",
        routes=routes(),
        wire=wire,
        start_consumers=start_consumers,
        document=ApiInfo(title="Heatmaps", version=API_VERSION, description=API_DESCRIPTION),
    )
