"""The Sage adapter's caches: :class:`adapters.common.refcache.RefCache` keyed by business id, and what a write
through the gateway makes stale.

- *reference data*: the kinds of :mod:`adapters.sage_accounting.refdata` (ledger accounts, bank accounts, tax rates,
  products, services, currencies, financial settings, the business itself), loaded on first need;
- *counts*: ``$total`` of a Sage list under given filters, per ``(business, resource, filters)``
  (:meth:`adapters.sage_accounting.query.Stream.key`), for Xero's ``pagination`` and to place a page across the
  resources of one Xero collection (Invoices = sales + purchase invoices). Every list answer refreshes the total it
  reports.

:func:`invalidate_after_write` drops the reference kinds (:data:`adapters.sage_accounting.refdata.INVALIDATES`) and
the totals a write to a Sage resource makes stale: payments and allocations change the documents they settle too.
"""

from __future__ import annotations

from adapters.common.refcache import RefCache

from .refdata import INVALIDATES

__all__ = ["RefCache", "invalidate_after_write"]

_DOCUMENTS = ("sales_invoices", "purchase_invoices", "sales_credit_notes", "purchase_credit_notes")
#: Sage resource written → other resources whose totals it changes.
RELATED_TOTALS: dict[str, tuple[str, ...]] = {"contact_payments": _DOCUMENTS, "contact_allocations": _DOCUMENTS}


def invalidate_after_write(cache: RefCache, business_id: str, resource: str) -> None:
    """Drop what a write to ``resource`` of ``business_id`` makes stale: its reference kinds and its totals."""
    cache.invalidate(business_id, *INVALIDATES.get(resource, ()))
    cache.invalidate_counts(business_id, resource, *RELATED_TOTALS.get(resource, ()))
