"""Proximity consents context: users' consents to policy documents (seed 001, Apiture Consents)."""
