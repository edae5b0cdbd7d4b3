"""The assets service: ``uvicorn assets.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette

from assets.bootstrap import Collaborators, document_store
from assets.config import AssetsSettings
from assets.contracts_owner import contracts_owner
from assets.events.consumers import start_consumers
from assets.repositories.s3_document_store import S3Store
from assets.routes import (
    api_v1,
    asset_types,
    documents,
    dynamic_fields,
    entities,
    entity_catalogues,
    industries,
    layouts,
    search,
)
from assets.routes import assets as asset_routes
from assets.services.documents import start_sweep
from proximity.http.jsend import jsend_handlers
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Assets (sites, buildings, floors, units) and their hierarchy, with address and geo, the "
    "asset type, entity type and entity role catalogues every tenant is given, entities (client "
    "and vendor organisations), industries, dynamic fields with their layouts and values, and "
    "location search (seed 004); documents (files) on assets and entities, and seed 003's "
    "JSend API under `/api/v1` (asset list and profile, documents)."
)


def create_app(settings: AssetsSettings | None = None) -> Starlette:
    settings = settings or AssetsSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        wired = Collaborators(
            settings, runtime, document_store(settings), contracts_owner(settings, runtime.tasks)
        )
        if isinstance(wired.documents, S3Store):
            await wired.documents.ensure_bucket()
        start_sweep(wired)
        return wired

    app = service_app(
        settings,
        context="assets",
        # /assets/~/types before /assets/{id},        # /entities/~/... before /entities/{id}.
        routes=[
            *asset_types.routes,
            *asset_routes.routes,
            *documents.routes,
            *entity_catalogues.routes,
            *entities.routes,
            *industries.routes,
            *layouts.routes,  # /dynamicfields/layouts before /dynamicfields/{id}/values
            *dynamic_fields.routes,
            *search.routes,
            *api_v1.routes,
        ],
        wire=wire,
        start_consumers=start_consumers,
        document=ApiInfo(title="Assets", version=API_VERSION, description=API_DESCRIPTION),
    )
    # Seed 003's routes under /api/v1 answer JSend, their errors included.
    app.exception_handlers = jsend_handlers(app.exception_handlers)
    return app
