"""Native-ledger operations: the reports (ProfitAndLoss, BalanceSheet, TrialBalance, aged receivables/payables,
BankSummary, ExecutiveSummary, BudgetSummary), computed from the ledger.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``).
"""

from __future__ import annotations


class ReportOperations:
    """Operations on the reports (ProfitAndLoss, BalanceSheet, TrialBalance, aged receivables/payables, BankSummary,
    ExecutiveSummary, BudgetSummary), computed from the ledger."""
