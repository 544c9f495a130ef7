"""Native-ledger operations: Quotes, PurchaseOrders, LinkedTransactions, History and Notes, Attachments and document
PDFs.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``).
"""

from __future__ import annotations


class WorkflowOperations:
    """Operations on Quotes, PurchaseOrders, LinkedTransactions, History and Notes, Attachments and document PDFs."""
