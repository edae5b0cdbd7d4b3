"""A quick restart waits for the previous embedded PostgreSQL to finish stopping."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from proximity.devstack.embedded import wait_for_previous_postmaster


def pid_file(directory: Path, pid: int, status: str) -> None:
    lines = [str(pid), str(directory), "0", "5432", "/tmp", "", "0 0", status]
    (directory / "postmaster.pid").write_text("\n".join(lines) + "\n")


def test_no_server_means_no_wait(tmp_path: Path) -> None:
    assert wait_for_previous_postmaster(tmp_path) == 0
    pid_file(tmp_path, 2**22 + 12345, "stopping")  # a stale file: no such process
    assert wait_for_previous_postmaster(tmp_path) == 0


def test_a_ready_server_is_adopted_without_waiting(tmp_path: Path) -> None:
    pid_file(tmp_path, os.getpid(), "ready")
    assert wait_for_previous_postmaster(tmp_path) == 0


def test_waits_until_a_stopping_server_is_gone(tmp_path: Path) -> None:
    pid_file(tmp_path, os.getpid(), "stopping")
    gone = threading.Event()

    def stop() -> None:
        (tmp_path / "postmaster.pid").unlink()
        gone.set()

    timer = threading.Timer(0.5, stop)
    timer.start()
    waits = wait_for_previous_postmaster(tmp_path)
    timer.join()
    assert waits > 0
    assert gone.is_set()  # it returned only once the server had gone
