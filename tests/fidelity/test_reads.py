"""Translators that read fields through their field maps (:func:`adapters.common.fields.read`).

- :meth:`FieldMap.read` itself: dotted paths, absent steps, conversion, the ``source`` the documents show.
- Per upstream source, the translators that do (QBO Accounts, Items, Invoices, CreditNotes, Contacts,
  ManualJournals; Sage Accounting Contacts, Items, Invoices, CreditNotes, ManualJournals; Sage 50 Prepayments,
  Contacts, Invoices, CreditNotes): the output carries exactly what the map reads from the source record, and a
  map that reads another source field changes the output, so the declaration is the code and the two cannot drift.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from adapters.common import fields
from adapters.qbo.translate import accounts as qbo_accounts
from adapters.qbo.translate import contacts as qbo_contacts
from adapters.qbo.translate import documents as qbo_documents
from adapters.qbo.translate import items as qbo_items
from adapters.qbo.translate import journals as qbo_journals
from adapters.sage50.translate import contacts as sage50_contacts
from adapters.sage50.translate import documents as sage50_documents
from adapters.sage50.translate import prepayments as sage50_prepayments
from adapters.sage50.unit import Books
from adapters.sage_accounting.codes import tables
from adapters.sage_accounting.refdata import RefData
from adapters.sage_accounting.translate import contacts as sage_contacts
from adapters.sage_accounting.translate import documents as sage_documents
from adapters.sage_accounting.translate import items as sage_items
from adapters.sage_accounting.translate import journals as sage_journals
from adapters.sage_accounting.translate.common import Tx
from gateway.xero.models import Contact
from tests.qbo.translation_support import account, entity, rows, tx
from tests.sage import payloads

#: An SA header (money received on account, part unallocated) as the Sage 50 connector sends it.
SA_HEADER = {"HEADER_NUMBER": 7, "TYPE": "SA", "ACCOUNT_REF": "ABS001", "DATE": "2026-03-01", "OUTSTANDING": "-25.50",
             "DETAILS": "On account", "INV_REF": "CHQ 1", "RECORD_MODIFY_DATE": "2026-03-02T10:00:00",
             "CURRENCY": 1, "FOREIGN_RATE": "0"}


@pytest.fixture
def sage_tx() -> Tx:
    """Sage Accounting refs of the payloads' business (as tests/sage/test_translate.py builds them)."""
    return Tx(business_id=payloads.BUSINESS_ID, tenant_id="t-1", refs=RefData({
        "ledger_accounts": payloads.LEDGER_ACCOUNTS, "bank_accounts": payloads.BANK_ACCOUNTS,
        "tax_rates": payloads.TAX_RATES, "products": [payloads.PRODUCT], "services": [payloads.SERVICE],
        "business": payloads.BUSINESS, "financial_settings": payloads.FINANCIAL_SETTINGS,
        "business_settings": payloads.BUSINESS_SETTINGS, "currencies": []}))


def remapped(fmap: fields.FieldMap, xero_path: str, path: str) -> fields.FieldMap:
    """``fmap`` with ``xero_path`` read from another source ``path``."""
    declared = [dataclasses.replace(f, path=path) if f.xero_path == xero_path else f for f in fmap.fields.values()]
    return fields.FieldMap(fmap.resource, fmap.model, declared)


def test_read_follows_dotted_paths_and_converts():
    fmap = fields.FieldMap("Contacts", Contact,
                           fields.read("Name", "name", str.upper, record="contacts"),
                           fields.read("TaxNumber", "tax.number", fields.or_none, note="None when empty"),
                           fields.read("AccountNumber", "AcctNum", str, record=("Customer", "Vendor")),
                           fields.populated("EmailAddress", "email"))
    assert fmap["Name"].source == "contacts.name" and fmap["TaxNumber"].note == "None when empty"
    assert fmap["TaxNumber"].source == "tax.number"
    assert fmap["AccountNumber"].source == "Customer.AcctNum / Vendor.AcctNum"
    read = fmap.read({"name": "acme", "tax": {"number": "GB1"}, "email": "a@b", "AcctNum": 7})
    assert read == {"Name": "ACME", "TaxNumber": "GB1", "AccountNumber": "7"}
    assert fmap.read({"name": "acme", "tax": "GB1"})["TaxNumber"] is None  # not an object
    assert fmap.read({"name": "acme", "tax": {"number": ""}})["TaxNumber"] is None  # empty


