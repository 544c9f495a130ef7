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
from datetime import date
from decimal import Decimal
from typing import Any

from adapters.common.values import CENT, cents
from adapters.common.values import calendar_date as sage_date
from adapters.common.values import number as money
from adapters.common.values import timestamp as sage_datetime
from gateway.xero.fields import xero_bool, xero_date, xero_number, xero_text

from ..ids import stable_guid
from ..refdata import RefData, ref_id

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


# Dates ------------------------------------------------------------------------------------------------------



def date_text(value: date) -> str:
    """A date as Sage writes it: ``YYYY-MM-DD``."""
    return value.isoformat()


def ref_name(value: Any) -> str | None:
    """The ``displayed_as`` of a nested Sage reference."""
    if isinstance(value, Mapping):
        text = value.get("displayed_as")
        return str(text) if text not in (None, "") else None
    return None
