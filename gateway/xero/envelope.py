"""Xero's Accounting API response envelope.

Shape (spec: the ``example`` of every 2xx response in ``xero_accounting.yaml``, e.g. ``/Invoices`` GET;
shared/notes/xero-contract.md §2 "Response envelope" and §8.2)::

    {"Id": "<guid>", "Status": "OK", "ProviderName": "<app name>", "DateTimeUTC": "/Date(ms+0000)/",
     "Invoices": [...], "pagination": {"page", "pageSize", "pageCount", "itemCount"}, "Warnings": [...]}

- The collection key is the plural name even for a single-item GET (pyxero asserts ``Status == "OK"`` and then
  reads the key named after the resource).
- ``pagination`` appears only on paged lists; ``Warnings`` only when there are any (``[{"Message": …}]``, the
  spec's ``ValidationError`` items).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

from .dates import to_msdate, utcnow
from .models import XeroModel, dump


def dump_item(item: Any) -> Any:
    """One item for the JSON wire: a :class:`XeroModel` is rendered with :func:`gateway.xero.models.dump`
    (MS dates, numbers for money, ``None`` dropped); a plain dict or list is taken as already rendered."""
    if isinstance(item, XeroModel):
        return dump(item)
    return item


def build_envelope(key: str, items: Iterable[Any], *, provider_name: str, pagination: Any = None,
                   warnings: Sequence[str] = (), now: datetime | None = None,
                   envelope_id: str | None = None) -> dict[str, Any]:
    """Xero's envelope around ``items``.

    Args:
        key: the collection key (``Invoices``), the operation's ``response_key``.
        items: :class:`XeroModel` objects (or already rendered dicts).
        provider_name: the calling app's name (Xero's ``ProviderName``).
        pagination: a ``Pagination`` model or dict, added as ``pagination`` when given.
        warnings: envelope-level warning messages, rendered as ``[{"Message": …}]``.
        now: the response time (default: now, UTC), rendered as ``/Date(ms+0000)/``.
        envelope_id: the envelope ``Id`` (default: a new GUID).

    Returns:
        A JSON-ready dict.
    """
    body: dict[str, Any] = {
        "Id": envelope_id or str(uuid.uuid4()),
        "Status": "OK",
        "ProviderName": provider_name,
        "DateTimeUTC": to_msdate(now or utcnow()),
        key: [dump_item(item) for item in items],
    }
    if pagination is not None:
        body["pagination"] = dump_item(pagination)
    if warnings:
        body["Warnings"] = [{"Message": message} for message in warnings]
    return body


def _json_default(value: Any) -> Any:
    # Loose values an adapter may leave in a plain dict; models never reach here (already dumped).
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return to_msdate(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, XeroModel):
        return dump(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


#: orjson's options for the stdlib's output: int keys as text, and dates and dataclasses through :func:`_json_default`
#: (``/Date()/``, and a ``TypeError`` as before) rather than orjson's own RFC 3339 and dataclass renderings.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def to_json_bytes(body: Any) -> bytes:
    """Encode a rendered body as UTF-8 JSON (``Decimal`` → number, dates → ``/Date()/``, ``UUID`` → text).

    orjson writes it (a page of 100 invoices: a fifth of the stdlib's time, issue 10), compact; what orjson refuses
    (an integer beyond 64 bits) is written by the stdlib, so the content is the same either way.

    Raises:
        TypeError: a value neither encoder can write.
    """
    try:
        return orjson.dumps(body, default=_json_default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, default=_json_default).encode("utf-8")
