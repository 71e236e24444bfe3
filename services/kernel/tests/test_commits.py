"""A commit wakes everyone following the store's log: on the writer's own loop, on another
loop, from a worker thread; a waiter already awake is not woken twice, and a closed loop is
passed over (ADR 0018)."""

from __future__ import annotations

import asyncio
import threading

from dvc_kernel.commits import CommitSignal, wait


async def test_a_commit_in_a_worker_thread_wakes_every_follower_of_the_loop() -> None:
    signal = CommitSignal()
    relay, board, dispatcher = signal.subscribe(), signal.subscribe(), signal.subscribe()
    await asyncio.to_thread(signal.fire)
    assert all([await wait(e, 1.0) for e in (relay, board, dispatcher)])


async def test_a_commit_on_the_loop_wakes_its_followers_at_once() -> None:
    signal = CommitSignal()
    follower = signal.subscribe()
    signal.fire()
    assert follower.is_set()


def test_followers_on_two_loops_are_each_woken_and_a_closed_loop_is_passed_over() -> None:
    signal = CommitSignal()
    woken: list[bool] = []
    ready = threading.Barrier(3)

    def follow() -> None:
        async def run() -> None:
            event = signal.subscribe()
            ready.wait()
            woken.append(await wait(event, 5.0))

        asyncio.run(run())

    threads = [threading.Thread(target=follow) for _ in range(2)]
    for thread in threads:
        thread.start()
    ready.wait()
    closed = asyncio.new_event_loop()
    closed.run_until_complete(asyncio.sleep(0))
    closed.run_until_complete(_subscribe_on(signal))
    closed.close()
    signal.fire()  # from this thread, with no loop running here
    for thread in threads:
        thread.join(10)
    assert woken == [True, True]


async def _subscribe_on(signal: CommitSignal) -> None:
    signal.subscribe()
