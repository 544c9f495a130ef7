"""The shared setup of every upstream adapter's HTTP client: one aiohttp session per adapter instance (timeout,
``Accept: application/json``, a User-Agent naming the adapter) and the count of upstream requests per Xero call.

Adapters subclass :class:`UpstreamHttp` in their ``client.py`` and add their own transport rules (base URLs,
headers such as ``X-Business``, error parsing, tenacity retries for idempotent calls only). Each request they send
is recorded with :meth:`UpstreamHttp.count`; :meth:`UpstreamHttp.tally` scopes a :class:`CallTally` to one Xero call
(a ``ContextVar``, so concurrent calls keep separate tallies) for tests, logs and benchmarks.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import aiohttp


@dataclass
class CallTally:
    """The upstream HTTP requests made for one Xero call.

    Attributes:
        operation_id: the Xero operation (``getInvoices``).
        calls: requests sent (every retry and repeat included).
        by_path: requests per ``"METHOD /path"`` (path below the upstream API root).
    """

    operation_id: str
    calls: int = 0
    by_path: Counter[str] = field(default_factory=Counter)


_TALLY: ContextVar[CallTally | None] = ContextVar("upstream_call_tally", default=None)


class UpstreamHttp:
    """Session and counting shared by the adapters' clients.

    Args:
        user_agent: the ``User-Agent`` header (``xero-gateway-qbo``).
        timeout: seconds per HTTP exchange.
    """

    def __init__(self, *, user_agent: str, timeout: float) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.totals: Counter[str] = Counter()
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the shared session."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                headers={"Accept": "application/json", "User-Agent": self.user_agent})

    async def close(self) -> None:
        """Close the shared session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    @contextlib.contextmanager
    def tally(self, operation_id: str) -> Iterator[CallTally]:
        """Count the requests made inside the block (one Xero call)."""
        current = CallTally(operation_id)
        token = _TALLY.set(current)
        try:
            yield current
        finally:
            _TALLY.reset(token)

    @staticmethod
    def current_tally() -> CallTally | None:
        """The tally of the Xero call in progress, if any."""
        return _TALLY.get()

    def count(self, method: str, path: str) -> None:
        """Record one request sent: process totals and the current call's tally."""
        key = f"{method} {path}"
        self.totals[key] += 1
        tally = _TALLY.get()
        if tally is not None:
            tally.calls += 1
            tally.by_path[key] += 1
