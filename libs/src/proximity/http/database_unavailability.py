"""Database failures that are a dependency being unavailable, not a fault of the request or
of the code: no pooled connection within the pool timeout, a statement PostgreSQL cancelled
at ``statement_timeout``, a server refusing or dropping connections (shutting down, too many
clients, unreachable). The client is told to retry (503 with ``Retry-After``), not that the
service crashed; what a client's value caused is ``database_refusals``.
"""

from __future__ import annotations

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# 57014 query_canceled (the statement timeout); 57P01-57P03 the server shutting down or
# starting; 53300 too many connections; class 08 a connection that failed or was dropped.
_UNAVAILABLE_SQLSTATES = {"57014": "statement timeout", "57P01": "server shutdown", "57P02": "server crash"}
_UNAVAILABLE_SQLSTATES |= {"57P03": "server starting", "53300": "too many connections"}


def _of_driver(error: BaseException | None) -> str | None:
    if not isinstance(error, psycopg.Error):
        return None
    sqlstate = error.sqlstate
    if sqlstate is not None:
        if sqlstate.startswith("08"):
            return "connection failure"
        return _UNAVAILABLE_SQLSTATES.get(sqlstate)
    # Without a SQLSTATE, an OperationalError is libpq's: connection refused, closed, reset.
    return "connection failure" if isinstance(error, psycopg.OperationalError) else None


def database_unavailability(error: BaseException) -> str | None:
    """Why the database could not answer (for the log line), or None when ``error`` is not a
    dependency being unavailable."""
    if isinstance(error, PoolTimeout):
        return "pool timeout"
    if isinstance(error, DBAPIError):
        return _of_driver(error.orig)
    return _of_driver(error)
