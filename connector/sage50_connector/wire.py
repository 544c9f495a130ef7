"""Values read through DB-API → JSON values of the protocol.

Rule (protocol v1, ``POST /sync``): dates and date-times as ISO strings, amounts as strings of decimals (never
floats), integers as numbers. The ODBC driver returns ``DOUBLE`` columns as floats: ``repr`` gives the shortest
string that reads back as the same double, which is the decimal Sage stored (``12.56``, not ``12.5600000000000004``).
The stand-in stores those columns as decimal text already.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def to_wire(value: Any) -> Any:
    """One column value as the protocol sends it.

    Args:
        value: what the DB-API driver returned (``None``, ``int``, ``float``, ``Decimal``, ``str``, ``date``,
            ``datetime``, ``time``, ``bytes``).

    Returns:
        ``None``, ``int``, or ``str`` (decimal text, ISO date/time, or the text itself; bytes as hex).
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def as_datetime(value: Any) -> dt.datetime | None:
    """A ``RECORD_MODIFY_DATE`` as a naive ``datetime`` (Sage stamps local time without a zone).

    Aggregates (``MAX(...)``) come back as text from SQLite and as ``datetime`` from pyodbc; a bare date counts as
    its midnight.

    Raises:
        ValueError: text that is not an ISO date-time.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)


def row_to_wire(columns: list[str], values: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """A DB-API row as ``{ODBC column: wire value}``."""
    return {name: to_wire(v) for name, v in zip(columns, values, strict=True)}
