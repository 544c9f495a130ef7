"""Process-wide state of the identity server, created at start-up (``cleanup_ctx``) and kept under one app key.

Also the two small pieces of runtime glue every other module uses: the :class:`Clock` (settable in tests) and the
:class:`LoopBridge` through which Authlib's synchronous storage hooks, running in a worker thread, await the async
store on the event loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from gateway.settings import Settings
from gateway.sources import SourcePool
from gateway.store.db import Database

from .keys import SigningKeys
from .scopes import ScopeTable

if TYPE_CHECKING:
    from .server import GatewayAuthorizationServer
    from .store import IdentityStore

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


@dataclass
class IdentityState:
    """Everything the identity views, the guard and the grants share.

    Attributes:
        servers: one Authlib authorization server per source code (each has its own issuer).
    """

    settings: Settings
    db: Database
    sources: SourcePool
    keys: SigningKeys
    scopes: ScopeTable
    clock: Clock
    bridge: LoopBridge
    store: IdentityStore
    session_storage: EncryptedCookieStorage
    servers: dict[str, GatewayAuthorizationServer] = field(default_factory=dict)


IDENTITY: web.AppKey[IdentityState] = web.AppKey("identity", IdentityState)
