"""Contacts ← ``SALES_LEDGER`` (customers) and ``PURCHASE_LEDGER`` (suppliers), one ContactID per ``ACCOUNT_REF``.

A reference on both ledgers is one Xero contact with ``IsCustomer`` and ``IsSupplier`` (the customer row's details
win). Fields (Sage 50 UK data dictionary; spec ``Contact``): ``ContactNumber``/``AccountNumber`` ← ``ACCOUNT_REF``;
``Name`` ← ``NAME``; ``EmailAddress`` ← ``E_MAIL``; ``Addresses`` POBOX ← ``ADDRESS_1..5`` (lines 1-3, town,
postcode), DELIVERY ← ``DEL_ADDRESS_1..5``; ``Phones`` DEFAULT ← ``TELEPHONE``, FAX ← ``FAX``;
``FirstName``/``LastName`` ← ``CONTACT_NAME`` split at its first space (Sage holds one contact person per account,
Xero's primary person; the writes join the two the same way); ``TaxNumber`` ← ``VAT_REG_NUMBER``; ``ContactStatus``
ARCHIVED when ``INACTIVE_FLAG``;
``DefaultCurrency`` ← ``CURRENCY`` (index into the CURRENCY table); ``SalesDefaultAccountCode`` /
``PurchasesDefaultAccountCode`` ← ``DEF_NOM_CODE``; ``AccountsReceivableTaxType`` / ``AccountsPayableTaxType`` ←
``DEF_TAX_CODE`` by direction; ``Balances`` ← ``BALANCE`` (outstanding; overdue from the open items past their due
date); ``UpdatedDateUTC`` ← the later ``RECORD_MODIFY_DATE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from adapters.common import fields
from gateway.xero.models import Address, Balance, Balances, Contact, Phone

from ..codes import codes
from ..unit import Books, money, number, sage_date, sage_datetime, text
from . import columns
from .settings import currency_code


def _address(kind: str, row: Mapping[str, Any], prefix: str) -> Address | None:
    lines = [text(row.get(f"{prefix}{i}")) for i in range(1, 6)]
    if not any(lines):
        return None
    return Address(AddressType=kind, AddressLine1=lines[0] or None, AddressLine2=lines[1] or None,
                   AddressLine3=lines[2] or None, City=lines[3] or None, PostalCode=lines[4] or None,
                   Country=text(row.get("COUNTRY_CODE")) or None)


def _overdue(books: Books, ref: str, types: tuple[str, ...], today: date) -> Any:
    total = 0
    for header in books.headers_of(*types):
        if text(header.get("ACCOUNT_REF")) != ref:
            continue
        due = sage_date(header.get("DUE_DATE"))
        if due is not None and due < today:
            total += abs(money(header.get("OUTSTANDING")))
    return total


def contact(books: Books, ref: str, *, today: date) -> Contact | None:
    """The Xero contact of ``ACCOUNT_REF`` ``ref``, or ``None`` when neither ledger has it."""
    customer = books.row("SALES_LEDGER", ref)
    supplier = books.row("PURCHASE_LEDGER", ref)
    main = customer or supplier
    if main is None:
        return None
    table = codes()
    stamps = [sage_datetime(r.get("RECORD_MODIFY_DATE")) for r in (customer, supplier) if r]
    stamps = [s for s in stamps if s is not None]
    phones = [Phone(PhoneType=kind, PhoneNumber=text(main.get(column)))
              for column, kind in (("TELEPHONE", "DEFAULT"), ("FAX", "FAX")) if text(main.get(column))]
    addresses = [a for a in (_address("POBOX", main, "ADDRESS_"), _address("DELIVERY", main, "DEL_ADDRESS_")) if a]
    person = text(main.get("CONTACT_NAME"))
    first, _, last = person.partition(" ")
    inactive = all(number(r.get("INACTIVE_FLAG")) for r in (customer, supplier) if r)
    receivable = Balance(Outstanding=money(customer.get("BALANCE")),
                         Overdue=_overdue(books, ref, ("SI", "SC"), today)) if customer else None
    payable = Balance(Outstanding=money(supplier.get("BALANCE")),
                      Overdue=_overdue(books, ref, ("PI", "PC"), today)) if supplier else None
    return Contact(
        ContactID=books.guid("contact", ref), ContactNumber=ref, AccountNumber=ref,
        ContactStatus="ARCHIVED" if inactive else "ACTIVE", Name=text(main.get("NAME")) or ref,
        FirstName=first or None, LastName=last or None,
        Addresses=addresses or None, Phones=phones or None, IsCustomer=customer is not None,
        IsSupplier=supplier is not None, DefaultCurrency=currency_code(books, main.get("CURRENCY")),
        SalesDefaultAccountCode=text(customer.get("DEF_NOM_CODE")) or None if customer else None,
        PurchasesDefaultAccountCode=text(supplier.get("DEF_NOM_CODE")) or None if supplier else None,
        AccountsReceivableTaxType=table.xero_tax(text(customer.get("DEF_TAX_CODE")), "output").tax_type
        if customer and text(customer.get("DEF_TAX_CODE")) else None,
        AccountsPayableTaxType=table.xero_tax(text(supplier.get("DEF_TAX_CODE")), "input").tax_type
        if supplier and text(supplier.get("DEF_TAX_CODE")) else None,
        Balances=Balances(AccountsReceivable=receivable, AccountsPayable=payable) if receivable or payable else None,
        UpdatedDateUTC=max(stamps) if stamps else None, HasAttachments=False,
        **CONTACT_FIELDS.read(main))  # EmailAddress, TaxNumber


def contact_refs(books: Books) -> list[str]:
    """Every ``ACCOUNT_REF`` of either ledger, sorted."""
    refs = {text(r.get("ACCOUNT_REF")) for t in ("SALES_LEDGER", "PURCHASE_LEDGER") for r in books.rows(t)}
    return sorted(r for r in refs if r)


def contact_ref(books: Books, ref: str) -> Contact:
    """The short contact embedded in documents (``ContactID``, ``Name``)."""
    row = books.row("SALES_LEDGER", ref) or books.row("PURCHASE_LEDGER", ref) or {}
    return Contact(ContactID=books.guid("contact", ref), Name=text(row.get("NAME")) or ref, ContactNumber=ref)


#: What :func:`contact` makes of every Xero Contact field (docs/fields-1001.md).
CONTACT_FIELDS = fields.FieldMap(
    "Contacts", Contact,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    fields.computed("ContactID", "uuid5 of tenant/contact/ACCOUNT_REF (adapters/sage50/ids.py)"),
    fields.populated("ContactNumber", "SALES_LEDGER.ACCOUNT_REF / PURCHASE_LEDGER.ACCOUNT_REF"),
    fields.populated("AccountNumber", "SALES_LEDGER.ACCOUNT_REF / PURCHASE_LEDGER.ACCOUNT_REF"),
    fields.populated("ContactStatus", "INACTIVE_FLAG on every ledger row of the reference (ARCHIVED)"),
    fields.populated("Name", "NAME (else ACCOUNT_REF)"),
    fields.populated("FirstName", "CONTACT_NAME before its first space", condition="when set"),
    fields.populated("LastName", "CONTACT_NAME after its first space", condition="when set"),
    fields.read("EmailAddress", "E_MAIL", columns.text_or_none),
    fields.read("TaxNumber", "VAT_REG_NUMBER", columns.text_or_none, condition="when set"),
    fields.populated("AccountsReceivableTaxType", "SALES_LEDGER.DEF_TAX_CODE (output)"),
    fields.populated("AccountsPayableTaxType", "PURCHASE_LEDGER.DEF_TAX_CODE (input)"),
    fields.populated("Addresses", "ADDRESS_1..5 (POBOX), DEL_ADDRESS_1..5 (DELIVERY), COUNTRY_CODE"),
    fields.populated("Phones", "TELEPHONE (DEFAULT), FAX (FAX)", condition="when set"),
    fields.computed("IsSupplier", "the reference is on PURCHASE_LEDGER"),
    fields.computed("IsCustomer", "the reference is on SALES_LEDGER"),
    fields.populated("DefaultCurrency", "CURRENCY (index into the CURRENCY table)"),
    fields.populated("SalesDefaultAccountCode", "SALES_LEDGER.DEF_NOM_CODE"),
    fields.populated("PurchasesDefaultAccountCode", "PURCHASE_LEDGER.DEF_NOM_CODE"),
    fields.populated("UpdatedDateUTC", "RECORD_MODIFY_DATE (the later of both ledgers)"),
    fields.populated("Balances", "BALANCE (outstanding); overdue from AUDIT_HEADER.OUTSTANDING past DUE_DATE"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.lost("CompanyNumber", reason="not translated: the ledgers' company registration number is not read"),
    fields.lost("ContactPersons", reason="Sage 50 holds one contact person per account (FirstName, LastName)"),
    fields.lost("BankAccountDetails", reason="not translated: the ledgers' bank details are not read"),
    fields.write_outcome(Contact),
)
