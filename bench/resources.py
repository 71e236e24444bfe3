"""CPU time and memory of processes, from /proc (Linux): what each service cost."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    text = (PROC / str(pid) / "stat").read_text()
    return text.rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process, all its threads."""
    fields = _stat_fields(pid)  # fields[0] is the state, field 3 of stat(5)
    return (int(fields[11]) + int(fields[12])) / TICKS


def _processes() -> dict[int, tuple[int, float]]:
    """Every process: its parent and its CPU seconds so far, from one walk of /proc."""
    found: dict[int, tuple[int, float]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat_fields(int(entry.name))
                found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
            except (OSError, IndexError, ValueError):  # exited in between
                continue
    return found


def tree_cpu_seconds(pid: int, processes: dict[int, tuple[int, float]] | None = None) -> float:
    """CPU seconds of `pid` and its live descendants."""
    processes = processes if processes is not None else _processes()
    kids: dict[int, list[int]] = {}
    for child, (parent, _) in processes.items():
        kids.setdefault(parent, []).append(child)
    total, frontier = 0.0, [pid]
    while frontier:
        member = frontier.pop()
        total += processes[member][1] if member in processes else 0.0
        frontier += kids.get(member, [])
    return total


def memory_kib(pid: int) -> dict[str, int]:
    """Resident set now (VmRSS) and its peak (VmHWM), in KiB."""
    found: dict[str, int] = {}
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:  # the process is gone: nothing to report
        return found
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


@dataclass(frozen=True)
class Sample:
    cpu: dict[str, float]  # process name -> CPU seconds so far

    @classmethod
    def take(cls, pids: dict[str, int]) -> Sample:
        """Each process with its descendants, except ourselves: the services are our children."""
        processes = _processes()
        return cls(
            {
                name: cpu_seconds(pid) if pid == os.getpid() else tree_cpu_seconds(pid, processes)
                for name, pid in pids.items()
            }
        )

    def minus(self, before: Sample) -> dict[str, float]:
        return {name: self.cpu[name] - before.cpu.get(name, 0.0) for name in self.cpu}


def total(cpu: dict[str, float], names: Iterable[str]) -> float:
    """The CPU of the named processes together."""
    return sum(cpu.get(name, 0.0) for name in names)


async def quiet(pids: dict[str, int], names: Iterable[str], cores: float, patience: float) -> float:
    """Waits until the named processes together use at most `cores` (1.0: one core) over a
    second, at most `patience` seconds; returns how long it waited."""
    names = tuple(names)
    started = time.monotonic()
    previous, at = Sample.take(pids), started
    while time.monotonic() - started < patience:
        await asyncio.sleep(1.0)
        sample, now = Sample.take(pids), time.monotonic()
        if total(sample.minus(previous), names) / (now - at) <= cores:
            break
        previous, at = sample, now
    return time.monotonic() - started


def machine() -> dict[str, str | int]:
    """The machine the figures were taken on: CPU model, cores and memory, from /proc."""
    model = "unknown"
    for line in (PROC / "cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in (PROC / "meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    kernel = (PROC / "sys" / "kernel" / "osrelease").read_text().strip()
    return {
        "cpu_model": model,
        "cores": os.cpu_count() or 0,
        "memory_gib": round(mem_kib / 1024 / 1024),
        "kernel": kernel,
    }


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages: how busy the machine was apart from us."""
    return [float(v) for v in (PROC / "loadavg").read_text().split()[:3]]
