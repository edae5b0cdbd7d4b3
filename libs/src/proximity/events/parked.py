"""The operator's view of parked messages, against a service's database::

    python -m proximity.events.parked list [--consumer NAME] [--all]
    python -m proximity.events.parked show ID
    python -m proximity.events.parked replay ID [ID ...]
    python -m proximity.events.parked replay --consumer NAME

``DATABASE_URL`` (or ``--database-url``) names the service's database. ``replay`` only asks:
the running consumer of that name replays the message within its replay interval
(``EVENTS_REPLAY_POLL_SECONDS``) and records ``replayed_at``, or the new reason it failed;
``list`` shows which.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import TextIO

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from proximity.db.engine import build_engine, build_sessionmaker
from proximity.events.parking import parked_messages, request_replay
from proximity.events.tables import ParkedMessage


def _state(row: ParkedMessage) -> str:
    if row.replayed_at is not None:
        return f"replayed {row.replayed_at.isoformat(timespec='seconds')}"
    if row.replay_requested_at is not None:
        return "replay requested"
    return "parked"


def _listed(rows: Sequence[ParkedMessage], out: TextIO) -> None:
    if not rows:
        print("no parked messages", file=out)
        return
    for row in rows:
        print(
            f"{row.id}\t{row.consumer}\t{row.subject}\t{row.stream}#{row.stream_sequence}\t"
            f"{row.deliveries} deliveries\t{row.parked_at.isoformat(timespec='seconds')}\t"
            f"{_state(row)}\t{row.reason}",
            file=out,
        )


def _shown(row: ParkedMessage, out: TextIO) -> None:
    try:
        payload: object = orjson.loads(row.payload)
    except orjson.JSONDecodeError:
        payload = row.payload.decode("utf-8", errors="replace")  # the malformed message as it came
    described = {
        "id": row.id,
        "consumer": row.consumer,
        "stream": row.stream,
        "stream_sequence": row.stream_sequence,
        "subject": row.subject,
        "event_id": str(row.event_id) if row.event_id else None,
        "deliveries": row.deliveries,
        "reason": row.reason,
        "parked_at": row.parked_at.isoformat(),
        "replay_requested_at": row.replay_requested_at.isoformat() if row.replay_requested_at else None,
        "replayed_at": row.replayed_at.isoformat() if row.replayed_at else None,
        "payload": payload,
    }
    out.write(orjson.dumps(described, option=orjson.OPT_INDENT_2).decode() + "\n")


async def _run(args: argparse.Namespace, session: AsyncSession, out: TextIO) -> int:
    if args.command == "list":
        rows = await parked_messages(
            session, consumer=args.consumer, include_replayed=args.all, limit=args.limit
        )
        _listed(rows, out)
        return 0
    if args.command == "show":
        row = await session.get(ParkedMessage, args.id)
        if row is None:
            print(f"no parked message {args.id}", file=sys.stderr)
            return 1
        _shown(row, out)
        return 0
    if not args.ids and args.consumer is None:
        print("name the messages (ids) or --consumer", file=sys.stderr)
        return 2
    async with session.begin():
        marked = await request_replay(session, ids=args.ids, consumer=args.consumer)
    if not marked:
        print("nothing to replay (unknown ids, or replayed already)", file=sys.stderr)
        return 1
    print(f"replay requested: {' '.join(str(i) for i in marked)}", file=out)
    return 0


async def run(argv: Sequence[str], out: TextIO = sys.stdout) -> int:
    args = _parser().parse_args(argv)
    if not args.database_url:
        print("DATABASE_URL is not set", file=sys.stderr)
        return 2
    engine = build_engine(args.database_url, pool_size=1)
    try:
        async with build_sessionmaker(engine)() as session:
            return await _run(args, session, out)
    finally:
        await engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m proximity.events.parked", description="List, show and replay parked messages."
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="parked messages, oldest first")
    listing.add_argument("--consumer")
    listing.add_argument("--all", action="store_true", help="with those replayed already")
    listing.add_argument("--limit", type=int, default=100)
    showing = commands.add_parser("show", help="one message, with its payload")
    showing.add_argument("id", type=int)
    replaying = commands.add_parser("replay", help="ask the running consumer to replay")
    replaying.add_argument("ids", type=int, nargs="*")
    replaying.add_argument("--consumer", help="every parked message of this consumer")
    return parser


def main() -> None:
    raise SystemExit(asyncio.run(run(sys.argv[1:])))


if __name__ == "__main__":
    main()
