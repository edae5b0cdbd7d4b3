"""``python -m proximity.devstack run|migrate`` (what ``make run`` / ``make migrate`` call)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from proximity.devstack.stack import migrate, run


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m proximity.devstack")
    parser.add_argument("command", choices=["run", "migrate"])
    parser.add_argument("--stack", type=Path, default=Path("deploy/dev-stack.toml"))
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("PROXIMITY_DATA_DIR", ".data")))
    parser.add_argument("--log-dir", type=Path, default=None, help="write each process's log here")
    args = parser.parse_args()
    data_dir = args.data_dir.resolve()
    if args.command == "migrate":
        return migrate(args.stack, data_dir)
    return run(args.stack, data_dir, log_dir=args.log_dir)


if __name__ == "__main__":
    sys.exit(main())
