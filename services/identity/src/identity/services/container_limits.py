"""What the container this process runs in may use: CPUs and memory, from the cgroup when
there is one (Kubernetes and Docker limits), else the host's."""

from __future__ import annotations

import os
from pathlib import Path

# cgroup v1 reports "no limit" as a number near 2**63 rather than "max".
_UNLIMITED = 1 << 60
_V2_MEMORY = Path("/sys/fs/cgroup/memory.max")
_V1_MEMORY = Path("/sys/fs/cgroup/memory/memory.limit_in_bytes")


def _limit_in(path: Path) -> int | None:
    try:
        raw = path.read_text().strip()
    except OSError:
        return None
    if raw == "max" or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value < _UNLIMITED else None


def memory_limit_bytes(v2: Path = _V2_MEMORY, v1: Path = _V1_MEMORY) -> int | None:
    """The cgroup's memory limit, or None when the process may use all the host has."""
    return _limit_in(v2) if v2.exists() else _limit_in(v1)


def cpu_count() -> int:
    """CPUs this process may be scheduled on (an affinity mask narrows the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
