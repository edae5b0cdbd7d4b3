"""The events contracts publishes and consumes (docs/events.md)."""
