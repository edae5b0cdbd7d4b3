"""The safety net against real PostgreSQL: a value that slips past the checks at the edge and
is refused by the database (SQLSTATE class 22, an index row too large, NUL, a lone surrogate)
is a 400 ``eValidationError`` in the app's own error shape, logged as a warning without the
value; the service's own database faults stay 500s. A tiny table of the test's own."""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from proximity import errors as e
from proximity.http.app import build_app
from proximity.http.body import read_model
from proximity.http.responses import created, one
from proximity.observability.health import ReadinessCheck

SECRET = "s3cret-gauge-value"


class Gauge(BaseModel):
    reading: int  # within a bigint, so the body passes; the column is a 4-byte integer
    label: str  # the column holds 5 characters
    note: str = ""


@contextlib.asynccontextmanager
async def no_lifespan(app: Starlette) -> AsyncIterator[None]:
    yield


def readiness() -> Mapping[str, ReadinessCheck]:
    return {}


def gauges_app(engine: AsyncEngine) -> Starlette:
    async def create_gauge(request: Request) -> Response:
        gauge = await read_model(request, Gauge)
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO gauges (reading, label, note) VALUES (:reading, :label, :note)"),
                gauge.model_dump(),
            )
        return created(gauge.model_dump())

    async def create_raw_note(request: Request) -> Response:
        # Past every check at the edge: the body's text as it came, NUL and surrogates included.
        note = (await request.body()).decode("utf-8", "surrogatepass")
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO gauges (reading, label, note) VALUES (1, 'raw', :note)"), {"note": note}
            )
        return created({})

    async def index_note(request: Request) -> Response:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO indexed_notes (note) VALUES (:note)"),
                {"note": request.query_params["note"]},
            )
        return created({})

    async def page_of_gauges(request: Request) -> Response:
        offset = int(request.query_params["offset"])  # unbounded, unlike the shared list query
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT reading FROM gauges OFFSET :offset"), {"offset": offset}
            )
        return one([row.reading for row in rows])

    async def gauge_by_id(request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT CAST(:id AS uuid)"), {"id": request.path_params["id"]})
        return one({})

    async def stored_instant(request: Request) -> Response:
        # PostgreSQL holds it; psycopg cannot read it back into a Python datetime.
        async with engine.connect() as connection:
            await connection.execute(text("SELECT CAST('10000-01-01T00:00:00Z' AS timestamptz)"))
        return one({})

    async def gauges_named(request: Request) -> Response:
        names = (await request.body()).decode().split("|")  # as many as the client sends
        placeholders = ",".join(["%s"] * len(names))
        async with engine.connect() as connection:
            await connection.exec_driver_sql(
                f"SELECT 1 FROM gauges WHERE label IN ({placeholders})",  # noqa: S608 - placeholders only
                tuple(names),
            )
        return one({})

    async def broken(request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT * FROM no_such_table"))
        return one({})

    return build_app(
        service="gauges",
        routes=[
            Route("/gauges", create_gauge, methods=["POST"]),
            Route("/gauges", page_of_gauges, methods=["GET"]),
            Route("/gauges/{id}", gauge_by_id, methods=["GET"]),
            Route("/raw-notes", create_raw_note, methods=["POST"]),
            Route("/indexed-notes", index_note, methods=["POST"]),
            Route("/instants", stored_instant, methods=["GET"]),
            Route("/named-gauges", gauges_named, methods=["POST"]),
            Route("/broken", broken, methods=["GET"]),
        ],
        lifespan=no_lifespan,
        readiness=readiness,
    )


@pytest.fixture
async def app(engine: AsyncEngine) -> Starlette:
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE gauges (id serial PRIMARY KEY, reading integer, label varchar(5), note text)")
        )
        await connection.execute(text("CREATE TABLE indexed_notes (note text)"))
        await connection.execute(text("CREATE INDEX ix_indexed_notes ON indexed_notes (note)"))
    return gauges_app(engine)


@contextlib.asynccontextmanager
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gauges") as http:
        yield http


def refusal(response: httpx.Response, problem: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["code"] == "eValidationError"
    assert error["fields"] == {"request": problem}
    assert SECRET not in response.text
    found: dict[str, Any] = error
    return found


async def test_a_number_out_of_its_columns_range_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.post("/gauges", json={"reading": 2**40, "label": "a"})

    refusal(response, "a number is out of range")


async def test_a_text_longer_than_its_column_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.post("/gauges", json={"reading": 1, "label": SECRET})

    refusal(response, "a text is longer than its field allows")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"before\x00after", "a text holds the NUL character"),
        (b"lone \xed\xa0\x80", "a text holds a lone surrogate"),
    ],
)
async def test_text_psycopg_cannot_send_is_a_400(app: Starlette, body: bytes, problem: str) -> None:
    async with client(app) as http:
        response = await http.post("/raw-notes", content=body)

    refusal(response, problem)


async def test_an_offset_beyond_a_bigint_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.get("/gauges", params={"offset": str(2**70)})

    refusal(response, "a number is out of range")


async def test_a_value_of_the_wrong_form_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.get(f"/gauges/{SECRET}")

    refusal(response, "a value does not have the form its field needs")


async def test_a_value_too_large_for_its_index_is_a_400(app: Starlette) -> None:
    rnd = random.Random(7)  # random characters, so that PostgreSQL cannot compress the row
    note = "".join(chr(rnd.randrange(0x4E00, 0x9FFF)) for _ in range(2000))
    async with client(app) as http:
        response = await http.post("/indexed-notes", params={"note": note})

    refusal(response, "a value is too large to be stored")


async def test_a_stored_date_time_python_cannot_hold_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.get("/instants")

    refusal(response, "a value is not one the database can hold")


async def test_a_list_longer_than_a_statement_can_bind_is_a_400(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.post("/named-gauges", content="|".join("x" * 65536).encode())

    refusal(response, "a list holds too many values to match at once")


async def test_the_services_own_database_fault_is_still_a_500(app: Starlette) -> None:
    async with client(app) as http:
        response = await http.get("/broken")

    assert response.status_code == 500
    assert response.json()["errors"][0]["code"] == "eInternal"


async def test_the_refusal_is_a_warning_without_the_value(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="proximity.http.errors")
    async with client(app) as http:
        response = await http.post(
            "/gauges", json={"reading": 1, "label": SECRET}, headers={"X-Request-Id": "req-refusal-1"}
        )

    assert response.status_code == 400
    (record,) = [r for r in caplog.records if r.name == "proximity.http.errors"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "database refused a value"
    assert vars(record)["sqlstate"] == "22001"
    assert vars(record)["request_id"] == "req-refusal-1"
    assert SECRET not in repr(vars(record))
    assert record.exc_info is None  # no traceback, whose frames would hold the value


async def test_the_app_renders_the_refusal_in_its_own_shape(app: Starlette) -> None:
    async def own_shape(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, e.ValidationFailed)
        return JSONResponse(
            {"_error": {"type": "validationError", "attributes": exc.fields}}, status_code=400
        )

    app.exception_handlers[e.ProximityError] = own_shape
    async with client(app) as http:
        response = await http.post("/gauges", json={"reading": 2**40, "label": "a"})

    assert response.status_code == 400
    assert response.json() == {
        "_error": {"type": "validationError", "attributes": {"request": "a number is out of range"}}
    }
