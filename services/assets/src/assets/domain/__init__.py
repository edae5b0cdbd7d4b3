"""The rules assets must keep: where a type may sit, what it may carry, valid geography.
No Starlette, SQL or NATS here."""
