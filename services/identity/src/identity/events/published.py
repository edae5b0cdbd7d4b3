"""The events identity publishes: versioned contracts other contexts (and the gateway) read.

Payloads never carry secrets: client keys travel only as their SHA-256 hash, which the
gateway uses to drop a revoked key from its cache.
"""

from __future__ import annotations

import uuid
from typing import Any

from identity.repositories.catalogue_tables import PartySkillSet, SkillSet, Template, TenantConfig
from identity.repositories.tables import Client, Party, Session, Tenant, User
from proximity.events.envelope import Event


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def tenant_created(tenant: Tenant) -> Event:
    return Event(
        type="identity.tenant.created",
        tenant_id=tenant.id,
        aggregate_id=str(tenant.id),
        version=tenant.version,
        data={"id": str(tenant.id), "name": tenant.name},
    )


def client_created(client: Client) -> Event:
    return Event(
        type="identity.client.created",
        tenant_id=client.tenant_id,
        aggregate_id=str(client.id),
        data={"client_id": str(client.id), "name": client.name, "key_hash": client.key_hash},
    )


def client_revoked(client: Client) -> Event:
    return Event(
        type="identity.client.revoked",
        tenant_id=client.tenant_id,
        aggregate_id=str(client.id),
        data={"client_id": str(client.id), "key_hash": client.key_hash},
    )


def party_state(party: Party) -> dict[str, Any]:
    """A party's state as every ``identity.party.*`` event carries it (consumers tolerate new keys)."""
    return {
        "id": str(party.id),
        "base_type": party.base_type,
        "type_id": str(party.type_id) if party.type_id else None,
        "first_name": party.first_name,
        "last_name": party.last_name,
        "email": party.email,
        "phone": party.phone,
        "avatar_media_id": str(party.avatar_media_id) if party.avatar_media_id else None,
        "avatar_url": party.avatar_url,
        "job_title_id": str(party.job_title_id) if party.job_title_id else None,
        "addresses": party.addresses,
        "profile": party.profile,
        "created_at": _iso(party.created_at),
        "updated_at": _iso(party.updated_at),
        "suspended_at": _iso(party.suspended_at),
        "deleted_at": _iso(party.deleted_at),
    }


def _party_event(verb: str, party: Party) -> Event:
    return Event(
        type=f"identity.party.{verb}",
        tenant_id=party.tenant_id,
        aggregate_id=str(party.id),
        version=party.version,
        data=party_state(party),
    )


def party_created(party: Party) -> Event:
    return _party_event("created", party)


def party_updated(party: Party) -> Event:
    return _party_event("updated", party)


def party_suspended(party: Party) -> Event:
    return _party_event("suspended", party)


def party_reactivated(party: Party) -> Event:
    """A suspended party made active again (``suspended_at`` set to null)."""
    return _party_event("reactivated", party)


def party_deleted(party: Party) -> Event:
    return _party_event("deleted", party)


def party_restored(party: Party) -> Event:
    """A deleted party brought back (``deleted_at`` set to null)."""
    return _party_event("restored", party)


def user_created(user: User) -> Event:
    return Event(
        type="identity.user.created",
        tenant_id=user.tenant_id,
        aggregate_id=str(user.id),
        version=user.version,
        data={"id": str(user.id), "party_id": str(user.party_id), "is_system_admin": user.is_system_admin},
    )


def user_locked(user_id: uuid.UUID, tenant_id: uuid.UUID, locked_until: Any) -> Event:
    return Event(
        type="identity.user.locked",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id), "locked_until": _iso(locked_until)},
    )


def session_started(session: Session) -> Event:
    return Event(
        type="identity.session.started",
        tenant_id=session.tenant_id,
        aggregate_id=str(session.id),
        data={"session_id": str(session.id), "user_id": str(session.user_id)},
    )


def session_revoked(session: Session) -> Event:
    return Event(
        type="identity.session.revoked",
        tenant_id=session.tenant_id,
        aggregate_id=str(session.id),
        data={
            "session_id": str(session.id),
            "user_id": str(session.user_id),
            "reason": session.revoked_reason,
        },
    )


def tenant_updated(tenant: Tenant) -> Event:
    return Event(
        type="identity.tenant.updated",
        tenant_id=tenant.id,
        aggregate_id=str(tenant.id),
        version=tenant.version,
        data={"id": str(tenant.id), "name": tenant.name},
    )


