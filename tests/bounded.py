"""Run docgen in a child process under a memory ceiling and measure its peak memory.

Hostile files (zip bombs, huge spreadsheet cells, templates that build huge values) are
tried through the real command line: the child gets an address-space limit as a safety
net (a regression then fails one test instead of stopping the machine) and a time limit,
and its peak resident memory is read from ``wait4``'s resource usage, so a test can assert
that docgen refused the file *and* stayed small doing so (issue 20: under 500 MB).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PEAK_LIMIT_MB = 500  # issue 20: peak memory of every hostile case


@dataclass
class Bounded:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_bounded(
    args: list[str],
    cwd: Path,
    *,
    memory_mb: int = 2048,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
) -> Bounded:
    """``python -m docgen *args`` in ``cwd`` under an address-space limit of ``memory_mb``."""

    def limit() -> None:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        os.setsid()

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "docgen", *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            preexec_fn=limit,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Bounded(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            usage.ru_maxrss / 1024,
            seconds,
        )
