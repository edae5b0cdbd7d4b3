"""Request and response bodies of the contracts routes."""
