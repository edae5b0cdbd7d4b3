"""The assets service: ``uvicorn assets.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette

from assets.bootstrap import Collaborators
from assets.config import AssetsSettings
from assets.contracts_owner import contracts_owner
from assets.events.consumers import start_consumers
from assets.routes import (
    asset_types,
    dynamic_fields,
    entities,
    entity_catalogues,
    industries,
    layouts,
    search,
)
from assets.routes import assets as asset_routes
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Assets (sites, buildings, floors, units) and their hierarchy, with address and geo, the "
    "asset type, entity type and entity role catalogues every tenant is given, entities (client "
    "and vendor organisations), industries, dynamic fields with their layouts and values, and "
    "location search (seed 004)."
)


def create_app(settings: AssetsSettings | None = None) -> Starlette:
    settings = settings or AssetsSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        return Collaborators(settings, runtime, contracts_owner(settings, runtime.tasks))

    return service_app(
        settings,
        context="assets",
        # /assets/~/types before /assets/{id},        # /entities/~/... before /entities/{id}.
        routes=[
            *asset_types.routes,
            *asset_routes.routes,
            *entity_catalogues.routes,
            *entities.routes,
            *industries.routes,
            *layouts.routes,  # /dynamicfields/layouts before /dynamicfields/{id}/values
            *dynamic_fields.routes,
            *search.routes,
        ],
        wire=wire,
        start_consumers=start_consumers,
        document=ApiInfo(title="Assets", version=API_VERSION, description=API_DESCRIPTION),
    )
