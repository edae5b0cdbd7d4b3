"""The events contracts consumes (docs/events.md). Filled in with the consumers."""

from __future__ import annotations
