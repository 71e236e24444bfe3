"""A development simulator run as its own process for one test, the way the dev stack runs it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from .serving import wait_healthy


@contextlib.contextmanager
def simulator_process(name: str, env: Mapping[str, str], url: str, log: Path) -> Iterator[None]:
    """Runs `dvc_simulators.<name>.main` with `env` over this process's environment, its output
    appended to `log`; enters once `url`/healthz answers, and stops the process on leaving."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", f"from dvc_simulators.{name}.main import run; run()"],
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # as the dev stack starts it; stopped below, not by the terminal
        )
    try:
        wait_healthy(url, process, log)
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)
