"""The consents context's use cases: each opens one unit of work and commits it."""
