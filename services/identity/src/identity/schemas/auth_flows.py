"""Request bodies and answers of password reset (seed 002) and guest login (seed 004)."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from identity.domain.password_policy import MAX_LENGTH

# Tokens are 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class ResetRequest(BaseModel):
    email: str = Field(min_length=1, max_length=320)


class PasswordReset(BaseModel):
    token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)
    # Longer than the policy allows, so an over-long password gets the policy's own message
    # (eInvalidPassword) rather than a generic validation error.
    password: str = Field(min_length=1, max_length=4 * MAX_LENGTH)


class GuestInitiation(BaseModel):
    dk: str = Field(min_length=1, max_length=253)
    email: str = Field(min_length=1, max_length=320)


class GuestConfirmation(BaseModel):
    token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)


class PasswordResetView(BaseModel):
    reset: Literal[True]


class GuestSessionView(BaseModel):
    dk: str = Field(description="The domain key the link was sent for.")
    user_id: uuid.UUID
    email: str = Field(description="The email the link was sent to.")
    app_id: Literal["proximity"]


class GuestLoginView(BaseModel):
    """A guest gets no refresh token: the session lasts as long as the access token."""

    session: GuestSessionView
    access_token: str
