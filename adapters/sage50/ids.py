"""Stable Xero GUIDs of Sage 50 records: uuid5 of the tenant, the kind and the record's Sage key.

Sage 50 keys records by account references and transaction numbers; Xero by GUIDs. A GUID is computed, never
stored: ``uuid5(NAMESPACE, f"{tenant_id}/{kind}/{key}")``, the same in every process and after every resync. The
way back (GUID → record) is the in-memory view's index (:class:`adapters.sage50.unit.Books`), so no map is kept.

Kinds: ``contact`` (``ACCOUNT_REF`` of SALES_LEDGER and PURCHASE_LEDGER: one ContactID for a reference used on
both ledgers), ``account`` (NOMINAL_LEDGER ``ACCOUNT_REF``), ``header`` (AUDIT_HEADER ``HEADER_NUMBER``: invoices,
credit notes, payments, bank transactions, journals), ``split`` (AUDIT_SPLIT ``TRAN_NUMBER``: line items),
``usage`` (AUDIT_USAGE ``USAGE_NUMBER``: allocations), ``document`` (INVOICE ``INVOICE_NUMBER``: unposted drafts),
``department`` (DEPARTMENT ``NUMBER``: tracking options), ``stock`` (STOCK ``STOCK_CODE``: items).
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("0b6f1c2e-5a3d-5f48-8e21-9d4c7a1b3e65")
#: The tracking category that holds the departments (one per company).
DEPARTMENTS = "departments"


def guid(tenant_id: str, kind: str, key: object) -> str:
    """The Xero GUID of one Sage 50 record (lower-case, hyphenated)."""
    return str(uuid.uuid5(NAMESPACE, f"{tenant_id}/{kind}/{key}"))
