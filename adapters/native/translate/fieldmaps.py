"""What Xero's names mean in the native ledger's SQL: ``where``/``order`` paths and the list parameters.

One :class:`~adapters.native.sqlquery.FieldMap` per resource maps a Xero path (``Contact.Name``) to a SQL
expression over the resource's table whose value is **exactly** the value :mod:`adapters.native.translate.core` puts
in the canonical model at that path (``InvoiceNumber`` is ``coalesce(number, '')`` because the model shows
``""`` for a missing number; ``TotalDiscount`` is ``NULL`` when zero; the contact's name is a correlated
subquery). ``tests/adapters/native/query/test_field_maps.py`` compares every mapped field with the translated model for
every demo record, so a change to ``translate`` that this table does not follow fails there.

The expressions are Python, not TOML data: they are SQL (subqueries, ``case``, ``coalesce``) and must stay next
to the tables they read. Paths left out (nested lists such as ``LineItems``, ``Payments``, ``Balances``,
anything computed outside these tables) are still valid in ``where``/``order``: they are
evaluated in memory (:mod:`adapters.native.listing`). Each map's model is the most derived canonical model the
list answers (``documents.Invoice`` with its credit arrays, ``documents.Payment``), so that every path the answer
can carry is accepted; for Contacts it is ``Contact`` itself, the type Xero names in ``"No property or field 'X'
exists in type 'Contact'"``.

The list parameters of ``GET /Invoices`` and ``GET /Contacts`` (spec ``components.parameters``, descriptions
quoted on each function) are SQL filters too: :func:`invoice_filters`, :func:`contact_filters`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, cast, exists, func, select
from sqlalchemy.types import String

from gateway.xero import models as xm
from gateway.xero import query as xero_query
from gateway.xero.models import documents
from gateway.xero.request import ListQuery

from .. import codes
from ..resources import contacts
from ..sqlquery import Field, FieldMap, contains_ci, instr, py_lower
from ..tables.core import Account, Contact, Invoice, Payment, TaxRate
from ..tables.workflow import AttachmentFile


def _invoice_contact(column: Any) -> ColumnElement[Any]:
    """A column of the invoice's contact (correlated scalar subquery)."""
    return select(column).where(Contact.id == Invoice.contact_id).correlate(Invoice).scalar_subquery()


def _has_attachments(table: Any, resource: str) -> ColumnElement[bool]:
    """``HasAttachments``: the ``attachments`` table holds a file of the record (the flag
    :mod:`adapters.native.ops_attachment_flags` sets on the answer; an ``EXISTS`` on ``ix_attachments_parent``)."""
    return exists().where(AttachmentFile.company_id == table.company_id, AttachmentFile.resource == resource,
                          AttachmentFile.record_id == table.id)


def _payment_invoice(column: Any) -> ColumnElement[Any]:
    """A column of the payment's invoice."""
    return select(column).where(Invoice.id == Payment.invoice_id).correlate(Payment).scalar_subquery()


def _payment_account(column: Any) -> ColumnElement[Any]:
    """A column of the payment's account."""
    return select(column).where(Account.id == Payment.account_id).correlate(Payment).scalar_subquery()


def _payment_contact(column: Any) -> ColumnElement[Any]:
    """A column of the contact of the payment's invoice."""
    return (select(column).select_from(Invoice).join(Contact, Contact.id == Invoice.contact_id)
            .where(Invoice.id == Payment.invoice_id).correlate(Payment).scalar_subquery())


