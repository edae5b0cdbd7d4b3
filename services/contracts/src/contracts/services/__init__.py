"""Use cases of the contracts service."""
