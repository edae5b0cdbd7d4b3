"""How many Argon2 hashes may run at once: one per CPU, fewer when the container's memory
limit (cgroup v2, else v1) cannot hold that many 64 MiB hashes with half of it to spare."""

from __future__ import annotations

from pathlib import Path

from identity.services.container_limits import memory_limit_bytes
from identity.services.password_hashing import MEMORY_PER_HASH, default_workers

MiB = 1024 * 1024


def test_each_hash_takes_64_mib() -> None:
    assert 64 * MiB == MEMORY_PER_HASH


def test_one_worker_per_cpu_without_a_memory_limit() -> None:
    assert default_workers(8, None) == 8


def test_a_memory_limit_caps_the_workers_with_half_of_it_spare() -> None:
    assert default_workers(8, 512 * MiB) == 4
    assert default_workers(8, 256 * MiB) == 2
    assert default_workers(2, 4096 * MiB) == 2


def test_at_least_one_worker_however_small_the_limit() -> None:
    assert default_workers(4, 64 * MiB) == 1


def test_the_cgroup_v2_limit_is_read_and_max_means_none(tmp_path: Path) -> None:
    v2, v1 = tmp_path / "memory.max", tmp_path / "limit_in_bytes"
    v2.write_text("536870912\n")
    assert memory_limit_bytes(v2, v1) == 512 * MiB
    v2.write_text("max\n")
    assert memory_limit_bytes(v2, v1) is None


def test_cgroup_v1_is_the_fallback_and_its_huge_number_means_none(tmp_path: Path) -> None:
    v2, v1 = tmp_path / "absent", tmp_path / "limit_in_bytes"
    v1.write_text("268435456\n")
    assert memory_limit_bytes(v2, v1) == 256 * MiB
    v1.write_text("9223372036854771712\n")
    assert memory_limit_bytes(v2, v1) is None
    v1.unlink()
    assert memory_limit_bytes(v2, v1) is None
