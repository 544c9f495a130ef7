"""Native-ledger operations: Items, TrackingCategories and Options, ContactGroups, Users, BrandingThemes, Currencies
and TaxRates writes, Accounts delete and the Journals feed.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``).
"""

from __future__ import annotations


class CatalogueOperations:
    """Operations on Items, TrackingCategories and Options, ContactGroups, Users, BrandingThemes, Currencies and
    TaxRates writes, Accounts delete and the Journals feed."""
