"""The emulator's clock and QBO's time formats.

- ``MetaData.CreateTime``/``LastUpdatedTime``: seconds with the company's UTC offset, ``2015-07-24T10:33:39-07:00``.
- A response's ``time``: milliseconds with the offset, ``2016-04-15T09:01:18.141-07:00``.
- ``TxnDate``/``DueDate``: ``YYYY-MM-DD`` in the company's zone.

(All three from the Intuit samples in shared/contracts/qbo/samples, e.g. Invoice.json ``create_response``.)
The clock can be moved forward for tests (token expiry, CDC windows) without sleeping.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from emulators.common import clock
from emulators.common.clock import parse_datetime

__all__ = ["Clock", "add_days", "parse_datetime"]


class Clock(clock.Clock):
    """The common emulator clock in the company's time zone (:meth:`now` is company-zone time).

    Args:
        timezone: an IANA zone name (``America/Los_Angeles``).
    """

    def stamp(self, moment: datetime | None = None) -> str:
        """``MetaData`` format: ``2015-07-24T10:33:39-07:00``."""
        moment = (moment or self.now()).astimezone(self.zone).replace(microsecond=0)
        return moment.isoformat()

    def response_time(self) -> str:
        """A response's ``time``: ``2016-04-15T09:01:18.141-07:00``."""
        return self.now().isoformat(timespec="milliseconds")

    def log_time(self) -> str:
        """A response's ``time`` (:meth:`response_time`)."""
        return self.response_time()


def add_days(day: str, days: int) -> str:
    """``YYYY-MM-DD`` plus ``days``."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
