"""The Xero collections the QBO adapter lists through QBO queries, as data for :mod:`adapters.qbo.query`.

For each: the QBO entities (streams) behind it, the Xero paths QBO can filter or order by and their QBO properties
(Finance.xsd names; ``MetaData.LastUpdatedTime`` for ``UpdatedDateUTC``, upstream-contracts.md §1 "Query"), and the
default order: ``MetaData.LastUpdatedTime`` within each entity, entities one after the other in the order listed
(sales first: the descending order of the Xero discriminator, ACCREC before ACCPAY, so that the gateway's own sorting
agrees, :attr:`~adapters.qbo.query.Resource.default_terms`). Accounts, items, tax rates, tracking categories and
currencies are listed from the reference cache instead (:mod:`adapters.qbo.refdata`).
"""

from __future__ import annotations

from gateway.xero.request import OrderTerm

from .query import ACTIVE, DATE, DATETIME, ID, NUMBER, REF, TEXT, FieldSpec, Resource

UPDATED = FieldSpec(DATETIME, "MetaData.LastUpdatedTime")
DEFAULT_ORDER = "MetaData.LastUpdatedTime"

INVOICES = Resource(
    name="Invoices",
    streams=(("ACCREC", "Invoice"), ("ACCPAY", "Bill")),
    discriminator="Type",
    selects={"ACCPAY": ("ACCPAY",), "ACCREC": ("ACCREC",)},
    fields={
        "invoiceid": FieldSpec(ID, "Id"),
        "invoicenumber": FieldSpec(TEXT, "DocNumber"),
        "date": FieldSpec(DATE, "TxnDate"),
        "duedate": FieldSpec(DATE, "DueDate"),
        "total": FieldSpec(NUMBER, "TotalAmt"),
        "amountdue": FieldSpec(NUMBER, "Balance"),
        "updateddateutc": UPDATED,
        "contact.contactid": FieldSpec(REF, {"Invoice": "CustomerRef", "Bill": "VendorRef"},
                                       targets={"Invoice": "Customer", "Bill": "Vendor"}, orderable=False),
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("Type", descending=True), OrderTerm("UpdatedDateUTC"), OrderTerm("InvoiceID")),
    id_path="InvoiceID",
    contact_path="Contact.ContactID",
    number_path="InvoiceNumber",
    status_path="Status",
    balance="Balance",
)

CREDIT_NOTES = Resource(
    name="CreditNotes",
    streams=(("ACCRECCREDIT", "CreditMemo"), ("ACCPAYCREDIT", "VendorCredit")),
    discriminator="Type",
    selects={"ACCPAYCREDIT": ("ACCPAYCREDIT",), "ACCRECCREDIT": ("ACCRECCREDIT",)},
    fields={
        "creditnoteid": FieldSpec(ID, "Id"),
        "creditnotenumber": FieldSpec(TEXT, "DocNumber"),
        "date": FieldSpec(DATE, "TxnDate"),
        "total": FieldSpec(NUMBER, "TotalAmt"),
        "updateddateutc": UPDATED,
        "contact.contactid": FieldSpec(REF, {"CreditMemo": "CustomerRef", "VendorCredit": "VendorRef"},
                                       targets={"CreditMemo": "Customer", "VendorCredit": "Vendor"},
                                       orderable=False),
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("Type", descending=True), OrderTerm("UpdatedDateUTC"), OrderTerm("CreditNoteID")),
    id_path="CreditNoteID",
    status_path="Status",
    balance="Balance",
)

CONTACTS = Resource(
    name="Contacts",
    streams=(("customer", "Customer"), ("vendor", "Vendor")),
    fields={
        "contactid": FieldSpec(ID, "Id"),
        "name": FieldSpec(TEXT, "DisplayName"),
        "firstname": FieldSpec(TEXT, "GivenName"),
        "lastname": FieldSpec(TEXT, "FamilyName"),
        "accountnumber": FieldSpec(TEXT, "AcctNum"),
        "contactstatus": FieldSpec(ACTIVE, "Active"),
        "updateddateutc": UPDATED,
    },
    default_order="DisplayName",
    default_terms=(OrderTerm("IsCustomer", descending=True), OrderTerm("Name"), OrderTerm("ContactID")),
    id_path="ContactID",
    name_list=True,
)

