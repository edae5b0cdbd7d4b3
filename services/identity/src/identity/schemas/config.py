"""Request bodies of ``PUT /config`` and ``PUT /config/theme``: the shapes ``GET`` shows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

MAX_ENTRIES = 500
Key = Field(min_length=1, max_length=150)
# The document can say entries are distinct; not that they are distinct by key (+ domain or
# locale), which ``_unique`` checks.
DISTINCT: JsonDict = {"uniqueItems": True}
Section = Field(default=None, max_length=MAX_ENTRIES, json_schema_extra=DISTINCT)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def identity(self) -> tuple[str, ...]:
        raise NotImplementedError


class ThemeEntry(_Entry):
    key: str = Key
    value: str = Field(max_length=5000)
    domain: str = Key

    def identity(self) -> tuple[str, ...]:
        return (self.key, self.domain)


class PhraseEntry(_Entry):
    key: str = Key
    value: str = Field(max_length=5000)
    locale: str = Field(min_length=2, max_length=35)

    def identity(self) -> tuple[str, ...]:
        return (self.key, self.locale)


class VocabEntry(_Entry):
    key: str = Key
    locale: str = Field(min_length=2, max_length=35)
    singular: str = Key
    plural: str = Key

    def identity(self) -> tuple[str, ...]:
        return (self.key, self.locale)


class SettingEntry(ThemeEntry):
    pass


def _unique(entries: list[Any] | None, section: str) -> None:
    seen = [entry.identity() for entry in entries or []]
    if len(set(seen)) != len(seen):
        raise ValueError(f"{section}: an entry is given twice for one key")


class ThemeWrite(BaseModel):
    data: list[ThemeEntry] = Field(max_length=MAX_ENTRIES, json_schema_extra=DISTINCT)

    @model_validator(mode="after")
    def _once(self) -> ThemeWrite:
        _unique(self.data, "theme")
        return self


class ConfigWrite(BaseModel):
    """The sections to replace; a section left out keeps its entries. ``permissions``, which
    ``GET /config`` shows, is the caller's and read-only: ignored like any other extra key."""

    theme: list[ThemeEntry] | None = Section
    phrasing: list[PhraseEntry] | None = Section
    vocab: list[VocabEntry] | None = Section
    settings: list[SettingEntry] | None = Section

    @model_validator(mode="after")
    def _once(self) -> ConfigWrite:
        for section in ("theme", "phrasing", "vocab", "settings"):
            _unique(getattr(self, section), section)
        return self

    def sections(self) -> dict[str, list[dict[str, Any]]]:
        given = self.model_dump(exclude_none=True)
        return {section: list(entries) for section, entries in given.items()}


class ConfigView(BaseModel):
    """Every section as the tenant set it, or its defaults (``vocab`` names the system's
    nouns, the others are empty), and the caller's own permissions."""

    theme: list[ThemeEntry]
    phrasing: list[PhraseEntry]
    vocab: list[VocabEntry] = Field(description="Renames of the system's nouns (Assets to Locations ...).")
    settings: list[SettingEntry]
    permissions: list[str] = Field(
        description="The caller's own permissions, not those their groups give; read-only."
    )
