"""Native-ledger operations: CreditNotes (+Allocations), Overpayments, Prepayments (+Allocations), BankTransactions,
BankTransfers and ManualJournals.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``).
"""

from __future__ import annotations


class DocumentOperations:
    """Operations on CreditNotes (+Allocations), Overpayments, Prepayments (+Allocations), BankTransactions,
    BankTransfers and ManualJournals."""