#: ``GET /Invoices`` (translate.invoice / translate.contact_ref). ``AmountPaid`` is left out: the model shows the
#: payments net of allocated credits (computed by ``invoice_credits``), not a column.
INVOICES = FieldMap(documents.Invoice, {
    "InvoiceID": Field(Invoice.id, "guid", nullable=False),
    "Type": Field(Invoice.type, "str", nullable=False),
    "Contact.ContactID": Field(Invoice.contact_id, "guid", nullable=False),
    "Contact.Name": Field(_invoice_contact(Contact.name), "str"),
    "Contact.ContactNumber": Field(_invoice_contact(Contact.contact_number), "str"),
    "Contact.ContactStatus": Field(_invoice_contact(Contact.status), "str"),
    "Date": Field(Invoice.date, "date", nullable=False),
    "DueDate": Field(Invoice.due_date, "date"),
    "LineAmountTypes": Field(Invoice.line_amount_types, "str", nullable=False),
    "InvoiceNumber": Field(func.coalesce(Invoice.number, ""), "str", nullable=False),
    "Reference": Field(func.coalesce(Invoice.reference, ""), "str", nullable=False),
    "BrandingThemeID": Field(Invoice.branding_theme_id, "str"),  # as the client sent it: free text
    "Url": Field(Invoice.url, "str"),
    "CurrencyCode": Field(Invoice.currency_code, "str", nullable=False),
    "CurrencyRate": Field(Invoice.currency_rate, "decimal", nullable=False),
    "Status": Field(Invoice.status, "str", nullable=False),
    "SentToContact": Field(Invoice.sent_to_contact, "bool", nullable=False),
    "ExpectedPaymentDate": Field(Invoice.expected_payment_date, "date"),
    "PlannedPaymentDate": Field(Invoice.planned_payment_date, "date"),
    "SubTotal": Field(Invoice.sub_total, "decimal", nullable=False),
    "TotalTax": Field(Invoice.total_tax, "decimal", nullable=False),
    "Total": Field(Invoice.total, "decimal", nullable=False),
    "TotalDiscount": Field(func.nullif(Invoice.total_discount, 0, type_=Invoice.total_discount.type), "decimal"),
    "IsDiscounted": Field(Invoice.total_discount != 0, "bool", nullable=False),
    "AmountDue": Field(Invoice.amount_due, "decimal", nullable=False),
    "FullyPaidOnDate": Field(Invoice.fully_paid_on, "date"),
    "UpdatedDateUTC": Field(Invoice.updated_utc, "datetime", nullable=False),
    "HasAttachments": Field(_has_attachments(Invoice, "Invoices"), "bool", nullable=False),
})

#: ``GET /Contacts`` (translate.contact; IsCustomer/IsSupplier as contacts.contact_facts decides them).
CONTACTS = FieldMap(xm.Contact, {
    "ContactID": Field(Contact.id, "guid", nullable=False),
    "ContactNumber": Field(Contact.contact_number, "str"),
    "AccountNumber": Field(Contact.account_number, "str"),
    "ContactStatus": Field(Contact.status, "str", nullable=False),
    "Name": Field(Contact.name, "str", nullable=False),
    "FirstName": Field(Contact.first_name, "str"),
    "LastName": Field(Contact.last_name, "str"),
    "CompanyNumber": Field(Contact.company_number, "str"),
    "EmailAddress": Field(Contact.email, "str"),
    "BankAccountDetails": Field(Contact.bank_account_details, "str"),
    "TaxNumber": Field(Contact.tax_number, "str"),
    "AccountsReceivableTaxType": Field(Contact.ar_tax_type, "str"),
    "AccountsPayableTaxType": Field(Contact.ap_tax_type, "str"),
    "IsSupplier": Field(contacts.has_documents("ACCPAY"), "bool", nullable=False),
    "IsCustomer": Field(contacts.has_documents("ACCREC"), "bool", nullable=False),
    "DefaultCurrency": Field(Contact.default_currency, "str"),
    "SalesDefaultAccountCode": Field(Contact.sales_account_code, "str"),
    "PurchasesDefaultAccountCode": Field(Contact.purchases_account_code, "str"),
    "UpdatedDateUTC": Field(Contact.updated_utc, "datetime", nullable=False),
    "HasAttachments": Field(_has_attachments(Contact, "Contacts"), "bool", nullable=False),
})


def _account_class() -> ColumnElement[Any]:
    """``Class`` derived from ``Type`` (``mappings/native_account_types.toml``), as translate.account does."""
    return case(*((Account.type == acc_type, acc_class) for acc_type, acc_class in codes.class_by_type().items()),
                else_=None)


_IS_BANK = Account.type == "BANK"

