"""``/contracts/~/roles`` (seed 004 "LIST Contract Roles")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from contracts.routes.caller import collaborators, granted
from contracts.schemas.contract_roles import ContractRoleView, contract_role_view
from contracts.services.contract_roles import list_contract_roles
from proximity.http.responses import catalogue
from proximity.openapi import operation as api
from proximity.openapi.operation import documented


@documented(
    "List contract roles",
    description=(
        "The roles a contract's owners (`type` owner) and contacts (`type` contact) hold, the "
        "tenant's whole catalogue, unpaginated. Every tenant starts with Customer Success and "
        "Account Executive (owners), Primary Contact and Billing Contact (contacts)."
    ),
    answers=api.catalogue(ContractRoleView),
    permission="contracts.view",
)
async def list_roles(request: Request) -> Response:
    claims = await granted(request)
    found = await list_contract_roles(collaborators(request), claims)
    return catalogue([contract_role_view(item) for item in found])


routes = [Route("/contracts/~/roles", list_roles, methods=["GET"])]
