"""Per-business reference data: what it is, how it is loaded from Sage, and look-ups over it.

Kinds (each loaded whole, ``attributes=all``, 200 per page; upstream-contracts.md §2 "Lists": lists return only
``id, displayed_as, $path`` without ``attributes``):

=====================  ============================================  ==========================================
kind                   Sage call                                     used for
=====================  ============================================  ==========================================
``business``           ``GET /businesses/{business id}``             Organisation (swagger.user_business)
``financial_settings`` ``GET /financial_settings``                   Organisation, financial year, currency
``business_settings``  ``GET /business_settings``                    default ledger accounts of new items
``ledger_accounts``    ``GET /ledger_accounts``                      AccountCode ↔ ledger account, Accounts
``bank_accounts``      ``GET /bank_accounts``                        BANK accounts, payments, bank transactions
``tax_rates``          ``GET /tax_rates``                            TaxType ↔ tax rate, TaxRates
``products``           ``GET /products``                             ItemCode ↔ product, Items
``services``           ``GET /services``                             ItemCode ↔ service, Items
``currencies``         ``GET /currencies``                           Currencies
=====================  ============================================  ==========================================

:data:`INVALIDATES` names the kinds a write to a Sage resource makes stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Sage list path of each list kind.
LIST_PATHS: dict[str, str] = {
    "ledger_accounts": "/ledger_accounts",
    "bank_accounts": "/bank_accounts",
    "tax_rates": "/tax_rates",
    "products": "/products",
    "services": "/services",
    "currencies": "/currencies",
    "analysis_types": "/analysis_types",
}
#: Kinds read as one object.
OBJECT_KINDS = ("business", "financial_settings", "business_settings")
KINDS = tuple(LIST_PATHS) + OBJECT_KINDS
#: Sage resource written → reference kinds it makes stale.
INVALIDATES: dict[str, tuple[str, ...]] = {
    "ledger_accounts": ("ledger_accounts",),
    "bank_accounts": ("bank_accounts", "ledger_accounts"),
    "products": ("products",),
    "services": ("services",),
    "tax_rates": ("tax_rates",),
    "analysis_types": ("analysis_types",),
    "analysis_type_categories": ("analysis_types",),
}
#: Extra list parameters per kind (none: ``show_control_accounts``/``show_included_in_chart`` *limit* the answer to
#: accounts that are / are not control accounts or in the chart, per the spec's parameter texts; without them every
#: ledger account is listed).
LIST_PARAMS: dict[str, dict[str, str]] = {}


def ref_id(value: Any) -> str | None:
    """The ``id`` of a nested Sage reference ``{id, displayed_as, $path}`` (``None`` when absent)."""
    if isinstance(value, Mapping):
        found = value.get("id")
        return str(found) if found not in (None, "") else None
    return None


@dataclass
class RefData:
    """The reference data loaded for one Xero call (kind → value; lists are lists of Sage records)."""

    values: dict[str, Any] = field(default_factory=dict)
    _index: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict, repr=False)

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """The records of a list kind (empty when not loaded)."""
        value = self.values.get(kind)
        return value if isinstance(value, list) else []

    def obj(self, kind: str) -> dict[str, Any]:
        """An object kind (``{}`` when not loaded)."""
        value = self.values.get(kind)
        return value if isinstance(value, dict) else {}

    def _by(self, kind: str, key: str) -> dict[str, dict[str, Any]]:
        cache_key = (kind, key)
        index = self._index.get(cache_key)
        if index is None or len(index) > len(self.rows(kind)):
            index = {}
            for row in self.rows(kind):
                value = row.get(key)
                if isinstance(value, Mapping):
                    value = value.get("id")
                if value not in (None, ""):
                    index.setdefault(str(value).lower() if key in ("item_code",) else str(value), row)
            self._index[cache_key] = index
        return index

    def refresh(self, values: Mapping[str, Any]) -> None:
        """Replace some kinds (after a reload) and drop their indexes."""
        self.values.update(values)
        for key in [k for k in self._index if k[0] in values]:
            self._index.pop(key, None)

    # Look-ups -----------------------------------------------------------------------------------------------

    def ledger_account(self, sage_id: str | None) -> dict[str, Any] | None:
        return self._by("ledger_accounts", "id").get(sage_id or "")

    def ledger_account_by_code(self, code: str | None) -> dict[str, Any] | None:
        """The ledger account whose ``nominal_code`` is ``code`` (Xero ``AccountCode``; ``"090"`` finds 90)."""
        text = (code or "").strip()
        if not text.isdigit():
            return None
        return self._by("ledger_accounts", "nominal_code").get(str(int(text)))

    def bank_account(self, sage_id: str | None) -> dict[str, Any] | None:
        return self._by("bank_accounts", "id").get(sage_id or "")

    def bank_account_for_ledger(self, ledger_id: str | None) -> dict[str, Any] | None:
        """The bank account whose own ``ledger_account`` is ``ledger_id`` (§2: "each carries its own
        ledger_account")."""
        return self._by("bank_accounts", "ledger_account").get(ledger_id or "")

    def tax_rate(self, sage_id: str | None) -> dict[str, Any] | None:
        return self._by("tax_rates", "id").get(sage_id or "")

    def item(self, resource: str, sage_id: str | None) -> dict[str, Any] | None:
        return self._by(resource, "id").get(sage_id or "")

    def item_by_code(self, code: str | None) -> tuple[str, dict[str, Any]] | None:
        """``(resource, record)`` of the product or service whose ``item_code`` is ``code`` (case-insensitive, as
        Xero matches item codes)."""
        key = (code or "").strip().lower()
        if not key:
            return None
        for resource in ("products", "services"):
            row = self._by(resource, "item_code").get(key)
            if row is not None:
                return resource, row
        return None
