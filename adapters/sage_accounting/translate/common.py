"""Shared pieces of the Sage ↔ Xero translation: the translation context, numbers, dates, references.

Translation functions are pure: they take Sage JSON (dicts as Sage sends them, ``Decimal`` numbers) or Xero request
elements (dicts with Xero's names) and a :class:`Tx`, and return canonical models or Sage bodies. The context gives
them the reference data the operation loaded and the business's GUIDs (:mod:`adapters.sage_accounting.ids`); it
records every GUID handed out so that the adapter persists the reverse map after the call.

Sage formats (swagger.accounts.v3.1.json): dates ``YYYY-MM-DD`` (``date``, ``due_date``); times ISO-8601
(``created_at``, ``updated_at``: ``2015-10-27T16:24:52Z`` in the spec's examples); references
``{"id", "displayed_as", "$path"}``; money JSON numbers.

Xero request elements are read with :mod:`gateway.xero.fields` (the one rule for every adapter); its
``xero_bool``, ``xero_date``, ``xero_number`` and ``xero_text`` are re-exported here for the translation modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gateway.xero.dates import parse_datetime
from gateway.xero.fields import xero_bool, xero_date, xero_number, xero_text

from ..ids import stable_guid
from ..refdata import RefData, ref_id

CENT = Decimal("0.01")
ZERO = Decimal("0")

__all__ = ["CENT", "ZERO", "Tx", "cents", "date_text", "money", "ref_id", "ref_name", "sage_date", "sage_datetime",
           "xero_bool", "xero_date", "xero_number", "xero_text"]


@dataclass
class Tx:
    """What a translation may consult.

    Attributes:
        business_id: the Sage business (tenant key).
        tenant_id: the Xero tenant id (the ``OrganisationID``).
        refs: the reference data loaded for the operation.
        emitted: ``(guid, resource, sage_id, part)`` handed out, to persist in the reverse map.
    """

    business_id: str
    tenant_id: str
    refs: RefData
    emitted: list[tuple[str, str, str, str]] = field(default_factory=list)

    def guid(self, resource: str, sage_id: Any, part: str = "") -> str:
        """The GUID of a Sage record or part (recorded for the reverse map)."""
        sage_id = str(sage_id)
        value = stable_guid(self.business_id, resource, sage_id, part)
        self.emitted.append((value, resource, sage_id, part))
        return value


# Numbers ----------------------------------------------------------------------------------------------------------

def money(value: Any) -> Decimal | None:
    """A Sage number (int, ``Decimal``, numeric string) as ``Decimal``; ``None`` for absent or unreadable."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def cents(value: Decimal) -> Decimal:
    """Half-up to two decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Dates ------------------------------------------------------------------------------------------------------------

def sage_date(value: Any) -> date | None:
    """A Sage date (``YYYY-MM-DD``; a date-time's calendar date) or ``None``."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def sage_datetime(value: Any) -> datetime | None:
    """A Sage timestamp as aware UTC (``None`` when absent or unreadable)."""
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value))
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC)


def date_text(value: date) -> str:
    """A date as Sage writes it: ``YYYY-MM-DD``."""
    return value.isoformat()


def ref_name(value: Any) -> str | None:
    """The ``displayed_as`` of a nested Sage reference."""
    if isinstance(value, Mapping):
        text = value.get("displayed_as")
        return str(text) if text not in (None, "") else None
    return None