def test_qbo_invoices_read_through_their_map(monkeypatch):
    t = tx(items=[entity("Item", "object_sample")], taxcodes=rows("TaxCode"))
    row, kind = entity("Invoice", "object_sample"), qbo_documents.BY_ENTITY["Invoice"]
    expected = qbo_documents.INVOICE_FIELDS.read(row)
    assert set(expected) == {"Date", "DueDate", "TotalTax", "Total", "InvoiceNumber"}
    invoice = qbo_documents.invoice_to_xero(row, kind, t)
    assert {name: getattr(invoice, name) for name in expected} == expected
    assert (invoice.InvoiceNumber, invoice.Date, invoice.SubTotal) == ("1037", date(2014, 9, 19), Decimal("335.25"))
    monkeypatch.setattr(qbo_documents, "INVOICE_FIELDS", remapped(qbo_documents.INVOICE_FIELDS, "InvoiceNumber", "Id"))
    assert qbo_documents.invoice_to_xero(row, kind, t).InvoiceNumber == "130"


def test_qbo_credit_notes_read_their_number_through_their_map(monkeypatch):
    t = tx(taxcodes=rows("TaxCode"))
    row, kind = entity("CreditMemo", "object_sample"), qbo_documents.BY_ENTITY["CreditMemo"]
    assert qbo_documents.credit_note_to_xero(row, kind, t).CreditNoteNumber == row.get("DocNumber")
    monkeypatch.setattr(qbo_documents, "CREDIT_NOTE_FIELDS",
                        remapped(qbo_documents.CREDIT_NOTE_FIELDS, "CreditNoteNumber", "Id"))
    assert qbo_documents.credit_note_to_xero(row, kind, t).CreditNoteNumber == row["Id"]


def test_qbo_accounts_read_through_their_map(monkeypatch):
    row = account("35", "Checking", "Bank", code="1000")
    expected = qbo_accounts.ACCOUNT_FIELDS.read(row)
    assert set(expected) == {"Code", "Name", "Description", "CurrencyCode"}
    made = qbo_accounts.account_to_xero(row, tx())
    assert {name: getattr(made, name) for name in expected} == expected and made.Code == "1000"
    monkeypatch.setattr(qbo_accounts, "ACCOUNT_FIELDS", remapped(qbo_accounts.ACCOUNT_FIELDS, "Code", "Id"))
    assert qbo_accounts.account_to_xero(row, tx()).Code == "35"


def test_qbo_items_read_through_their_map(monkeypatch):
    row = entity("Item", "object_sample")
    expected = qbo_items.ITEM_FIELDS.read(row)
    assert set(expected) == {"Name", "Description", "PurchaseDescription"}
    made = qbo_items.item_to_xero(row, tx())
    assert {name: getattr(made, name) for name in expected} == expected and made.Name == row["Name"]
    monkeypatch.setattr(qbo_items, "ITEM_FIELDS", remapped(qbo_items.ITEM_FIELDS, "Name", "Id"))
    assert qbo_items.item_to_xero(row, tx()).Name == row["Id"]


