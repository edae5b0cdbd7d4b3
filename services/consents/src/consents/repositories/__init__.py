"""Tables and tenant-scoped queries of the consents context."""
