"""Native-ledger parity with Xero for what its clients rely on (issue 12): attachment flags, multi-component tax
rates, Employees, multi-currency postings."""
