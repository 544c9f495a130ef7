"""Runtime glue of the identity server: its :class:`Clock` and the :class:`LoopBridge`.

Kept apart from :mod:`.state` so that the store, the token generator and the Authlib server can use them without
importing the identity server's shared state (which refers back to them).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")

#: Seconds a storage hook waits for the event loop before giving up (the database is local).
BRIDGE_TIMEOUT = 30.0


class Clock:
    """Wall-clock time with an adjustable offset, so that tests can move time forward (code expiry, refresh
    grace, token expiry) without sleeping."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        """Epoch seconds."""
        return time.time() + self.offset

    def now(self) -> datetime:
        """Aware UTC ``datetime``."""
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


class LoopBridge:
    """Run a coroutine on the event loop from a worker thread and wait for its result.

    Authlib's server core is synchronous; the gateway runs it with :func:`asyncio.to_thread` and its storage hooks
    call :meth:`run`. Calling :meth:`run` on the loop's own thread would deadlock, so it raises instead.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, *, timeout: float = BRIDGE_TIMEOUT) -> None:
        self.loop = loop
        self.timeout = timeout
        self._loop_thread = threading.get_ident()

    def run(self, coro: Awaitable[T]) -> T:
        """Await ``coro`` on the loop and return its result (or raise its exception).

        Raises:
            RuntimeError: called from the event loop's thread.
            TimeoutError: the loop did not answer within ``timeout`` seconds.
        """
        if threading.get_ident() == self._loop_thread:
            if asyncio.iscoroutine(coro):
                coro.close()
            raise RuntimeError("LoopBridge.run() must be called from a worker thread")
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        return future.result(timeout=self.timeout)
