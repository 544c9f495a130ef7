"""The Xero records that carry History and Attachments on 1004, and the QBO entities behind each (data for
:mod:`adapters.qbo.ops_workflow`).

Attachments: QBO links files to transactions and to names through ``Attachable.AttachableRef.EntityRef`` (Intuit
"Attach images and notes"). Xero's account attachments have no QBO counterpart (an ``Account`` is not an attachable
entity), so ``…/Accounts/{AccountID}/Attachments…`` stay unimplemented (501). ``IncludeOnline`` is QBO's
``AttachableRef.IncludeOnSend`` (the file goes with the document when it is sent), which QBO offers on the documents
it sends to customers: Invoice and CreditMemo, Xero's ACCREC invoices and ACCRECCREDIT credit notes (the only ones
whose attachments Xero shows online).
"""

from __future__ import annotations

from dataclasses import dataclass

from .translate.banking import BANK_ENTITIES


@dataclass(frozen=True)
class Parent:
    """A Xero collection with History (and maybe Attachments) operations on 1004.

    Attributes:
        id_field: the id field of its records (``InvoiceID``).
        entities: the QBO entities its records are (the first one wins for a GUID naming several).
        attachments: whether its records take attachments (QBO ``Attachable``).
        online: the entities whose attachments may be sent with the document (``IncludeOnline``).
        parts: whether a record may be a part of a QBO record (a Xero payment is one line of a QBO Payment).
    """

    id_field: str
    entities: tuple[str, ...]
    attachments: bool = True
    online: tuple[str, ...] = ()
    parts: bool = False


PARENTS: dict[str, Parent] = {
    "Invoices": Parent("InvoiceID", ("Invoice", "Bill"), online=("Invoice",)),
    "CreditNotes": Parent("CreditNoteID", ("CreditMemo", "VendorCredit"), online=("CreditMemo",)),
    "BankTransactions": Parent("BankTransactionID", BANK_ENTITIES),
    "BankTransfers": Parent("BankTransferID", ("Transfer",)),
    "Contacts": Parent("ContactID", ("Customer", "Vendor")),
    "ManualJournals": Parent("ManualJournalID", ("JournalEntry",)),
    "Quotes": Parent("QuoteID", ("Estimate",)),
    "PurchaseOrders": Parent("PurchaseOrderID", ("PurchaseOrder",)),
    "RepeatingInvoices": Parent("RepeatingInvoiceID", ("RecurringTransaction",), attachments=False),
    "Items": Parent("ItemID", ("Item",), attachments=False),
    "Payments": Parent("PaymentID", ("Payment", "BillPayment"), attachments=False, parts=True),
}

#: Xero collections with attachment operations that QBO cannot serve, and why.
NOT_ATTACHABLE: dict[str, str] = {
    "Accounts": "QBO attaches files to transactions and names, not to accounts",
    "RepeatingInvoices": "a RecurringTransaction template is not an attachable entity",
}