def test_qbo_and_sage_manual_journals_read_their_dates_through_their_maps(sage_tx, monkeypatch):
    row = entity("JournalEntry", "object_sample")
    assert qbo_journals.journal_to_xero(row, tx()).Date == qbo_journals.MANUAL_JOURNAL_FIELDS.read(row)["Date"]
    assert sage_journals.manual_journal_from_sage(payloads.JOURNAL, sage_tx).UpdatedDateUTC == \
        sage_journals.MANUAL_JOURNAL_FIELDS.read(payloads.JOURNAL)["UpdatedDateUTC"]
    monkeypatch.setattr(qbo_journals, "MANUAL_JOURNAL_FIELDS",
                        remapped(qbo_journals.MANUAL_JOURNAL_FIELDS, "Date", "MetaData.CreateTime"))
    monkeypatch.setattr(sage_journals, "MANUAL_JOURNAL_FIELDS",
                        remapped(sage_journals.MANUAL_JOURNAL_FIELDS, "Date", "created_at"))
    assert qbo_journals.journal_to_xero(row, tx()).Date == date.fromisoformat(row["MetaData"]["CreateTime"][:10])
    created = payloads.JOURNAL.get("created_at")
    made = sage_journals.manual_journal_from_sage({**payloads.JOURNAL, "created_at": "2025-01-02"}, sage_tx)
    assert made.Date == date(2025, 1, 2) and created != "2025-01-02"


def test_qbo_contacts_read_through_their_map(monkeypatch):
    row = entity("Customer", "object_sample_intuit")
    expected = qbo_contacts.CONTACT_FIELDS.read(row)
    assert set(expected) == {"Name", "FirstName", "LastName", "EmailAddress", "AccountNumber", "DefaultCurrency"}
    contact = qbo_contacts.contact_to_xero(row, qbo_contacts.CUSTOMER, tx())
    assert {name: getattr(contact, name) for name in expected} == expected
    assert (contact.Name, contact.EmailAddress) == ("Bill's Windsurf Shop", "Surf@Intuit.com")
    monkeypatch.setattr(qbo_contacts, "CONTACT_FIELDS", remapped(qbo_contacts.CONTACT_FIELDS, "Name", "CompanyName"))
    assert qbo_contacts.contact_to_xero(row, qbo_contacts.CUSTOMER, tx()).Name == row["CompanyName"]


def test_sage_invoices_and_credit_notes_read_through_their_maps(sage_tx, monkeypatch):
    row = payloads.sales_invoice()
    expected = sage_documents.INVOICE_FIELDS.read(row)
    assert set(expected) == {"Date", "DueDate", "Reference", "CurrencyRate", "SubTotal", "TotalTax", "Total",
                             "UpdatedDateUTC", "AmountDue"}
    invoice = sage_documents.document_from_sage(row, tables().document("ACCREC"), sage_tx)
    assert {name: getattr(invoice, name) for name in expected} == expected
    assert (invoice.Reference, invoice.Total) == ("PO-42", Decimal("180.0"))
    credit_map = sage_documents.CREDIT_NOTE_FIELDS
    assert "DueDate" not in credit_map.read(row) and "RemainingCredit" in credit_map.read(row)
    monkeypatch.setattr(sage_documents, "INVOICE_FIELDS",
                        remapped(sage_documents.INVOICE_FIELDS, "Reference", "invoice_number"))
    assert sage_documents.document_from_sage(row, tables().document("ACCREC"), sage_tx).Reference == "SI-7"


def test_sage_items_read_through_their_map(sage_tx, monkeypatch):
    expected = sage_items.ITEM_FIELDS.read(payloads.PRODUCT)
    assert set(expected) == {"Code", "Description", "PurchaseDescription", "UpdatedDateUTC"}
    made = sage_items.item_from_sage(payloads.PRODUCT, "products", sage_tx)
    assert {name: getattr(made, name) for name in expected} == expected and made.Code == "WID-1"
    monkeypatch.setattr(sage_items, "ITEM_FIELDS", remapped(sage_items.ITEM_FIELDS, "Code", "description"))
    assert sage_items.item_from_sage(payloads.PRODUCT, "products", sage_tx).Code == "Widget"


