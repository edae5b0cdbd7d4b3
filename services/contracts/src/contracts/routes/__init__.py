"""HTTP routes of the contracts service (seed 004 "Contracts")."""
