"""What every tenant starts with: the party types over the two base types, and job titles.

A tenant may add to these later; the defaults only make a new tenant usable at once.
"""

from __future__ import annotations

# (name, base type, description)
DEFAULT_PARTY_TYPES: tuple[tuple[str, str, str], ...] = (
    ("User", "user", "A person who signs in to the system."),
    ("Contact", "contact", "A person on record who does not sign in."),
)
DEFAULT_JOB_TITLES: tuple[str, ...] = ("Manager", "Supervisor", "Technician", "Trainee")
