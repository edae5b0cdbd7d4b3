"""Database errors that are the client's value, not the service's fault.

The checks at the edge (bodies, query strings, paths) refuse what is known to break; this is
the safety net for whatever still reaches PostgreSQL: a psycopg ``DataError`` (SQLSTATE class
22: a number out of range, a text too long, an untranslatable character, an invalid text
representation, a date-time overflow; or psycopg's own refusal of NUL), a value too large for
an index row (54000), a list too long to bind (libpq takes at most 65535 parameters), and a
lone surrogate psycopg cannot encode. Each is described without the value itself: messages
from PostgreSQL quote it, and it may be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from sqlalchemy.exc import DBAPIError

_PROBLEMS = {
    "22001": "a text is longer than its field allows",
    "22003": "a number is out of range",
    "22007": "a date or time is malformed",
    "22008": "a date or time is out of range",
    "22009": "a time zone offset is out of range",
    "22021": "a text holds a character that cannot be stored",
    "22P05": "a text holds a character that cannot be stored",
    "22P02": "a value does not have the form its field needs",
    "22025": "a pattern ends in or holds an invalid escape",
    "2201B": "a pattern is not a valid regular expression",
    "22012": "a value leads to a division by zero",
    "54000": "a value is too large to be stored",
}
_OTHER_DATA_PROBLEM = "a value is not one the database can hold"
# libpq's refusal, before sending, of a statement with more parameters than its protocol
# carries: a client's list (``type=a|b|...``, ids) longer than any query can match at once.
_TOO_MANY_PARAMETERS = "number of parameters must be between 0 and 65535"


@dataclass(frozen=True, slots=True)
class DatabaseRefusal:
    """What the database refused: a SQLSTATE (None when psycopg refused before sending) and
    a description fit for the client, and the column when PostgreSQL names one."""

    sqlstate: str | None
    problem: str
    column: str | None = None


def _of_driver(error: BaseException | None) -> DatabaseRefusal | None:
    if not isinstance(error, psycopg.Error):
        return None
    sqlstate = error.sqlstate
    if (
        isinstance(error, psycopg.OperationalError)
        and sqlstate is None
        and _TOO_MANY_PARAMETERS in str(error)
    ):
        return DatabaseRefusal(None, "a list holds too many values to match at once")
    # 54000 is "program limit exceeded" proper (index row size, jsonb size), not 540xx's
    # statements too complex for the server, which would be ours.
    if not isinstance(error, psycopg.DataError) and sqlstate != "54000":
        return None
    if sqlstate is None:
        text = str(error)
        problem = "a text holds the NUL character" if "NUL" in text else _OTHER_DATA_PROBLEM
        return DatabaseRefusal(None, problem)
    column = error.diag.column_name if error.diag is not None else None
    return DatabaseRefusal(sqlstate, _PROBLEMS.get(sqlstate, _OTHER_DATA_PROBLEM), column)


def database_refusal(error: BaseException) -> DatabaseRefusal | None:
    """The client's value ``error`` reports, or None when ``error`` is the service's own fault."""
    if isinstance(error, DBAPIError):
        return _of_driver(error.orig)
    if isinstance(error, psycopg.Error):
        return _of_driver(error)
    if (
        isinstance(error, UnicodeEncodeError)
        and error.reason == "surrogates not allowed"
        and error.encoding.replace("-", "").lower() == "utf8"
    ):
        return DatabaseRefusal(None, "a text holds a lone surrogate")
    return None
