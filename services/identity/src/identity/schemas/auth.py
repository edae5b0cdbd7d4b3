"""Request bodies of the authentication endpoints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from identity.domain.desktop_id import MAX_LENGTH as MAX_DESKTOP_ID_LENGTH


class LoginRequest(BaseModel):
    """Email and password; a desktop tool that does not know the email sends its desktop id,
    looked up when no email matches (seed 002)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

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
