"""Reports computed from Sage ledger balances and entries (Sage has no reports endpoint): ProfitAndLoss,
BalanceSheet, TrialBalance, AgedReceivablesByContact, AgedPayablesByContact, BankSummary."""
