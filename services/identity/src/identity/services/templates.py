"""Use cases on templates and their types."""

from __future__ import annotations

import uuid
from typing import Any

from identity.bootstrap import Collaborators
from identity.errors import TemplateTypeNotFound
from identity.events import published
from identity.repositories import templates as queries
from identity.repositories.catalogue_tables import Template
from identity.schemas.templates import TemplateWrite
from proximity.auth.claims import Claims
from proximity.auth.permissions import require, with_permissions
from proximity.http.list_query import ListQuery

RESOURCE = "templates"


def render(template: Template, claims: Claims) -> dict[str, Any]:
    item = {
        "id": template.id,
        "name": template.name,
        "type_id": template.type_id,
        "status": template.status,
        "locations": template.locations,
        "created_at": template.created_at,
        "updated_at": template.updated_at,
        "deleted_at": template.deleted_at,
    }
    return with_permissions(item, claims, RESOURCE)


async def list_templates(
    ctx: Collaborators, claims: Claims, listing: ListQuery, *, kind: uuid.UUID | str | None
) -> tuple[list[dict[str, Any]], int]:
    require(claims, f"{RESOURCE}.view")
    async with ctx.snapshot() as session:  # the page and its total agree
        rows, total = await queries.list_templates(session, claims.tenant_id, listing, kind=kind)
    return [render(row, claims) for row in rows], total


async def list_template_types(ctx: Collaborators) -> list[dict[str, Any]]:
    """A system catalogue with nothing of any tenant in it: every signed-in user may read it."""
    async with ctx.reading() as session:
        kinds = await queries.template_types(session)
    return [{"id": kind.id, "key": kind.key, "name": kind.name} for kind in kinds]


async def create_template(ctx: Collaborators, claims: Claims, body: TemplateWrite) -> dict[str, Any]:
    require(claims, f"{RESOURCE}.create")
    async with ctx.unit_of_work() as uow:
        if await queries.template_type(uow.session, body.type_id) is None:
            raise TemplateTypeNotFound()
        template = Template(
            tenant_id=claims.tenant_id, name=body.name, type_id=body.type_id, status=body.status
        )
        uow.session.add(template)
        await uow.session.flush()
        uow.publish(published.template_created(template))
        await uow.commit()
    return render(template, claims)
