"""Xero's date formats.

Responses (JSON): every field marked ``x-is-msdate`` / ``x-is-msdate-time`` in ``xero_accounting.yaml`` is an
MS-JSON date ``/Date(1551139200000+0000)/`` (xero-python's ``deserialize_date_ms`` accepts only that form or
``YYYY-MM``). Companion strings (``DateString``, ``UpdatedDateUTCString``) are ISO without offset.
``/connections`` uses ISO-8601 with 7 fractional digits and no offset (``2019-12-07T18:46:19.5165400``).

Requests: ``/Date(ms[±hhmm])/`` (xero-python), ``YYYY-MM-DDTHH:MM:SS`` (pyxero XML), ``YYYY-MM-DD`` (xero-node,
raw clients). ``If-Modified-Since``: ISO-8601 (xero-python, xero-node) or RFC 1123 (pyxero).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MSDATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_msdate(value: date | datetime) -> str:
    """``date``/``datetime`` → ``/Date(ms+0000)/``. Dates are UTC midnight; naive datetimes are UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    ms = (value - _EPOCH) // timedelta(milliseconds=1)
    return f"/Date({ms}+0000)/"


def to_iso_string(value: date | datetime) -> str:
    """Companion ``…String`` value: ``2019-02-26T00:00:00`` (UTC, no offset, whole seconds)."""
    if not isinstance(value, datetime):
        return f"{value.isoformat()}T00:00:00"
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat()


def to_companion_string(companion: str, value: date | datetime) -> str:
    """The ISO companion of an msdate field, formatted as the spec's examples show that companion.

    ``UpdatedDateUTCString`` carries a ``Z`` (``2019-03-05T18:59:06Z``, e.g. the ``getCreditNotes`` and
    ``getPayments`` examples); every other companion has no offset: ``DateString``/``DueDateString``
    ``2019-02-26T00:00:00``, ``DateUTCString`` ``2019-02-23T05:23:20`` (``HistoryRecordCreated``),
    ``CreatedDateUTCString`` ``2016-10-17T20:46:01`` (``getBankTransfers``).
    """
    text = to_iso_string(value)
    return text + "Z" if companion == "UpdatedDateUTCString" else text


def to_connection_datetime(value: datetime) -> str:
    """``/connections`` timestamp: ISO, UTC, no offset, 7 fractional digits (.NET ``o`` format without ``Z``)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"


def parse_datetime(value: str | date | datetime) -> datetime:
    """Parse any date form a Xero client sends into an aware UTC ``datetime``.

    Raises:
        ValueError: the value is in none of the accepted forms.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):  # "Date": 12345 - Xero's dates are text, never bare numbers
        raise ValueError(f"'{value}' is not a valid date")
    text = value.strip()
    m = _MSDATE.match(text)
    if m:
        try:
            dt = _EPOCH + timedelta(milliseconds=int(m.group(1)))
        except OverflowError:
            raise ValueError(f"'{value}' is not a valid date") from None
        if m.group(2):  # the offset says in which zone the instant is to be read; the instant is UTC already
            sign = 1 if m.group(2)[0] == "+" else -1
            tz = timezone(sign * timedelta(hours=int(m.group(2)[1:3]), minutes=int(m.group(2)[3:5])))
            dt = dt.astimezone(tz)
        return dt
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{value}' is not a valid date") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def parse_date(value: str | date | datetime) -> date:
    """Parse a Xero request date (``Date``, ``DueDate``…) into a calendar ``date``.

    An MS-JSON value is read in its own offset (xero-python sends UTC midnight). Raises ``ValueError``.
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    dt = parse_datetime(value)
    return dt.date()


def parse_if_modified_since(value: str) -> datetime:
    """``If-Modified-Since`` in ISO-8601 or RFC 1123 → aware UTC ``datetime``, truncated to the second.

    Raises:
        ValueError: neither form.
    """
    text = value.strip()
    try:
        dt = parse_datetime(text)
    except ValueError:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise ValueError(f"'{value}' is not a valid If-Modified-Since date") from None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0)


def utcnow() -> datetime:
    return datetime.now(UTC)