#: ``GET /Accounts`` (translate.account: bank fields only on BANK accounts).
ACCOUNTS = FieldMap(xm.Account, {
    "AccountID": Field(Account.id, "guid", nullable=False),
    "Code": Field(Account.code, "str"),
    "Name": Field(Account.name, "str", nullable=False),
    "Type": Field(Account.type, "str", nullable=False),
    "Status": Field(Account.status, "str", nullable=False),
    "Description": Field(Account.description, "str"),
    "TaxType": Field(Account.tax_type, "str"),
    "Class": Field(_account_class(), "str"),
    "EnablePaymentsToAccount": Field(Account.enable_payments, "bool", nullable=False),
    "ShowInExpenseClaims": Field(Account.show_in_expense_claims, "bool", nullable=False),
    "SystemAccount": Field(func.nullif(Account.system_account, "", type_=String()), "str"),
    "ReportingCode": Field(Account.reporting_code, "str"),
    "BankAccountNumber": Field(case((_IS_BANK, Account.bank_account_number), else_=None), "str"),
    "BankAccountType": Field(case((_IS_BANK, func.coalesce(func.nullif(Account.bank_account_type, ""), "BANK")),
                                  else_=""), "str", nullable=False),
    "CurrencyCode": Field(case((_IS_BANK, Account.currency_code), else_=None), "str"),
    "AddToWatchlist": Field(Account.add_to_watchlist, "bool", nullable=False),
    "UpdatedDateUTC": Field(Account.updated_utc, "datetime", nullable=False),
    "HasAttachments": Field(_has_attachments(Account, "Accounts"), "bool", nullable=False),
})


def _applies_to(account_class: str) -> ColumnElement[bool]:
    """``TaxRate.CanApplyTo…``: the JSON list ``applies_to`` holds ``account_class`` (its JSON text holds the
    quoted name; a cast, as PostgreSQL's ``json`` is not text)."""
    return func.coalesce(instr(cast(TaxRate.applies_to, String()), f'"{account_class}"'), 0) > 0


#: ``GET /TaxRates`` (translate.tax_rate: one component; rates to 4 dp as stored).
TAX_RATES = FieldMap(xm.TaxRate, {
    "Name": Field(TaxRate.name, "str", nullable=False),
    "TaxType": Field(TaxRate.tax_type, "str", nullable=False),
    "Status": Field(TaxRate.status, "str", nullable=False),
    "ReportTaxType": Field(TaxRate.report_tax_type, "str"),
    "CanApplyToAssets": Field(_applies_to("ASSET"), "bool", nullable=False),
    "CanApplyToEquity": Field(_applies_to("EQUITY"), "bool", nullable=False),
    "CanApplyToExpenses": Field(_applies_to("EXPENSE"), "bool", nullable=False),
    "CanApplyToLiabilities": Field(_applies_to("LIABILITY"), "bool", nullable=False),
    "CanApplyToRevenue": Field(_applies_to("REVENUE"), "bool", nullable=False),
    "DisplayTaxRate": Field(TaxRate.rate, "decimal", nullable=False),
    "EffectiveRate": Field(TaxRate.rate, "decimal", nullable=False),
})

#: ``GET /Payments`` (translate.payment: the invoice, its contact and the account embedded).
PAYMENTS = FieldMap(documents.Payment, {
    "PaymentID": Field(Payment.id, "guid", nullable=False),
    "Date": Field(Payment.date, "date", nullable=False),
    "Amount": Field(Payment.amount, "decimal", nullable=False),
    "BankAmount": Field(Payment.amount, "decimal", nullable=False),
    "CurrencyRate": Field(Payment.currency_rate, "decimal", nullable=False),
    "Reference": Field(Payment.reference, "str"),
    "IsReconciled": Field(Payment.is_reconciled, "bool", nullable=False),
    "Status": Field(Payment.status, "str", nullable=False),
    "PaymentType": Field(Payment.payment_type, "str", nullable=False),
    "UpdatedDateUTC": Field(Payment.updated_utc, "datetime", nullable=False),
    "Invoice.InvoiceID": Field(Payment.invoice_id, "guid"),
    "Invoice.InvoiceNumber": Field(func.coalesce(_payment_invoice(Invoice.number), ""), "str", nullable=False),
    "Invoice.Type": Field(_payment_invoice(Invoice.type), "str"),
    "Invoice.CurrencyCode": Field(_payment_invoice(Invoice.currency_code), "str"),
    "Invoice.Contact.ContactID": Field(_payment_invoice(Invoice.contact_id), "guid"),
    "Invoice.Contact.Name": Field(_payment_contact(Contact.name), "str"),
    "Account.AccountID": Field(Payment.account_id, "guid"),
    "Account.Code": Field(_payment_account(Account.code), "str"),
    "Account.Name": Field(_payment_account(Account.name), "str"),
})


