"""The write ledger of the Sage adapter: a retried Xero write with the same ``Idempotency-Key`` never creates a second
Sage record (Sage has no idempotency key, upstream-contracts.md §2).

The ledger itself (``pending`` before the ``POST``, ``done`` after, a look-up of a pending write's record before any
new ``POST``) is :mod:`adapters.common.ledger`'s, on the table ``sage_writes``
(:data:`adapters.sage_accounting.tables.SAGE_WRITES`). What is Sage's here:

- :data:`FINGERPRINTS`: the fields of each resource's ``POST`` body that identify the record it made, as Sage reads
  it back (``contact_id`` → ``contact.id``; document lines; allocated artefacts);
- :data:`LOOKUP_FILTERS`: the list parameters narrowing a look-up (besides ``updated_or_created_since``, the pending
  row's start time less :data:`~adapters.common.ledger.SKEW`), swagger GET parameters of each path.

The look-up itself is :meth:`adapters.sage_accounting.unit.SageUnit.look_up`.
"""

from __future__ import annotations

from adapters.base import DatabaseHandle
from adapters.common.ledger import DONE, PENDING, SKEW, Fingerprint, WriteLedger, matches, scope_of

from .tables import SAGE_WRITES

__all__ = ["DONE", "FINGERPRINTS", "LOOKUP_FILTERS", "PENDING", "SKEW", "WriteLedger", "matches", "scope_of",
           "sage_ledger"]


def sage_ledger(db: DatabaseHandle) -> WriteLedger:
    """The adapter's write ledger on ``sage_writes`` in the gateway's database ``db``."""
    return WriteLedger(db, table=SAGE_WRITES, tenant_column="business_id", id_column="sage_id")


_DOCUMENT_LINES = {"description": "description", "ledger_account_id": "ledger_account.id", "quantity": "quantity",
                   "unit_price": "unit_price"}

#: The fingerprint of each resource the adapter creates.
FINGERPRINTS: dict[str, Fingerprint] = {
    "contacts": Fingerprint({"name": "name", "reference": "reference", "email": "email"}),
    "ledger_accounts": Fingerprint({"nominal_code": "nominal_code", "name": "name"}),
    "bank_accounts": Fingerprint({"nominal_code": "nominal_code", "bank_account_type_id": "bank_account_type.id"}),
    "products": Fingerprint({"item_code": "item_code", "description": "description"}),
    "services": Fingerprint({"item_code": "item_code", "description": "description"}),
    **{resource: Fingerprint({"contact_id": "contact.id", "date": "date", "reference": "reference",
                              "invoice_number": "invoice_number", "credit_note_number": "credit_note_number",
                              "vendor_reference": "vendor_reference"},
                             lines=(lines, lines, _DOCUMENT_LINES))
       for resource, lines in (("sales_invoices", "invoice_lines"), ("purchase_invoices", "invoice_lines"),
                               ("sales_credit_notes", "credit_note_lines"),
                               ("purchase_credit_notes", "credit_note_lines"))},
    "contact_payments": Fingerprint({"contact_id": "contact.id", "bank_account_id": "bank_account.id", "date": "date",
                                     "total_amount": "total_amount", "reference": "reference",
                                     "transaction_type_id": "transaction_type.id"},
                                    artefacts=("allocated_artefacts", "allocated_artefacts")),
    "contact_allocations": Fingerprint({"contact_id": "contact.id", "date": "date",
                                        "transaction_type_id": "transaction_type.id"},
                                       artefacts=("allocated_artefacts", "allocated_artefacts")),
    "other_payments": Fingerprint({"bank_account_id": "bank_account.id", "date": "date", "reference": "reference",
                                   "total_amount": "total_amount", "transaction_type_id": "transaction_type.id",
                                   "contact_id": "contact.id"},
                                  lines=("payment_lines", "payment_lines",
                                         {"ledger_account_id": "ledger_account.id", "total_amount": "total_amount"})),
    "bank_transfers": Fingerprint({"from_bank_account_id": "from_bank_account.id",
                                   "to_bank_account_id": "to_bank_account.id", "date": "date", "amount": "amount",
                                   "reference": "reference"}),
    "journals": Fingerprint({"date": "date", "reference": "reference", "description": "description"},
                            lines=("journal_lines", "journal_lines",
                                   {"ledger_account_id": "ledger_account.id", "debit": "debit", "credit": "credit"})),
}

#: List filters narrowing a look-up: sent body key → Sage list parameter.
LOOKUP_FILTERS: dict[str, dict[str, str]] = {
    "sales_invoices": {"contact_id": "contact_id"},
    "purchase_invoices": {"contact_id": "contact_id"},
    "sales_credit_notes": {"contact_id": "contact_id"},
    "purchase_credit_notes": {"contact_id": "contact_id"},
    "contact_payments": {"contact_id": "contact_id", "transaction_type_id": "transaction_type_id"},
    "contact_allocations": {"contact_id": "contact_id", "transaction_type_id": "transaction_type_id"},
    "other_payments": {"bank_account_id": "bank_account_id", "transaction_type_id": "transaction_type_id"},
}
