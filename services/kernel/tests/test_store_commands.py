"""A command decorated once is awaited by routes and called directly by policies."""

from __future__ import annotations

import asyncio

from dvc_kernel.store_commands import blocking_command, store_command


class Ledger:
    def __init__(self) -> None:
        self.lines: list[str] = []

    @store_command
    def record(self, line: str, *, times: int = 1) -> int:
        """Record a line."""
        self.lines.extend([line] * times)
        return len(self.lines)


def test_a_route_awaits_the_command() -> None:
    ledger = Ledger()
    assert asyncio.run(ledger.record("tiếp nhận", times=2)) == 2
    assert ledger.lines == ["tiếp nhận", "tiếp nhận"]


def test_a_policy_inside_a_store_call_calls_it_directly() -> None:
    ledger = Ledger()
    assert ledger.record.sync("trả kết quả") == 1


def test_the_command_keeps_its_name_and_documentation() -> None:
    assert Ledger.record.__name__ == "record"
    assert Ledger.record.__doc__ == "Record a line."


class Sender:
    @blocking_command
    def send(self) -> bool:
        """Waits on the network: never on the event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return True  # no loop in this thread
        return False


def test_a_command_that_waits_on_the_network_runs_off_the_event_loop() -> None:
    assert asyncio.run(Sender().send()) is True
