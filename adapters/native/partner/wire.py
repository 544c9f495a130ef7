"""The partner API's wire values: money as integer cents, dates as ``YYYY-MM-DD``, opaque paging cursors.

Money is ``Decimal`` in the ledger (two decimal places in GBP and every currency the ledger serves); the partner API
carries it as an integer number of minor units (issue 16, "Money is integer cents"). Amounts with fractions of a
cent are refused rather than rounded.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .errors import PartnerError

_CENT = Decimal("0.01")
#: Page size bounds of every list (``limit``).
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def to_cents(amount: Decimal) -> int:
    """``Decimal("12.34")`` → ``1234`` (the ledger keeps 4 places; anything past cents is rounded half-even)."""
    return int((amount / _CENT).to_integral_value())


def from_cents(value: Any, *, field: str) -> Decimal:
    """An integer number of cents → ``Decimal`` with two places.

    Raises:
        PartnerError: ``validation_failed`` when ``value`` is not an integer (booleans and floats included).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise PartnerError("validation_failed", f"'{field}' must be an integer number of cents")
    return (Decimal(value) * _CENT).quantize(_CENT)


def to_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def to_timestamp(moment: dt.datetime | None) -> str | None:
    """Aware UTC → RFC 3339 with ``Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def parse_date(value: Any, *, field: str) -> dt.date:
    """``YYYY-MM-DD`` → ``date``.

    Raises:
        PartnerError: ``validation_failed`` for anything else.
    """
    if not isinstance(value, str) or len(value) != 10:
        raise PartnerError("validation_failed", f"'{field}' must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PartnerError("validation_failed", f"'{field}' must be a date YYYY-MM-DD") from None


def parse_since(value: str | None) -> dt.datetime | None:
    """``updatedSince``: an RFC 3339 timestamp (``Z`` or an offset) or a date (midnight UTC); ``None`` when absent.

    Raises:
        PartnerError: ``invalid_request`` when unparsable.
    """
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PartnerError("invalid_request", "'updatedSince' must be an RFC 3339 timestamp or a date") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def parse_limit(value: str | None) -> int:
    """``limit`` (1-500, default 100).

    Raises:
        PartnerError: ``invalid_request`` when not an integer in range.
    """
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise PartnerError("invalid_request", f"'limit' must be an integer from 1 to {MAX_LIMIT}")
    return int(value)


def encode_cursor(key: list[Any]) -> str:
    """The sort key of a page's last item → an opaque cursor (URL-safe base64 of JSON)."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(value: str | None) -> list[Any] | None:
    """The sort key a cursor holds; ``None`` when absent.

    Raises:
        PartnerError: ``invalid_request`` for a cursor this API did not issue.
    """
    if value is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise PartnerError("invalid_request", "'cursor' is not a cursor this API issued") from None
    if not isinstance(key, list):
        raise PartnerError("invalid_request", "'cursor' is not a cursor this API issued")
    return key