def _skillset(skillset: SkillSet, verb: str) -> Event:
    return Event(
        type=f"identity.skillset.{verb}",
        tenant_id=skillset.tenant_id,
        aggregate_id=str(skillset.id),
        version=skillset.version,
        data={
            "id": str(skillset.id),
            "name": skillset.name,
            "type_id": str(skillset.type_id) if skillset.type_id else None,
            "category_id": str(skillset.category_id) if skillset.category_id else None,
            "suspended_at": _iso(skillset.suspended_at),
            "deleted_at": _iso(skillset.deleted_at),
        },
    )


def skillset_created(skillset: SkillSet) -> Event:
    return _skillset(skillset, "created")


def skillset_updated(skillset: SkillSet) -> Event:
    return _skillset(skillset, "updated")


def skillset_deleted(skillset: SkillSet) -> Event:
    return _skillset(skillset, "deleted")


def party_skillset_updated(pair: PartySkillSet) -> Event:
    """One pair's new state; ``deleted_at`` set means the party no longer holds the skillset."""
    return Event(
        type="identity.party_skillset.updated",
        tenant_id=pair.tenant_id,
        aggregate_id=f"{pair.party_id}:{pair.skillset_id}",
        data={
            "party_id": str(pair.party_id),
            "skillset_id": str(pair.skillset_id),
            "effective_at": _iso(pair.effective_at),
            "expires_at": _iso(pair.expires_at),
            "deleted_at": _iso(pair.deleted_at),
        },
    )


def config_updated(config: TenantConfig) -> Event:
    return Event(
        type="identity.config.updated",
        tenant_id=config.tenant_id,
        aggregate_id=f"{config.tenant_id}:{config.section}",
        version=config.version,
        data={"section": config.section, "entries": config.entries},
    )


def template_created(template: Template) -> Event:
    return Event(
        type="identity.template.created",
        tenant_id=template.tenant_id,
        aggregate_id=str(template.id),
        data={"id": str(template.id), "name": template.name, "type_id": str(template.type_id)},
    )


def password_reset_requested(user_id: uuid.UUID, tenant_id: uuid.UUID) -> Event:
    """A reset email is on its way; the token itself is never in an event."""
    return Event(
        type="identity.user.password_reset_requested",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id)},
    )


def password_changed(user_id: uuid.UUID, tenant_id: uuid.UUID, *, reason: str) -> Event:
    return Event(
        type="identity.user.password_changed",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id), "reason": reason},
    )


def guest_login_requested(user_id: uuid.UUID, tenant_id: uuid.UUID, domain: str) -> Event:
    return Event(
        type="identity.user.guest_login_requested",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id), "domain": domain},
    )


def user_updated(user: User, *, username: str | None, allow_sso: bool) -> Event:
    return Event(
        type="identity.user.updated",
        tenant_id=user.tenant_id,
        aggregate_id=str(user.id),
        version=user.version,
        data={
            "id": str(user.id),
            "party_id": str(user.party_id),
            "is_system_admin": user.is_system_admin,
            "allow_otp": user.allow_otp,
            "allow_sso": allow_sso,
            "username": username,
            "suspended_at": _iso(user.suspended_at),
            "deleted_at": _iso(user.deleted_at),
        },
    )


def user_settings_updated(user: User, *, version: int, settings: dict[str, str]) -> Event:
    """The settings only: the legacy ``application_state`` is the client's own, never shared."""
    return Event(
        type="identity.user_settings.updated",
        tenant_id=user.tenant_id,
        aggregate_id=str(user.id),
        version=version,
        data={"user_id": str(user.id), "party_id": str(user.party_id), "settings": settings},
    )


def favorites_updated(tenant_id: uuid.UUID, party_id: uuid.UUID, changes: list[dict[str, Any]]) -> Event:
    """``changes``: the favorites of one request, each with ``deleted_at`` set if removed."""
    return Event(
        type="identity.favorites.updated",
        tenant_id=tenant_id,
        aggregate_id=str(party_id),
        data={"party_id": str(party_id), "favorites": changes},
    )


def email_otp_requested(user_id: uuid.UUID, tenant_id: uuid.UUID) -> Event:
    """A code is on its way by email; the code itself is never in an event."""
    return Event(
        type="identity.user.email_otp_requested",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id)},
    )


def second_factor_changed(user_id: uuid.UUID, tenant_id: uuid.UUID, factor: str, change: str) -> Event:
    """``factor``: totp | email_otp | recovery_codes; ``change``: enrolled | enabled | disabled |
    regenerated. Never a secret or a code."""
    return Event(
        type="identity.user.second_factor_changed",
        tenant_id=tenant_id,
        aggregate_id=str(user_id),
        data={"user_id": str(user_id), "factor": factor, "change": change},
    )
