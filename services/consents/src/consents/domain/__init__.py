"""The consents context's rules: state machine, history, matching, list queries, ETags, type names.

Plain Python: no Starlette, SQL or NATS imports, so every rule is unit-tested without I/O.
"""
