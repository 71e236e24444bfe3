"""How far a long replay has come: a bar with events/s and the time left on a terminal, a plain
line every few seconds elsewhere (a log file, CI). The total is known before reading starts:
the end offsets of the partitions, less where the replay begins."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR = 30


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """`advance(n)` as work is done, `finish()` at the end; writes to `out` (stderr), never to
    stdout, which carries the command's answer."""

    def __init__(
        self, label: str, total: int, unit: str = "events", out: TextIO | None = None, every: float = 5
    ) -> None:
        self.label, self.total, self.unit = label, max(total, 0), unit
        self.out = out if out is not None else sys.stderr
        self.tty = self.out.isatty()
        self.every = 0.2 if self.tty else every  # a redrawn bar can refresh often, lines cannot
        self.done = 0
        self.started = self.shown = time.monotonic()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate = self.rate()
        share = self.done / self.total if self.total else 1.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        counts = f"{self.done:,}/{self.total:,} {self.unit}"
        speed = f"{rate:,.0f} {self.unit}/s"
        if self.tty:
            filled = int(BAR * min(share, 1.0))
            bar = "#" * filled + "-" * (BAR - filled)
            return f"\r{self.label} [{bar}] {share:4.0%} {counts} {speed} {_duration(left)} left"
        return f"{self.label}: {counts} ({share:.0%}), {speed}, about {_duration(left)} left\n"

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self.out.write(self.line())
            self.out.flush()

    def finish(self) -> None:
        elapsed = time.monotonic() - self.started
        rate = f"{self.rate():,.0f} {self.unit}/s"
        summary = f"{self.label}: {self.done:,} {self.unit} in {_duration(elapsed)} ({rate})"
        self.out.write(("\r\033[K" if self.tty else "") + summary + "\n")
        self.out.flush()
