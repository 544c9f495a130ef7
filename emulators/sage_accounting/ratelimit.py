"""The request limit, per business: a sliding 60-second window and an optional daily count.

Sage's v3.1 limits are unconfirmed (upstream-contracts.md §2 "Rate limits": the official v3.0 figures were 200 calls
per 60 s per business; third parties report 100 per minute and 2,500 per day). The defaults are the v3.0 figure and
no daily limit (:class:`~emulators.sage_accounting.config.EmulatorConfig`). A request over a limit is answered 429
and is not counted. Time comes from the emulator's clock, so tests can move past a window.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .clock import Clock

WINDOW_SECONDS = 60.0
DAY_SECONDS = 86_400


@dataclass
class _Window:
    requests: deque[float] = field(default_factory=deque)
    day: int = -1
    day_count: int = 0


class Throttle:
    """Admission control for one emulator.

    Args:
        clock: the emulator's clock.
        per_minute: requests per business per 60 seconds.
        per_day: requests per business per UTC day, or ``None``.
    """

    def __init__(self, clock: Clock, *, per_minute: int, per_day: int | None) -> None:
        self.clock = clock
        self.per_minute = per_minute
        self.per_day = per_day
        self.windows: dict[str, _Window] = {}

    def admit(self, business_id: str) -> bool:
        """Count one request in; ``False`` (and nothing counted) when a limit is reached."""
        window = self.windows.setdefault(business_id, _Window())
        now = self.clock.time()
        while window.requests and window.requests[0] <= now - WINDOW_SECONDS:
            window.requests.popleft()
        day = int(now // DAY_SECONDS)
        if window.day != day:
            window.day, window.day_count = day, 0
        if len(window.requests) >= self.per_minute:
            return False
        if self.per_day is not None and window.day_count >= self.per_day:
            return False
        window.requests.append(now)
        window.day_count += 1
        return True

    def reset(self) -> None:
        """Forget every window (tests)."""
        self.windows.clear()
