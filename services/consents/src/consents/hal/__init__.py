"""Seed 001's HAL conventions: ``_id``, ``_profile``, ``_links``, ``_embedded`` and ``_error``."""