PAYMENTS = Resource(
    name="Payments",
    streams=(("ACCRECPAYMENT", "Payment"), ("ACCPAYPAYMENT", "BillPayment")),
    discriminator="PaymentType",
    selects={"ACCPAYPAYMENT": ("ACCPAYPAYMENT",), "ACCRECPAYMENT": ("ACCRECPAYMENT",)},
    fields={
        "date": FieldSpec(DATE, "TxnDate"),
        "updateddateutc": UPDATED,
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("PaymentType", descending=True), OrderTerm("UpdatedDateUTC"), OrderTerm("PaymentID")),
    id_path="PaymentID",
    one_row_per_record=False,
)

BANK_TRANSACTIONS = Resource(
    name="BankTransactions",
    streams=(("Deposit", "Deposit"), ("Purchase", "Purchase"), ("SalesReceipt", "SalesReceipt")),
    discriminator="Type",
    selects={"SPEND": ("Purchase",), "RECEIVE": ("Deposit", "Purchase", "SalesReceipt")},
    exact_discriminator=False,
    merge_streams=True,
    fields={
        "banktransactionid": FieldSpec(ID, "Id"),
        "date": FieldSpec(DATE, "TxnDate"),
        "total": FieldSpec(NUMBER, "TotalAmt"),
        "updateddateutc": UPDATED,
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("UpdatedDateUTC"), OrderTerm("BankTransactionID")),
    id_path="BankTransactionID",
)

BANK_TRANSFERS = Resource(
    name="BankTransfers",
    streams=(("Transfer", "Transfer"),),
    fields={
        "banktransferid": FieldSpec(ID, "Id"),
        "date": FieldSpec(DATE, "TxnDate"),
        "amount": FieldSpec(NUMBER, "Amount"),
        "frombankaccount.accountid": FieldSpec(REF, "FromAccountRef", targets={"Transfer": "Account"},
                                               orderable=False),
        "tobankaccount.accountid": FieldSpec(REF, "ToAccountRef", targets={"Transfer": "Account"},
                                             orderable=False),
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("CreatedDateUTC"), OrderTerm("BankTransferID")),
    id_path="BankTransferID",
)

MANUAL_JOURNALS = Resource(
    name="ManualJournals",
    streams=(("JournalEntry", "JournalEntry"),),
    fields={
        "manualjournalid": FieldSpec(ID, "Id"),
        "date": FieldSpec(DATE, "TxnDate"),
        "updateddateutc": UPDATED,
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("UpdatedDateUTC"), OrderTerm("ManualJournalID")),
    id_path="ManualJournalID",
)

QUOTES = Resource(
    name="Quotes",
    streams=(("Estimate", "Estimate"),),
    fields={
        "quoteid": FieldSpec(ID, "Id"),
        "quotenumber": FieldSpec(TEXT, "DocNumber"),
        "date": FieldSpec(DATE, "TxnDate"),
        "expirydate": FieldSpec(DATE, "ExpirationDate"),
        "total": FieldSpec(NUMBER, "TotalAmt"),
        "updateddateutc": UPDATED,
        "contact.contactid": FieldSpec(REF, "CustomerRef", targets={"Estimate": "Customer"}, orderable=False),
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("UpdatedDateUTC"), OrderTerm("QuoteID")),
    id_path="QuoteID",
    contact_path="Contact.ContactID",
    number_path="QuoteNumber",
)

PURCHASE_ORDERS = Resource(
    name="PurchaseOrders",
    streams=(("PurchaseOrder", "PurchaseOrder"),),
    fields={
        "purchaseorderid": FieldSpec(ID, "Id"),
        "purchaseordernumber": FieldSpec(TEXT, "DocNumber"),
        "date": FieldSpec(DATE, "TxnDate"),
        "deliverydate": FieldSpec(DATE, "DueDate"),
        "total": FieldSpec(NUMBER, "TotalAmt"),
        "updateddateutc": UPDATED,
        "contact.contactid": FieldSpec(REF, "VendorRef", targets={"PurchaseOrder": "Vendor"}, orderable=False),
    },
    default_order=DEFAULT_ORDER,
    default_terms=(OrderTerm("UpdatedDateUTC"), OrderTerm("PurchaseOrderID")),
    id_path="PurchaseOrderID",
    contact_path="Contact.ContactID",
    number_path="PurchaseOrderNumber",
)