# List parameters -------------------------------------------------------------------------------------------------


def invoice_filters(query: ListQuery, *, client_id: str | None) -> list[ColumnElement[bool]]:
    """SQL filters of ``GET /Invoices``'s list parameters (spec ``components.parameters``):

    - ``IDs``, ``ContactIDs`` ("Filter by a comma-separated list of InvoicesIDs / ContactIDs"): GUIDs, normalised
      by the front end.
    - ``InvoiceNumbers``: case-insensitive exact numbers (a missing number reads as ``""``).
    - ``Statuses`` ("Filter by a comma-separated list Statuses"): upper-cased by the front end.
    - ``searchTerm`` ("case-insensitive text search across the fields e.g. InvoiceNumber, Reference"): those two
      fields, case-insensitive contains. The spec names no other field, so no other is searched (unconfirmed:
      whether Xero also searches the contact's name).
    - ``createdByMyApp`` ("only retrieve Invoices created by your app"): the invoices whose stored creator is
      ``client_id`` (``Invoice.created_by_app``).
    - ``includeArchived`` ("Invoices with a status of ARCHIVED will be included"): no filter is needed, as no
      invoice is ever ARCHIVED here (the spec's ``Invoice.Status`` enum has no such value).
    """
    filters: list[ColumnElement[bool]] = []
    if query.ids:
        filters.append(Invoice.id.in_([i.lower() for i in query.ids]))
    if query.contact_ids:
        filters.append(Invoice.contact_id.in_([i.lower() for i in query.contact_ids]))
    if query.invoice_numbers:
        filters.append(py_lower(func.coalesce(Invoice.number, "")).in_(
            [n.strip().lower() for n in query.invoice_numbers]))
    if query.statuses:
        filters.append(Invoice.status.in_([s.upper() for s in query.statuses]))
    if query.search_term:
        filters.append(contains_ci(func.coalesce(Invoice.number, ""), query.search_term)
                       | contains_ci(func.coalesce(Invoice.reference, ""), query.search_term))
    if query.created_by_my_app:
        filters.append(Invoice.created_by_app == (client_id or ""))
    return filters


#: The fields ``GET /Contacts?searchTerm=`` searches: spec ``components.parameters`` of getContacts, "a
#: case-insensitive text search across the Name, FirstName, LastName, ContactNumber and EmailAddress fields", plus
#: ``CompanyNumber`` (unconfirmed: named by this project's brief and kept from the first release; the spec's
#: sentence omits it).
CONTACT_SEARCH_FIELDS = (Contact.name, Contact.first_name, Contact.last_name, Contact.contact_number, Contact.email,
                         Contact.company_number)


def contact_filters(query: ListQuery) -> list[ColumnElement[bool]]:
    """SQL filters of ``GET /Contacts``'s list parameters (spec ``components.parameters``):

    - ``IDs`` ("Filter by a comma separated list of ContactIDs").
    - ``includeArchived`` ("Contacts with a status of ARCHIVED will be included in the response"): without it
      ARCHIVED contacts are left out, unless ``where`` names ``ContactStatus`` (a client asking
      ``ContactStatus=="ARCHIVED"`` means it; unconfirmed how Xero combines the two).
    - ``searchTerm``: :data:`CONTACT_SEARCH_FIELDS`, case-insensitive contains.
    """
    filters: list[ColumnElement[bool]] = []
    if query.ids:
        filters.append(Contact.id.in_([i.lower() for i in query.ids]))
    if not query.include_archived and not _names_contact_status(query):
        filters.append(Contact.status != "ARCHIVED")
    if query.search_term:
        term = query.search_term
        condition = contains_ci(CONTACT_SEARCH_FIELDS[0], term)
        for column in CONTACT_SEARCH_FIELDS[1:]:
            condition = condition | contains_ci(column, term)
        filters.append(condition)
    return filters


def _names_contact_status(query: ListQuery) -> bool:
    expr = query.where
    if expr is None and query.where_text:
        expr = xero_query.parse_where(query.where_text)
    return expr is not None and any(p.dotted.lower() == "contactstatus" for p in xero_query.paths(expr))
