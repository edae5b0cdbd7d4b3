"""The events iam publishes and consumes (docs/events.md)."""
