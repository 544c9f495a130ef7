"""JSON on the wire: ``Decimal`` money becomes a JSON number (the spec types every amount ``number``/``double``),
and the emulator's ``_``-prefixed bookkeeping never leaves it. (One quirk of the spec is honoured where the record is
built: ``PurchaseCreditNote.inverse_exchange_rate`` is declared ``string``, see handlers/artefacts.py.)
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def to_wire(value: Any) -> Any:
    """Plain JSON types: a ``Decimal`` becomes an int when integral, else a float (every amount the emulator holds
    has at most a few decimal places, whose shortest float form is the Decimal's own digits); ``_`` keys dropped."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """JSON text of ``value`` (after :func:`to_wire`)."""
    return json.dumps(to_wire(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """JSON with ``Decimal`` numbers (money never passes through float).

    Raises:
        ValueError: not JSON.
    """
    return json.loads(text, parse_float=Decimal)
