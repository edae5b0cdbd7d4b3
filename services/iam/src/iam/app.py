"""The iam service: ``uvicorn iam.app:create_app --factory``."""

from __future__ import annotations

from starlette.applications import Starlette

from iam.bootstrap import Collaborators
from iam.config import IamSettings
from iam.events.consumers import start_consumers
from iam.routes import datazones, features, groups
from iam.services.permission_propagation import start_permission_propagation
from proximity.openapi.served import ApiInfo
from proximity.runtime import Runtime
from proximity.service_app import service_app

API_VERSION = "0.1.0"
API_DESCRIPTION = (
    "Features (one per permission tag), groups of users, territories and features, and the "
    "operational groups that give a set of users a set of features over a territory; "
    "datazones (seed 004)."
)


def create_app(settings: IamSettings | None = None) -> Starlette:
    settings = settings or IamSettings()

    async def wire(runtime: Runtime) -> Collaborators:
        return Collaborators(settings, runtime)

    return service_app(
        settings,
        context="iam",
        routes=[*features.routes, *groups.routes, *datazones.routes],
        wire=wire,
        start_consumers=start_consumers,
        background={"permissions": lambda runtime: start_permission_propagation(settings, runtime)},
        document=ApiInfo(title="IAM", version=API_VERSION, description=API_DESCRIPTION),
    )
