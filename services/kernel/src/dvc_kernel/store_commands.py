"""Application commands that an async route awaits, with no plumbing in the route (ADR 0001).

A command works with the event store, which is synchronous. Decorated with `@store_command`,
`await app.accept(...)` runs it inline or in a worker thread as the process is set up
(`dvc_kernel.threads.in_store`, ADR 0018); `app.accept.sync(...)` calls it directly, for a
policy already inside a store call, the command line and tests. A command that also waits on
the network (identity's, which asks notify to send an OTP) is `@blocking_command`: always in a
worker thread, never on the event loop. The relay needs no waking: the store wakes it on every
commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from .threads import in_store, in_thread

S = TypeVar("S")
P = ParamSpec("P")
T = TypeVar("T")


class BoundCommand(Generic[P, T]):
    __slots__ = ("blocking", "sync")

    def __init__(self, sync: Callable[P, T], blocking: bool = False) -> None:
        self.sync = sync
        self.blocking = blocking

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        if self.blocking:
            return await in_thread(self.sync, *args, **kwargs)
        return await in_store(self.sync, *args, **kwargs)


class store_command(Generic[S, P, T]):
    """`@store_command` on a method of an application: awaitable from routes, `.sync` inside."""

    blocking = False

    def __init__(self, fn: Callable[Concatenate[S, P], T]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> store_command[S, P, T]: ...
    @overload
    def __get__(self, obj: S, owner: type[Any]) -> BoundCommand[P, T]: ...
    def __get__(self, obj: S | None, owner: type[Any]) -> store_command[S, P, T] | BoundCommand[P, T]:
        if obj is None:
            return self
        return BoundCommand(self.fn.__get__(obj, owner), self.blocking)


class blocking_command(store_command[S, P, T]):
    """`@blocking_command`: a command that waits on the network too; always in a worker thread."""

    blocking = True
