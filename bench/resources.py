"""CPU time and memory of processes, from /proc (Linux): what each service cost."""

from __future__ import annotations

import os
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


def children(pid: int) -> list[int]:
    """Every live descendant of `pid`."""
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat_fields(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return found


def tree_cpu_seconds(pid: int) -> float:
    total = 0.0
    for member in [pid, *children(pid)]:
        try:
            total += cpu_seconds(member)
        except OSError:  # exited in between
            continue
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
        return cls(
            {
                name: cpu_seconds(pid) if pid == os.getpid() else tree_cpu_seconds(pid)
                for name, pid in pids.items()
            }
        )

    def minus(self, before: Sample) -> dict[str, float]:
        return {name: self.cpu[name] - before.cpu.get(name, 0.0) for name in self.cpu}


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