def test_sage_contacts_read_through_their_map(sage_tx, monkeypatch):
    expected = sage_contacts.CONTACT_FIELDS.read(payloads.CUSTOMER)
    assert set(expected) == {"AccountNumber", "TaxNumber", "BankAccountDetails", "UpdatedDateUTC"}
    contact = sage_contacts.contact_from_sage(payloads.CUSTOMER, sage_tx)
    assert {name: getattr(contact, name) for name in expected} == expected
    assert (contact.AccountNumber, contact.TaxNumber) == ("ACME", "GB123456789")
    monkeypatch.setattr(sage_contacts, "CONTACT_FIELDS",
                        remapped(sage_contacts.CONTACT_FIELDS, "AccountNumber", "name"))
    assert sage_contacts.contact_from_sage(payloads.CUSTOMER, sage_tx).AccountNumber == "Acme Ltd"


@pytest.mark.parametrize("rate", ["0", "1.25"])
def test_sage50_prepayments_read_through_their_map(monkeypatch, rate):
    books = Books(tenant_id="00000000-0000-0000-0000-000000000001", tables={})
    header = {**SA_HEADER, "FOREIGN_RATE": rate}
    expected = sage50_prepayments.PREPAYMENT_FIELDS.read(header)
    assert set(expected) == {"Date", "Reference", "UpdatedDateUTC", "CurrencyRate"}
    made = sage50_prepayments.prepayment(books, header)
    assert {name: getattr(made, name) for name in expected} == expected
    assert (made.Date, made.Reference, made.CurrencyRate) == (date(2026, 3, 1), "CHQ 1", Decimal(rate) or 1)
    monkeypatch.setattr(sage50_prepayments, "PREPAYMENT_FIELDS",
                        remapped(sage50_prepayments.PREPAYMENT_FIELDS, "Reference", "DETAILS"))
    assert sage50_prepayments.prepayment(books, header).Reference == "On account"


def test_sage50_contacts_read_through_their_map(monkeypatch):
    ledger = {"ACCOUNT_REF": "ABS001", "NAME": "ABS Garages", "E_MAIL": "ann@abs.test", "VAT_REG_NUMBER": "",
              "CONTACT_NAME": "Ann Smith", "BALANCE": "0", "RECORD_MODIFY_DATE": "2026-01-01T00:00:00"}
    books = Books(tenant_id="00000000-0000-0000-0000-000000000001", tables={"SALES_LEDGER": {"ABS001": ledger}})
    expected = sage50_contacts.CONTACT_FIELDS.read(ledger)
    assert expected == {"EmailAddress": "ann@abs.test", "TaxNumber": None}
    made = sage50_contacts.contact(books, "ABS001", today=date(2026, 3, 1))
    assert {name: getattr(made, name) for name in expected} == expected
    monkeypatch.setattr(sage50_contacts, "CONTACT_FIELDS",
                        remapped(sage50_contacts.CONTACT_FIELDS, "EmailAddress", "CONTACT_NAME"))
    assert sage50_contacts.contact(books, "ABS001", today=date(2026, 3, 1)).EmailAddress == "Ann Smith"


def test_sage50_invoices_and_credit_notes_read_through_their_maps(monkeypatch):
    header = {"HEADER_NUMBER": 3, "TYPE": "SI", "ACCOUNT_REF": "ABS001", "DATE": "2026-03-01", "INV_REF": "INV-3",
              "DETAILS": "Widgets", "GROSS_AMOUNT": "12", "OUTSTANDING": "12", "FOREIGN_RATE": "0",
              "RECORD_MODIFY_DATE": "2026-03-02T10:00:00"}
    books = Books(tenant_id="00000000-0000-0000-0000-000000000001", tables={})
    expected = sage50_documents.INVOICE_FIELDS.read(header)
    assert expected["Reference"] == "Widgets" and expected["CurrencyRate"] == 1
    made = sage50_documents.invoice(books, header)
    assert {name: getattr(made, name) for name in expected} == expected
    credit = sage50_documents.credit_note(books, {**header, "TYPE": "SC"})
    assert credit.Reference == "Widgets" and credit.UpdatedDateUTC == expected["UpdatedDateUTC"]
    monkeypatch.setattr(sage50_documents, "INVOICE_FIELDS",
                        remapped(sage50_documents.INVOICE_FIELDS, "Reference", "INV_REF"))
    assert sage50_documents.invoice(books, header).Reference == "INV-3"
