"""The emulator's clock and Sage's time formats.

- ``created_at``/``updated_at``/``deleted_at``: UTC date-times with a ``Z`` suffix, whole seconds
  (spec examples, e.g. ``SalesInvoice`` ``2019-08-24T14:15:22Z`` in Sage's reference pages).
- ``date``/``due_date``: ``YYYY-MM-DD`` (spec ``format: date``).
- Filters ``updated_or_created_since``/``deleted_since`` take a date-time with an offset (spec parameter text:
  ``YYYY-MM-DDThh:mm:ss(+|-)hh:mm``) or a date.

The clock can be moved forward for tests (token expiry, change windows) without sleeping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from emulators.common import clock


class Clock(clock.Clock):
    """The common emulator clock; :meth:`now` is UTC (Sage's timestamps), "today" is in the businesses' zone.

    Args:
        timezone: the businesses' IANA zone for "today" (``Europe/London``).
    """

    def now(self) -> datetime:
        """The current time, aware UTC."""
        return datetime.fromtimestamp(self.time(), tz=UTC)

    def stamp(self) -> str:
        """A Sage timestamp: ``2019-08-24T14:15:22Z``."""
        return format_stamp(self.now())

    def log_time(self) -> str:
        """A Sage timestamp (:meth:`stamp`)."""
        return self.stamp()


def format_stamp(moment: datetime) -> str:
    """``moment`` as ``YYYY-MM-DDThh:mm:ssZ`` (UTC)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(text: str) -> datetime | None:
    """Parse a filter value: a date-time (``Z``/``z`` or an offset; naive means UTC) or a date (its UTC midnight).

    Returns:
        an aware ``datetime``, or ``None`` when ``text`` is neither.
    """
    value = text.strip().replace(" ", "+")  # a "+" sent unencoded in a query string arrives as a space
    if value.endswith("z"):
        value = value[:-1] + "Z"
    return clock.parse_datetime(value)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (or the date part of a date-time), else ``None``."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
