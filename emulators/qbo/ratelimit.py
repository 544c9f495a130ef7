"""QBO's throttles, per realm (upstream-contracts.md §1 "Throttling"; Intuit's "Limits and throttles" page):

- 500 requests per minute (batch requests count too), over a sliding 60-second window;
- 10 requests in flight at once;
- 40 batch requests per minute.

A request over any limit is answered HTTP 429 with QBO's XML ``ThrottleExceeded`` body (faults.throttle_xml) and is
not counted against the window. Time comes from the emulator's clock, so tests can move past a window.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .clock import Clock

WINDOW_SECONDS = 60.0


@dataclass
class _RealmLimits:
    requests: deque[float] = field(default_factory=deque)
    batches: deque[float] = field(default_factory=deque)
    in_flight: int = 0


class Throttle:
    """Admission control for one emulator.

    Args:
        clock: the emulator's clock.
        per_minute: requests per realm per minute.
        batch_per_minute: batch requests per realm per minute.
        concurrent: requests per realm in flight at once.
    """

    def __init__(self, clock: Clock, *, per_minute: int, batch_per_minute: int, concurrent: int) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.batch_per_minute = batch_per_minute
        self.concurrent = concurrent
        self.realms: dict[str, _RealmLimits] = {}

    def admit(self, realm_id: str, *, batch: bool) -> bool:
        """Count one request in; ``False`` (and nothing counted) when a limit is reached.

        A ``True`` answer MUST be paired with :meth:`release` when the request ends.
        """
        limits = self.realms.setdefault(realm_id, _RealmLimits())
        now = self.clock.time()
        for window in (limits.requests, limits.batches):
            while window and window[0] <= now - WINDOW_SECONDS:
                window.popleft()
        if limits.in_flight >= self.concurrent or len(limits.requests) >= self.per_minute:
            return False
        if batch and len(limits.batches) >= self.batch_per_minute:
            return False
        limits.requests.append(now)
        if batch:
            limits.batches.append(now)
        limits.in_flight += 1
        return True

    def release(self, realm_id: str) -> None:
        """One admitted request has ended."""
        limits = self.realms.get(realm_id)
        if limits is not None and limits.in_flight > 0:
            limits.in_flight -= 1

    def reset(self) -> None:
        """Forget every window (tests)."""
        for limits in self.realms.values():
            limits.requests.clear()
            limits.batches.clear()
