"""Webhook event categories and types, and which Accounting API collection each category's resources live in.

Xero's categories are the ``eventCategory`` enum of ``xero-webhooks.yaml`` (v16.1.0): ``CONTACT``, ``INVOICE``,
``SUBSCRIPTION``, ``CREDITNOTE``. ``PAYMENT``, ``BANKTRANSACTION`` and ``MANUALJOURNAL`` are **this gateway's
opt-in extension categories** (shared/notes/webhooks.md §5): Xero has no such category, and Xero receivers ignore
them because they switch on ``eventCategory``; an app gets them only when its subscription names them.
"""

from __future__ import annotations

#: ``eventCategory`` values of Xero's spec (``WebhookEvent.events[].eventCategory``).
XERO_CATEGORIES: tuple[str, ...] = ("CONTACT", "INVOICE", "SUBSCRIPTION", "CREDITNOTE")

#: The gateway's own categories (not Xero's): opt-in only.
EXTENSION_CATEGORIES: tuple[str, ...] = ("PAYMENT", "BANKTRANSACTION", "MANUALJOURNAL")

CATEGORIES: tuple[str, ...] = XERO_CATEGORIES + EXTENSION_CATEGORIES

#: ``eventType`` values of Xero's spec; archiving is an UPDATE and there is no DELETE.
EVENT_TYPES: tuple[str, ...] = ("CREATE", "UPDATE")

#: ``tenantType`` values of Xero's spec: ORGANISATION, or APPLICATION for SUBSCRIPTION events.
TENANT_TYPES: tuple[str, ...] = ("ORGANISATION", "APPLICATION")

#: Accounting API collection → (category, the collection's ID field). Used for ``resourceUrl`` and to map writes.
COLLECTIONS: dict[str, tuple[str, str]] = {
    "Contacts": ("CONTACT", "ContactID"),
    "Invoices": ("INVOICE", "InvoiceID"),
    "CreditNotes": ("CREDITNOTE", "CreditNoteID"),
    "Payments": ("PAYMENT", "PaymentID"),
    "BankTransactions": ("BANKTRANSACTION", "BankTransactionID"),
    "ManualJournals": ("MANUALJOURNAL", "ManualJournalID"),
}

#: Category → the collection its ``resourceUrl`` names (SUBSCRIPTION events are App Store events: none here).
CATEGORY_COLLECTIONS: dict[str, str] = {category: collection for collection, (category, _) in COLLECTIONS.items()}


def parse_categories(text: str | list[str]) -> list[str]:
    """Subscribed categories from ``"CONTACT INVOICE"`` (spaces or commas) or a list, upper-cased, deduplicated,
    in :data:`CATEGORIES` order.

    Raises:
        ValueError: an unknown category, or none at all.
    """
    words = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    wanted = {w.strip().upper() for w in words if w.strip()}
    unknown = sorted(wanted - set(CATEGORIES))
    if unknown:
        raise ValueError(f"unknown webhook categories {', '.join(unknown)}; known: {' '.join(CATEGORIES)} "
                         f"({' '.join(EXTENSION_CATEGORIES)} are this gateway's extensions, not Xero's)")
    if not wanted:
        raise ValueError("a webhook subscription needs at least one category")
    return [c for c in CATEGORIES if c in wanted]
