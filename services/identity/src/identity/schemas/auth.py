"""Request bodies and answers of the authentication endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from identity.domain.desktop_id import MAX_LENGTH as MAX_DESKTOP_ID_LENGTH


class LoginRequest(BaseModel):
    """Email and password; a desktop tool that does not know the email sends its desktop id,
    looked up when no email matches (seed 002)."""

    # The validator below (an email that is not empty, or a desktop id), for the document.
    model_config = ConfigDict(
        extra="ignore",
        str_strip_whitespace=False,
        json_schema_extra={
            "anyOf": [
                {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
                {"required": ["desktop_id"], "properties": {"desktop_id": {"type": "string"}}},
            ]
        },
    )

    email: str | None = Field(default=None, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    desktop_id: str | None = Field(default=None, min_length=1, max_length=MAX_DESKTOP_ID_LENGTH)

    @model_validator(mode="after")
    def _someone(self) -> LoginRequest:
        if not self.email and not self.desktop_id:
            raise ValueError("Give email (or desktop_id).")
        return self


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


# As ``identity.domain.second_factor.METHODS`` (a unit test keeps the two equal).
SecondFactorMethod = Literal["totp", "email_otp", "recovery_code"]


class TokensView(BaseModel):
    """A session's tokens: the access token for ``Authorization``, the refresh token (single
    use) for ``POST /auth/refresh``."""

    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the access token is valid for.")


class SecondStepView(BaseModel):
    """The password was right and the user has a second factor: no tokens yet. The challenge
    (single use, a few minutes) goes to ``POST /auth/login/second-factor`` with a code."""

    second_factor_required: Literal[True]
    challenge: str
    methods: list[SecondFactorMethod] = Field(description="The methods the user can finish the login with.")


class LoginView(RootModel[TokensView | SecondStepView]):
    """Tokens, or the second step a user with a second factor must take first."""
