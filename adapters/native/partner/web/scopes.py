"""The partner API's scopes and which of them each route needs (issue 16).

A route is allowed when the token holds any of its scopes; a ``…:read_write`` scope also reads what it writes
(``journal_entries:read_write`` lists journal entries). Otherwise the answer is ``missing_scope`` (403).
"""

from __future__ import annotations

SCOPES: tuple[str, ...] = (
    "companies:read", "accounts:read", "journal_entries:read", "bank_accounts:read", "bank_transactions:read",
    "reconciliations:read", "reports:read", "transactions:read_write", "bill_payments:read_write",
    "journal_entries:read_write",
)

#: Resource name → the scopes any one of which allows it.
READ = {
    "companies": ("companies:read",),
    "accounts": ("accounts:read",),
    "journal-entries": ("journal_entries:read", "journal_entries:read_write"),
    "journal-lines": ("journal_entries:read", "journal_entries:read_write"),
    "bank-accounts": ("bank_accounts:read",),
    "bank-transactions": ("bank_transactions:read", "transactions:read_write"),
    "reconciliations": ("reconciliations:read",),
    "reports": ("reports:read",),
}
#: Intent (``adapters.native.partner.intents``) → the scope that allows posting it.
WRITE = {
    "purchase": ("transactions:read_write",),
    "deposit": ("transactions:read_write",),
    "transfer": ("transactions:read_write",),
    "bill_payment": ("bill_payments:read_write",),
    "journal_entry": ("journal_entries:read_write",),
}
