"""``GET /parties`` of two versions of identity side by side, on one loaded database.

Starts identity from this tree and from ``--base`` (another tree of the repository, e.g.
``git archive <commit> | tar -x -C /tmp/base``) on the same database, and sends each case's
requests to both in turn (the order alternating), so both see the same load of a shared
machine: the difference of their p50s is the change's effect, even when the absolute figures
move with the machine's load.

    export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/party_list.py --sizes 100000 --only "by id" --keep   # prints the name
    .venv/bin/python bench/party_list_ab.py --database bench_party_list_… --base /tmp/base
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from party_list import ADMIN, DEMO_KEY, cases, deep, identity_server  # type: ignore[import-not-found]
from proximity.devstack.embedded import embedded_nats, libpq_url


def _login(http: httpx.Client) -> dict[str, str]:
    login = http.post("/auth/login", headers={"X-Client-Key": DEMO_KEY}, json=ADMIN)
    login.raise_for_status()
    return {"X-Client-Key": DEMO_KEY, "Authorization": login.json()["data"]["access_token"]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", required=True, help="a database bench/party_list.py --keep left")
    parser.add_argument("--base", required=True, type=Path, help="the tree of the version to compare with")
    parser.add_argument("--requests", type=int, default=60, help="measured requests per case and version")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the cases whose label contains this")
    args = parser.parse_args()
    base_path = f"{args.base / 'libs' / 'src'}{os.pathsep}{args.base / 'services' / 'identity' / 'src'}"
    database_url = _url(args.database)
    with psycopg.connect(libpq_url(database_url)) as connection:
        row = connection.execute("SELECT tenant_id FROM clients ORDER BY created_at LIMIT 1").fetchone()
        assert row is not None
        tenant = uuid.UUID(str(row[0]))
    chosen = [c for c in cases(database_url, tenant) if args.only in c.label]
    with (
        tempfile.TemporaryDirectory(prefix="proximity-bench-") as tmp,
        embedded_nats(Path(tmp) / "nats") as nats,
        contextlib.ExitStack() as stack,
    ):
        # The child imports the base tree first: PYTHONPATH comes before the editable installs.
        os.environ["PYTHONPATH"] = base_path
        base_url = stack.enter_context(identity_server(database_url, nats, Path(tmp) / "base.log"))
        del os.environ["PYTHONPATH"]
        new_url = stack.enter_context(identity_server(database_url, nats, Path(tmp) / "new.log"))
        clients = {
            "base": stack.enter_context(httpx.Client(base_url=base_url, timeout=60)),
            "new": stack.enter_context(httpx.Client(base_url=new_url, timeout=60)),
        }
        headers = {who: _login(http) for who, http in clients.items()}
        print(f"{'case':<40}{'base p50':>10}{'new p50':>10}{'delta':>8}")
        for case in chosen:
            path = dict(case.params).get("__path__", "/parties")
            params = [(k, v) for k, v in case.params if not k.startswith("__")]
            sent = {who: list(params) for who in clients}
            if depth := dict(case.params).get("__depth__"):
                for who, http in clients.items():
                    sent[who] += deep(http, headers[who], params, int(depth))
            took: dict[str, list[float]] = {who: [] for who in clients}
            for i in range(args.warmup + args.requests):
                for who in ("base", "new") if i % 2 else ("new", "base"):
                    started = time.perf_counter()
                    response = clients[who].get(path, params=sent[who], headers=headers[who])
                    elapsed = time.perf_counter() - started
                    response.raise_for_status()
                    if i >= args.warmup:
                        took[who].append(elapsed * 1000)
            base, new = statistics.median(took["base"]), statistics.median(took["new"])
            print(f"{case.label:<40}{base:>10.2f}{new:>10.2f}{new - base:>8.2f}", flush=True)
    return 0


def _url(database: str) -> str:
    """``DATABASE_URL`` with its database replaced by ``database``."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        raise SystemExit("set DATABASE_URL to the server bench/party_list.py used")
    return f"{server.rsplit('/', 1)[0]}/{database}"


if __name__ == "__main__":
    sys.exit(main())
