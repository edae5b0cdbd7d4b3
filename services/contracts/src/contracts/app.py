"""The contracts service: ``uvicorn contracts.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette

from contracts.bootstrap import Collaborators
from contracts.config import ContractsSettings
from contracts.events.consumers import start_consumers
from contracts.routes import contract_roles, internal_links, service_catalogues
from contracts.routes import contracts as contract_routes
from contracts.routes import services as service_routes
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Contracts with their owners, contacts and the contract role catalogue every tenant is "
    "given, services with their type and category catalogues, and every link binding a "
    "contract to assets, entities, parties and services (seed 004)."
)


def create_app(settings: ContractsSettings | None = None) -> Starlette:
    settings = settings or ContractsSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        return Collaborators(settings, runtime)

    return service_app(
        settings,
        context="contracts",
        # /contracts/~/roles before /contracts/{id}, /services/~/... before /services/{id}.
        routes=[
            *contract_roles.routes,
            *contract_routes.routes,
            *internal_links.routes,
            *service_catalogues.routes,
            *service_routes.routes,
        ],
        wire=wire,
        start_consumers=start_consumers,
        document=ApiInfo(title="Contracts", version=API_VERSION, description=API_DESCRIPTION),
    )
