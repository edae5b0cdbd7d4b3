"""Request bodies and answers of the second-factor endpoints and of the login's second step."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from identity.domain.password_policy import MAX_LENGTH

# Six digits, or a recovery code with its dashes: anything much longer is not a code.
MAX_CODE_LENGTH = 64
MAX_CHALLENGE_LENGTH = 200


class CodeBody(BaseModel):
    code: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)


class TotpDisable(BaseModel):
    """Either the current code or the password proves the caller is the user."""

    # The validator below (exactly one of the two given, not null), for the document.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["code"], "properties": {"code": {"type": "string"}}},
                {"required": ["password"], "properties": {"password": {"type": "string"}}},
            ]
        }
    )

    code: str | None = Field(default=None, min_length=1, max_length=MAX_CODE_LENGTH)
    password: str | None = Field(default=None, min_length=1, max_length=MAX_LENGTH)

    @model_validator(mode="after")
    def _one_proof(self) -> TotpDisable:
        if (self.code is None) == (self.password is None):
            raise ValueError("Give either code or password.")
        return self


class SecondFactorLogin(BaseModel):
    challenge: str = Field(min_length=1, max_length=MAX_CHALLENGE_LENGTH)
    method: Literal["totp", "email_otp", "recovery_code"]
    code: str = Field(min_length=1, max_length=MAX_CODE_LENGTH)


class TotpEnrolmentView(BaseModel):
    """The new secret, shown this once: for an authenticator app, typed or as the URI (a QR
    code). It works once ``PUT /auth/totp`` has confirmed a first code."""

    secret: str = Field(description="Base32.")
    provisioning_uri: str = Field(description="``otpauth://totp/...``")
    status: Literal["pending"]


class FactorEnabledView(BaseModel):
    status: Literal["enabled"]


class CodeSentView(BaseModel):
    sent: Literal[True]


class RecoveryCodesView(BaseModel):
    """Ten codes, shown this once, replacing any before them; each finishes one login."""

    recovery_codes: list[str] = Field(description="``XXXX-XXXX-XXXX-XXXX``")
