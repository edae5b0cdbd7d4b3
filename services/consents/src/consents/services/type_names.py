"""``GET/PUT /consentTypeNames``: the registered types, replaced as a whole by administrators."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from consents.bootstrap import Collaborators
from consents.domain.etag import require_if_match, type_names_etag
from consents.domain.type_names import (
    DEFAULT_TYPE_NAMES,
    ConsentTypeNames,
    LocalizedLabel,
    replace_type_names,
)
from consents.repositories import consents as consent_rows
from consents.repositories import type_names as rows
from consents.services.access import Caller, require_admin


class LabelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    description: str | None = None
    language: str | None = None
    code: str | None = None


class TypeNamesBody(BaseModel):
    """``consentTypeNames``: ``_profile`` and ``_links`` are accepted and ignored."""

    names: dict[str, list[LabelBody]] = Field(min_length=1)

    def to_domain(self) -> ConsentTypeNames:
        return ConsentTypeNames(
            {
                name: tuple(LocalizedLabel(x.label, x.description, x.language, x.code) for x in labels)
                for name, labels in self.names.items()
            }
        )


def _from_json(names: dict[str, Any]) -> ConsentTypeNames:
    return ConsentTypeNames(
        {name: tuple(LocalizedLabel(**label) for label in labels) for name, labels in names.items()}
    )


async def load(session: Any, caller: Caller, *, for_update: bool = False) -> ConsentTypeNames:
    found = await rows.load(session, caller.tenant_id, for_update=for_update)
    return _from_json(found[0]) if found else DEFAULT_TYPE_NAMES


async def current(wired: Collaborators, caller: Caller) -> tuple[ConsentTypeNames, str]:
    async with wired.reading() as session:
        names = await load(session, caller)
    return names, type_names_etag(names)


async def replace(
    wired: Collaborators, caller: Caller, body: TypeNamesBody, *, if_match: str | None
) -> tuple[ConsentTypeNames, str]:
    require_admin(caller)
    replacement = body.to_domain()
    async with wired.unit_of_work() as uow:
        found = await rows.load(uow.session, caller.tenant_id, for_update=True)
        before = _from_json(found[0]) if found else DEFAULT_TYPE_NAMES
        require_if_match(if_match, type_names_etag(before))
        removed = sorted(set(before.names) - set(replacement.names))
        in_use = await consent_rows.type_in_use(uow.session, caller.tenant_id, removed)
        after = replace_type_names(before, replacement, in_use=set(in_use))
        await rows.store(uow.session, caller.tenant_id, after.as_json(), (found[1] if found else 0) + 1)
        await uow.commit()
    return after, type_names_etag(after)
