"""The emulator's clock and Sage's time formats.

- ``created_at``/``updated_at``/``deleted_at``: UTC date-times with a ``Z`` suffix, whole seconds
  (spec examples, e.g. ``SalesInvoice`` ``2019-08-24T14:15:22Z`` in Sage's reference pages).
- ``date``/``due_date``: ``YYYY-MM-DD`` (spec ``format: date``).
- Filters ``updated_or_created_since``/``deleted_since`` take a date-time with an offset (spec parameter text:
  ``YYYY-MM-DDThh:mm:ss(+|-)hh:mm``) or a date.

The clock can be moved forward for tests (token expiry, change windows) without sleeping.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Wall-clock time plus an adjustable offset; an optional frozen instant (the built-in seed uses one).

    Args:
        timezone: the businesses' IANA zone for "today" (``Europe/London``).
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.offset = 0.0
        self.frozen: float | None = None

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (tests; never backwards)."""
        self.offset += max(0.0, float(seconds))

    def time(self) -> float:
        """POSIX seconds."""
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def now(self) -> datetime:
        """The current time, aware UTC."""
        return datetime.fromtimestamp(self.time(), tz=UTC)

    def today(self) -> date:
        """Today in the businesses' zone."""
        return self.now().astimezone(self.zone).date()

    def stamp(self) -> str:
        """A Sage timestamp: ``2019-08-24T14:15:22Z``."""
        return format_stamp(self.now())


def format_stamp(moment: datetime) -> str:
    """``moment`` as ``YYYY-MM-DDThh:mm:ssZ`` (UTC)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(text: str) -> datetime | None:
    """Parse a filter value: a date-time (``Z`` or an offset; naive means UTC) or a date (its UTC midnight).

    Returns:
        an aware ``datetime``, or ``None`` when ``text`` is neither.
    """
    value = text.strip().replace(" ", "+")  # a "+" sent unencoded in a query string arrives as a space
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (or the date part of a date-time), else ``None``."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
