"""Recovery codes (seed 002 ``PUT /auth/recovery-codes``): ten new codes, shown once, replacing
any before them; stored as SHA-256 (80 random bits each); each finishes one login."""

from __future__ import annotations

from identity.bootstrap import Collaborators
from identity.domain.second_factor import new_recovery_codes
from identity.events import published
from identity.repositories.second_factor_tables import RecoveryCode
from identity.repositories.second_factors import drop_recovery_codes, factor_for_update
from identity.services.factor_secrets import token_hash
from proximity.auth.claims import Claims


async def regenerate(ctx: Collaborators, claims: Claims) -> list[str]:
    async with ctx.unit_of_work() as uow:
        # The factor row is the per-user lock: two regenerations never leave twenty codes.
        await factor_for_update(uow.session, claims.tenant_id, claims.user_id)
        await drop_recovery_codes(uow.session, claims.tenant_id, claims.user_id)
        codes = new_recovery_codes()
        for code in codes:
            uow.session.add(
                RecoveryCode(code_hash=token_hash(code), tenant_id=claims.tenant_id, user_id=claims.user_id)
            )
        uow.publish(
            published.second_factor_changed(claims.user_id, claims.tenant_id, "recovery_codes", "regenerated")
        )
        await uow.commit()
        return codes
