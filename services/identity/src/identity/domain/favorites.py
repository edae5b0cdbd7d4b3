"""What a favorite may be (seed 004, PATCH /parties/{id}/favorites)."""

from __future__ import annotations

from typing import Literal

Category = Literal["heatmap", "entity"]
Kind = Literal["pin", "favorite"]
CATEGORIES: tuple[Category, ...] = ("heatmap", "entity")
KINDS: tuple[Kind, ...] = ("pin", "favorite")
MAX_PER_REQUEST = 50
