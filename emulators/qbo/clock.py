"""The emulator's clock and QBO's time formats.

- ``MetaData.CreateTime``/``LastUpdatedTime``: seconds with the company's UTC offset, ``2015-07-24T10:33:39-07:00``.
- A response's ``time``: milliseconds with the offset, ``2016-04-15T09:01:18.141-07:00``.
- ``TxnDate``/``DueDate``: ``YYYY-MM-DD`` in the company's zone.

(All three from the Intuit samples in shared/contracts/qbo/samples, e.g. Invoice.json ``create_response``.)
The clock can be moved forward for tests (token expiry, CDC windows) without sleeping.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Wall-clock time plus an adjustable offset, in the company's time zone.

    Args:
        timezone: an IANA zone name (``America/Los_Angeles``).
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.offset = 0.0

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (tests; never backwards)."""
        self.offset += max(0.0, float(seconds))

    def time(self) -> float:
        """POSIX seconds."""
        return time.time() + self.offset

    def now(self) -> datetime:
        """The current time, aware, in the company's zone."""
        return datetime.fromtimestamp(self.time(), tz=self.zone)

    def today(self) -> date:
        return self.now().date()

    def stamp(self, moment: datetime | None = None) -> str:
        """``MetaData`` format: ``2015-07-24T10:33:39-07:00``."""
        moment = (moment or self.now()).astimezone(self.zone).replace(microsecond=0)
        return moment.isoformat()

    def response_time(self) -> str:
        """A response's ``time``: ``2016-04-15T09:01:18.141-07:00``."""
        return self.now().isoformat(timespec="milliseconds")


def parse_datetime(text: str) -> datetime | None:
    """Parse a QBO date or date-time (``2015-07-24``, ``2015-07-24T10:33:39-07:00``, ``…Z``); naive values are UTC.

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


def add_days(day: str, days: int) -> str:
    """``YYYY-MM-DD`` plus ``days``."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
