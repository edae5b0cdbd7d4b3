"""What the consents context publishes."""
