"""Dynamic field types and what each one's ``config`` may say (seed 004 "Dynamic Fields").

| type | config |
| --- | --- |
| text | ``max`` (characters, 1..10000), ``multiline`` |
| number | ``min``, ``max`` (integers, min <= max), ``scalefactor`` (0..9 decimal places) |
| dateOnly, dateTime, checkbox | nothing |
| dropdown, multiselect | ``options``: ``[{key, value}]``, 1..500, keys unique |

Numbers are stored as integers: a value of 1234 with ``scalefactor`` 2 reads as 12.34, and
``min`` / ``max`` are in the same stored units.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

FieldType = Literal["text", "number", "dateOnly", "dateTime", "dropdown", "multiselect", "checkbox"]
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
ObjectType = Literal["asset", "contract", "service", "party"]
OBJECT_TYPES: tuple[str, ...] = get_args(ObjectType)
BIG = 2**63 - 1


class TextConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max: int = Field(default=150, ge=1, le=10_000)
    multiline: bool = False


class NumberConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: int | None = Field(default=None, ge=-BIG, le=BIG)
    max: int | None = Field(default=None, ge=-BIG, le=BIG)
    scalefactor: int = Field(default=0, ge=0, le=9)

    @model_validator(mode="after")
    def _ordered(self) -> NumberConfig:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be greater than max")
        return self


class NoConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    value: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class OptionsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    options: list[Option] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique_keys(self) -> OptionsConfig:
        keys = [option.key for option in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError("option keys must be unique")
        if any("," in key for key in keys):
            raise ValueError("option keys cannot hold ',' (multiselect values are comma separated)")
        return self


CONFIGS: dict[str, type[BaseModel]] = {
    "text": TextConfig,
    "number": NumberConfig,
    "dateOnly": NoConfig,
    "dateTime": NoConfig,
    "dropdown": OptionsConfig,
    "multiselect": OptionsConfig,
    "checkbox": NoConfig,
}


def checked_config(field_type: str, config: dict[str, Any]) -> dict[str, Any]:
    """The config as stored (defaults filled in); ValueError / ValidationError when it breaks
    its type's schema."""
    return CONFIGS[field_type].model_validate(config).model_dump()
