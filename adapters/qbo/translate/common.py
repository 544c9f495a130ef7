"""Shared pieces of the QBO ↔ Xero translation: the translation context, money, dates, references, addresses.

Translation functions are pure: they take QBO JSON (dicts as QBO sends them, ``Decimal`` numbers) or Xero request
elements (dicts with Xero's names) and a :class:`Tx` context, and return canonical models or QBO bodies. The context
gives them the reference data the operation loaded and the realm's id mapping (:mod:`adapters.qbo.ids`); it records
every GUID handed out so that the adapter can persist the reverse map after the call.

QBO formats (upstream-contracts.md §1; the samples): ``TxnDate``/``DueDate`` ``YYYY-MM-DD``; ``MetaData`` times
``2015-07-24T10:33:39-07:00`` (the company's offset); references ``{"value": id, "name": display}``; money as JSON
numbers.

Xero request elements are read with :mod:`gateway.xero.fields` (one rule for every adapter: text stripped, numbers
``Decimal`` without ``NaN``/``Infinity``); its ``text``, ``xero_date`` and ``xero_number`` are re-exported here for
the translation modules, and ``text`` also reads QBO's own strings by the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from adapters.common.values import CENT, cents
from adapters.common.values import calendar_date as qbo_date
from adapters.common.values import number as money
from adapters.common.values import timestamp as qbo_datetime
from gateway.xero.dates import parse_datetime
from gateway.xero.fields import text, xero_date, xero_number

from ..refdata import RefData

__all__ = ["CENT", "ZERO", "Tx", "cents", "compact", "created", "money", "qbo_date", "qbo_datetime",
           "qbo_timestamp", "ref", "ref_id", "text", "updated", "xero_date", "xero_datetime", "xero_number"]

ZERO = Decimal("0")


@dataclass
class Tx:
    """What a translation may consult.

    Attributes:
        realm_id: the company.
        forward: ``(entity, qbo_id, part) → GUID`` (:meth:`adapters.qbo.ids.IdStore.forward` bound to the realm).
        refs: the reference data loaded for the operation.
        tenant_id: the Xero tenant id (the ``OrganisationID``).
        emitted: ``(guid, entity, qbo_id, part)`` handed out, to persist in the reverse map.
        stamps: the :class:`~adapters.common.refcache.RefCache` stamp of each kind in ``refs`` (a cache of
            translated records keys on them, :mod:`adapters.qbo.translated`).
        alias_version: the realm's alias version now (:meth:`adapters.qbo.ids.IdStore.alias_version`).
    """

    realm_id: str
    forward: Callable[[str, str, str], str]
    refs: RefData
    tenant_id: str = ""
    emitted: list[tuple[str, str, str, str]] = field(default_factory=list)
    stamps: dict[str, int] = field(default_factory=dict)
    alias_version: Callable[[], int] = lambda: 0

    def guid(self, entity: str, qbo_id: Any, part: str = "") -> str:
        """The GUID of a QBO record (recorded for the reverse map)."""
        qbo_id = str(qbo_id)
        value = self.forward(entity, qbo_id, part)
        self.emitted.append((value, entity, qbo_id, part))
        return value


# Dates ------------------------------------------------------------------------------------------------------



def updated(record: dict[str, Any]) -> datetime | None:
    """``MetaData.LastUpdatedTime`` as aware UTC."""
    return qbo_datetime((record.get("MetaData") or {}).get("LastUpdatedTime"))


def created(record: dict[str, Any]) -> datetime | None:
    """``MetaData.CreateTime`` as aware UTC."""
    return qbo_datetime((record.get("MetaData") or {}).get("CreateTime"))


def qbo_timestamp(moment: datetime) -> str:
    """An aware datetime as QBO writes ``MetaData`` times (``2024-01-02T03:04:05+00:00``; QBO compares instants)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def xero_datetime(value: Any) -> datetime | None:
    """A Xero date-time literal → aware UTC (``None`` when unreadable)."""
    try:
        return parse_datetime(value)
    except (ValueError, TypeError):
        return None


# References ------------------------------------------------------------------------------------------------------

def ref_id(value: Any) -> str | None:
    """The ``value`` of a QBO reference (``None`` when absent)."""
    if isinstance(value, dict) and value.get("value") not in (None, ""):
        return str(value["value"])
    return None


def ref(qbo_id: Any, name: str | None = None) -> dict[str, str]:
    """A QBO reference ``{"value": id}`` (``name`` is informative; QBO fills it in)."""
    out = {"value": str(qbo_id)}
    if name:
        out["name"] = name
    return out


def compact(body: dict[str, Any]) -> dict[str, Any]:
    """Drop ``None`` values (QBO bodies omit what is not set)."""
    return {k: v for k, v in body.items() if v is not None}
