"""Use cases: load, apply the domain's rules, save, record events; only they commit."""
