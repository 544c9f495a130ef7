"""Closed-loop HTTP load with aiohttp: ``concurrency`` workers send requests back to back, bounded in count or time.

One :class:`aiohttp.ClientSession` per run with a connection pool of ``concurrency`` keep-alive connections, so
that connection set-up is not measured. The client runs in the benchmark's own process: at several thousand
requests a second it, not the server, is the limit (the same for a scenario and its baseline).
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

#: A request: ``index → (method, url, headers, json body or None)``.
Request = Callable[[int], tuple[str, str | URL, Mapping[str, str], Any]]

TIMEOUT = aiohttp.ClientTimeout(total=120)  # seconds for one request; a slower answer counts as an error


@dataclass
class Sample:
    """What one run measured.

    Attributes:
        latencies: seconds per answered request, in completion order.
        statuses: HTTP status → count; ``0`` counts requests that got no answer (connection error, timeout).
        elapsed: seconds from the first request sent to the last answer.
        ok: the status a request must answer to count as a success.
    """

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0
    ok: int = 200

    @property
    def errors(self) -> int:
        """Requests not answered with :attr:`ok`."""
        return sum(n for status, n in self.statuses.items() if status != self.ok)

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return self.statuses[self.ok] / self.elapsed if self.elapsed else 0.0

    def quantile(self, q: float) -> float:
        """The ``q`` quantile of the latencies in seconds (``statistics.quantiles``, inclusive method)."""
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(q * 100) - 1]


async def run(request: Request, *, concurrency: int, count: int | None = None, duration: float | None = None,
              ok: int = 200) -> Sample:
    """Send requests from ``concurrency`` workers until ``count`` were sent or ``duration`` seconds passed.

    Args:
        request: builds request ``i`` (0, 1, 2, … across all workers).
        concurrency: workers, each with at most one request in flight.
        count: requests in all (``None``: until ``duration``).
        duration: seconds after which no new request starts (``None``: until ``count``).
        ok: the status of a successful answer.

    Raises:
        ValueError: neither ``count`` nor ``duration`` bounds the run.
    """
    if count is None and duration is None:
        raise ValueError("a run needs a count or a duration")
    sample = Sample(ok=ok)
    indices = itertools.count()
    start = time.perf_counter()
    stop_at = start + duration if duration is not None else float("inf")

    async def worker(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < stop_at:
            i = next(indices)
            if count is not None and i >= count:
                return
            method, url, headers, body = request(i)
            sent = time.perf_counter()
            try:
                async with session.request(method, url, headers=headers, json=body) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError):
                status = 0
            sample.latencies.append(time.perf_counter() - sent)
            sample.statuses[status] += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=TIMEOUT) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    sample.elapsed = time.perf_counter() - start
    return sample


async def fetch(method: str, url: str, *, headers: Mapping[str, str] | None = None,
                body: Any = None) -> tuple[int, bytes, dict[str, str]]:
    """One request outside any measurement: status, body bytes, headers."""
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.request(
            method, url, headers=headers, json=body) as response:
        return response.status, await response.read(), dict(response.headers)
