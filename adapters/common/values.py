"""Reading the values upstream systems send (QBO, Sage Accounting JSON): numbers and dates, one rule for all.

Unreadable values become ``None`` rather than errors: they come from the source system, and a record with one odd
field must still be served (the Xero-side readers of request elements, which do refuse bad input, are
:mod:`gateway.xero.fields`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gateway.xero.dates import parse_datetime

CENT = Decimal("0.01")


def number(value: Any) -> Decimal | None:
    """An upstream number (int, ``Decimal``, numeric string) as ``Decimal``; ``None`` for absent or unreadable
    (booleans included: JSON ``true`` is not a number)."""
    if isinstance(value, Decimal):  # decoded as Decimal already (adapters.common.http.decode_json): not re-parsed
        return value
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def cents(value: Decimal) -> Decimal:
    """Half-up to two decimals (both upstreams keep amounts in cents)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def calendar_date(value: Any) -> date | None:
    """``YYYY-MM-DD`` (or a date-time, whose calendar date is taken) → ``date``; ``None`` when absent or
    unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def timestamp(value: Any) -> datetime | None:
    """An upstream timestamp (ISO 8601; ``Z`` or an offset; naive values taken as UTC) as aware UTC; ``None`` when
    absent or unreadable."""
    if not value:
        return None
    try:
        return parse_datetime(str(value)).astimezone(UTC)
    except (TypeError, ValueError):
        return None
