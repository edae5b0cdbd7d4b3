"""Which database errors are the client's value (a 400) and which are the service's own fault
(still a 500): the classification, on the errors psycopg and SQLAlchemy raise."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors as pg
from sqlalchemy.exc import DBAPIError

from proximity.http.database_refusals import database_refusal


def wrapped(error: Exception) -> DBAPIError:
    """``error`` as SQLAlchemy raises it (``DataError`` for a ``psycopg.DataError``...)."""
    found = DBAPIError.instance("SELECT 1", {}, error, psycopg.Error)
    assert isinstance(found, DBAPIError)
    return found


@pytest.mark.parametrize(
    ("error", "sqlstate", "problem"),
    [
        (pg.NumericValueOutOfRange("integer out of range"), "22003", "a number is out of range"),
        (pg.StringDataRightTruncation("value too long"), "22001", "a text is longer than its field allows"),
        (pg.UntranslatableCharacter("unsupported Unicode escape"), "22P05", "cannot be stored"),
        (pg.InvalidTextRepresentation('invalid input syntax for type uuid: "x"'), "22P02", "form"),
        (pg.DatetimeFieldOverflow("date/time field value out of range"), "22008", "date or time"),
        (pg.InvalidEscapeSequence("LIKE pattern must not end with escape character"), "22025", "escape"),
        (pg.ProgramLimitExceeded("index row size 6048 exceeds btree maximum"), "54000", "too large"),
        (pg.InvalidParameterValue("whatever"), "22023", "not one the database can hold"),
    ],
)
def test_data_errors_are_the_clients_value(error: Exception, sqlstate: str, problem: str) -> None:
    refusal = database_refusal(wrapped(error))

    assert refusal is not None
    assert refusal.sqlstate == sqlstate
    assert problem in refusal.problem


def test_psycopg_refusing_nul_before_sending_is_named() -> None:
    refusal = database_refusal(
        wrapped(psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    )

    assert refusal is not None
    assert refusal.sqlstate is None
    assert refusal.problem == "a text holds the NUL character"


def test_psycopg_refusing_to_read_a_value_back_is_a_refusal_too() -> None:
    refusal = database_refusal(wrapped(psycopg.DataError("timestamp too large (after year 10K): 'x'")))

    assert refusal is not None
    assert "'x'" not in refusal.problem


def test_a_list_too_long_for_libpq_to_bind_is_the_clients() -> None:
    error = psycopg.OperationalError(
        "sending query and params failed: number of parameters must be between 0 and 65535"
    )

    refusal = database_refusal(wrapped(error))

    assert refusal is not None
    assert refusal.problem == "a list holds too many values to match at once"


def test_an_unwrapped_psycopg_error_is_classified_the_same() -> None:
    assert database_refusal(pg.NumericValueOutOfRange("bigint out of range")) is not None


def test_a_lone_surrogate_psycopg_cannot_encode_is_the_clients() -> None:
    try:
        "a\ud800b".encode("utf-8")
    except UnicodeEncodeError as error:
        refusal = database_refusal(error)

    assert refusal is not None
    assert refusal.problem == "a text holds a lone surrogate"


@pytest.mark.parametrize(
    "error",
    [
        wrapped(pg.UndefinedTable('relation "x" does not exist')),
        wrapped(pg.SyntaxError("syntax error at or near")),
        wrapped(pg.StatementTooComplex("stack depth limit exceeded")),  # 54001: our query
        wrapped(pg.UniqueViolation("duplicate key")),
        wrapped(psycopg.OperationalError("connection lost")),
        UnicodeEncodeError("ascii", "é", 0, 1, "ordinal not in range(128)"),
        RuntimeError("a bug"),
    ],
)
def test_anything_else_is_the_services_own_fault(error: Exception) -> None:
    assert database_refusal(error) is None
