"""The Xero collections listed through Sage list calls, as data for :mod:`adapters.sage_accounting.query`.

For each: the Sage resources (streams) behind it in default order (Sage's own order within a resource, resources one
after the other: sales before purchases, the ascending order of the Xero ``Type``), the Xero paths Sage can filter
on and the parameters they become (GET parameters of each path in swagger.accounts.v3.1.json), and the parameters
every list call sends: ``attributes=all`` (lists return only ``id``/``displayed_as``/``$path`` otherwise,
upstream-contracts.md §2 "Lists") and, for documents, ``show_payments_allocations=true`` (their payments and credit
allocations, for ``AmountPaid``/``AmountCredited``/``Payments``). Accounts, tax rates, items and currencies are
listed from the reference cache instead (:mod:`adapters.sage_accounting.refdata`).
"""

from __future__ import annotations

from .query import DATE, FLAG, REF, STATUS, TEXT, UPDATED, Collection, FieldSpec

ALL = {"attributes": "all"}
DOCUMENT_PARAMS = {"attributes": "all", "show_payments_allocations": "true"}
UPDATED_FIELD = FieldSpec(UPDATED)
DOCUMENT_STATUS = FieldSpec(STATUS, "status_id", values={"DRAFT": "DRAFT", "PAID": "PAID", "VOIDED": "VOID",
                                                          "DELETED": None})
CONTACT_REF = FieldSpec(REF, "contact_id", resource="contacts")
SEARCH = FieldSpec(TEXT, "search")

INVOICES = Collection(
    name="Invoices",
    streams=(("ACCREC", "sales_invoices"), ("ACCPAY", "purchase_invoices")),
    discriminator="Type",
    fields={"contact.contactid": CONTACT_REF, "date": FieldSpec(DATE), "updateddateutc": UPDATED_FIELD,
            "status": DOCUMENT_STATUS, "reference": SEARCH, "contact.name": SEARCH},
    params=DOCUMENT_PARAMS,
    contact_path="Contact.ContactID",
    status_path="Status",
    search_paths=("InvoiceNumber", "Reference", "Contact.Name"),
    search_param="search",
)

CREDIT_NOTES = Collection(
    name="CreditNotes",
    streams=(("ACCRECCREDIT", "sales_credit_notes"), ("ACCPAYCREDIT", "purchase_credit_notes")),
    discriminator="Type",
    fields={"contact.contactid": CONTACT_REF, "date": FieldSpec(DATE), "updateddateutc": UPDATED_FIELD,
            "status": DOCUMENT_STATUS, "reference": SEARCH, "contact.name": SEARCH},
    params=DOCUMENT_PARAMS,
    contact_path="Contact.ContactID",
    status_path="Status",
)

CONTACTS = Collection(
    name="Contacts",
    streams=(("", "contacts"),),
    fields={"name": SEARCH, "emailaddress": FieldSpec(TEXT, "email"), "updateddateutc": UPDATED_FIELD,
            "iscustomer": FieldSpec(FLAG, "contact_type_id", values={"true": "CUSTOMER"}),
            "issupplier": FieldSpec(FLAG, "contact_type_id", values={"true": "VENDOR"})},
    params=ALL,
    search_paths=("Name", "FirstName", "LastName", "EmailAddress", "AccountNumber"),
    search_param="search",
)

BANK_TRANSACTIONS = Collection(
    name="BankTransactions",
    streams=(("", "other_payments"),),
    fields={"contact.contactid": CONTACT_REF, "date": FieldSpec(DATE), "updateddateutc": UPDATED_FIELD,
            "type": FieldSpec(STATUS, "transaction_type_id", values={"SPEND": "OTHER_PAYMENT",
                                                                     "RECEIVE": "OTHER_RECEIPT"})},
    params=ALL,
    contact_path="Contact.ContactID",
)

BANK_TRANSFERS = Collection(
    name="BankTransfers",
    streams=(("", "bank_transfers"),),
    fields={"date": FieldSpec(DATE), "updateddateutc": UPDATED_FIELD},
    params=ALL,
)

MANUAL_JOURNALS = Collection(
    name="ManualJournals",
    streams=(("", "journals"),),
    fields={"updateddateutc": UPDATED_FIELD},
    params=ALL,
)

PAYMENTS = Collection(
    name="Payments",
    streams=(("", "contact_payments"),),
    fields={"date": FieldSpec(DATE), "updateddateutc": UPDATED_FIELD},
    params=ALL,
    one_row_per_record=False,
)
