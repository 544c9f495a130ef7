"""One module per Xero resource the native ledger keeps: its lookups, validation rules and writes on the ledger's
tables (the operations in ``adapters/native/ops_*.py`` call these)."""
