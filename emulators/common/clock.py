"""An emulator's clock: wall-clock time that tests can move forward (token expiry, change windows) without sleeping.

Each emulator subclasses :class:`Clock` for its upstream's time formats and says in :meth:`Clock.log_time` how the
request log and the admin hooks show the current time.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


class Clock:
    """Wall-clock time plus an adjustable offset; an optional frozen instant (a deterministic seed uses one).

    Args:
        timezone: the IANA zone of the emulated company or businesses (``America/Los_Angeles``, ``Europe/London``).
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.offset = 0.0
        self.frozen: float | None = None

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (tests; never backwards)."""
        self.offset += max(0.0, float(seconds))

    def time(self) -> float:
        """POSIX seconds: the frozen instant when set, else wall-clock time plus the offset."""
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def now(self) -> datetime:
        """The current time, aware, in :attr:`zone`."""
        return datetime.fromtimestamp(self.time(), tz=self.zone)

    def today(self) -> date:
        """Today in :attr:`zone`."""
        return datetime.fromtimestamp(self.time(), tz=self.zone).date()

    def log_time(self) -> str:
        """The current time as the request log and the admin hooks show it: the upstream's response format."""
        raise NotImplementedError


def parse_datetime(text: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time (``2015-07-24``, ``…T10:33:39-07:00``, ``…Z``); naive values are UTC.

    Returns:
        an aware ``datetime``, or ``None`` when ``text`` is neither.
    """
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
