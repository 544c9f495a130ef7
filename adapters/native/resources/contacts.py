"""Contacts: lookups, derived flags and balances, and the create/update write.

Rules (https://developer.xero.com/documentation/api/accounting/contacts; spec ``components.schemas.Contact``):

- ``Name`` is required and unique within the organisation (case-insensitive).
- ``ContactNumber`` identifies a contact from an external system; it is unique when set.
- ``IsCustomer`` / ``IsSupplier`` are derived: the contact has ACCREC / ACCPAY documents.
- ``ContactStatus`` is ``ACTIVE`` or ``ARCHIVED`` (``GDPRREQUEST`` is set by Xero only).
- PUT creates only; POST updates when ``ContactID`` (or a known ``ContactNumber``) is given, else creates.
- Text fields keep the spec's "(max length = N)" (:data:`MAX_LENGTHS`).
- ``AccountsReceivableTaxType`` is a sales rate and ``AccountsPayableTaxType`` a purchases rate
  (:mod:`adapters.native.ledger.taxrules`); ``SalesDefaultAccountCode`` / ``PurchasesDefaultAccountCode`` name accounts
  that invoice lines may use (active, neither bank nor system accounts; unconfirmed that Xero checks this).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound

from .. import messages, sqlquery
from ..books import Books
from ..ledger import taxrules
from ..tables.core import Contact, Invoice
from ..validation import ElementInvalid, is_valid_email, parse_element, provided, text
from . import history

ZERO = Decimal("0.00")
CONTACT_STATUSES = ("ACTIVE", "ARCHIVED")
#: "(max length = N)" of spec ``components.schemas.Contact``'s properties.
MAX_LENGTHS = {"Name": 255, "FirstName": 255, "LastName": 255, "EmailAddress": 255, "ContactNumber": 50,
               "AccountNumber": 50, "CompanyNumber": 50, "TaxNumber": 50}


async def get_by_id(books: Books, contact_id: str) -> Contact | None:
    """A contact of the company by ``ContactID`` (case-insensitive GUID), or ``None``."""
    row = await books.session.get(Contact, contact_id.lower())
    return row if row is not None and row.company_id == books.company.id else None


async def get_by_name(books: Books, name: str) -> Contact | None:
    """A contact of the company by ``Name`` (case-insensitive as Python folds case, so that ``"İ"`` matches as
    the uniqueness check and ``where`` do; trimmed), or ``None``."""
    await sqlquery.install_functions(books.session)
    return await books.session.scalar(
        select(Contact).where(Contact.company_id == books.company.id,
                              sqlquery.py_lower(Contact.name) == name.strip().lower()))


async def get_by_number(books: Books, number: str) -> Contact | None:
    """A contact of the company by ``ContactNumber`` (exact), or ``None``."""
    return await books.session.scalar(
        select(Contact).where(Contact.company_id == books.company.id, Contact.contact_number == number.strip()))


@dataclass
class ContactFacts:
    """What a contact's invoices say about it: customer/supplier flags and AR/AP balances (GBP)."""

    is_customer: bool = False
    is_supplier: bool = False
    ar_outstanding: Decimal = ZERO
    ar_overdue: Decimal = ZERO
    ap_outstanding: Decimal = ZERO
    ap_overdue: Decimal = ZERO

    def balances(self) -> xm.Balances:
        """The spec's ``Balances`` (``AccountsReceivable``/``AccountsPayable`` ``Outstanding``/``Overdue``)."""
        return xm.Balances(
            AccountsReceivable=xm.Balance(Outstanding=self.ar_outstanding, Overdue=self.ar_overdue),
            AccountsPayable=xm.Balance(Outstanding=self.ap_outstanding, Overdue=self.ap_overdue))


#: Contacts of at most this many ids get their facts by an ``IN`` filter; more read every invoice.
_FACTS_IN_LIMIT = 500


async def contact_facts(books: Books, *, contact_ids: Collection[str] | None = None) -> dict[str, ContactFacts]:
    """Contact id → :class:`ContactFacts`, from every non-deleted invoice of the company.

    Outstanding = ``AmountDue`` of AUTHORISED invoices; overdue = those with ``DueDate`` before today. The
    ``IsCustomer``/``IsSupplier`` rule is also :func:`has_documents` (SQL, for ``where`` push-down): change both.

    Args:
        contact_ids: only these contacts are needed (a page of a list); ``None``: every contact.
    """
    facts: dict[str, ContactFacts] = defaultdict(ContactFacts)
    today = books.today()
    query = (select(Invoice.contact_id, Invoice.type, Invoice.status, Invoice.amount_due, Invoice.due_date)
             .where(Invoice.company_id == books.company.id, Invoice.status != "DELETED"))
    if contact_ids is not None and len(contact_ids) <= _FACTS_IN_LIMIT:
        query = query.where(Invoice.contact_id.in_(list(contact_ids)))
    rows = await books.session.execute(query)
    for contact_id, inv_type, status, amount_due, due_date in rows:
        f = facts[contact_id]
        receivable = inv_type == "ACCREC"
        if receivable:
            f.is_customer = True
        else:
            f.is_supplier = True
        if status == "AUTHORISED":
            overdue = due_date is not None and due_date < today
            if receivable:
                f.ar_outstanding += amount_due
                f.ar_overdue += amount_due if overdue else ZERO
            else:
                f.ap_outstanding += amount_due
                f.ap_overdue += amount_due if overdue else ZERO
    return dict(facts)


def has_documents(inv_type: str) -> ColumnElement[bool]:
    """SQL: the contact (``contacts`` row in the enclosing query) has a non-deleted document of ``inv_type``
    (``ACCREC``: ``IsCustomer``; ``ACCPAY``: ``IsSupplier``), the rule of :func:`contact_facts`."""
    return exists().where(Invoice.contact_id == Contact.id, Invoice.type == inv_type,
                          Invoice.status != "DELETED")


def _dump_list(items: list[Any] | None) -> list[dict[str, Any]]:
    return [i.model_dump(mode="json", exclude_none=True) for i in items or []]


async def find_target(books: Books, model: xm.Contact, *, mode: str, path_id: str | None) -> Contact | None:
    """The existing contact a write addresses, or ``None`` to create.

    Args:
        mode: ``"create"`` (PUT), ``"upsert"`` (POST /Contacts) or ``"update"`` (POST /Contacts/{ContactID}).

    Raises:
        NotFound: ``update`` of an unknown ``path_id``.
        ElementInvalid: PUT with the id of an existing contact; POST with an unknown ``ContactID``.
    """
    if mode == "update":
        row = await get_by_id(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    contact_id = text(model.ContactID)
    if mode == "create":
        if contact_id and await get_by_id(books, contact_id):
            raise ElementInvalid([messages.CONTACT_EXISTS.format(id=contact_id)])
        return None
    if contact_id:
        row = await get_by_id(books, contact_id)
        if row is None:
            raise ElementInvalid([messages.CONTACT_ID_NOT_FOUND.format(id=contact_id)])
        return row
    number = text(model.ContactNumber)
    return await get_by_number(books, number) if number else None


async def validate(books: Books, model: xm.Contact, existing: Contact | None) -> list[str]:
    """Every problem of a contact write (empty list when valid). Reads only."""
    errors: list[str] = []
    name = text(model.Name)
    if name is None and (existing is None or provided(model, "Name")):
        errors.append(messages.CONTACT_NAME_EMPTY)
    if name is not None:
        clash = await get_by_name(books, name)
        if clash is not None and (existing is None or clash.id != existing.id):
            errors.append(messages.CONTACT_NAME_EXISTS)
    number = text(model.ContactNumber)
    if number is not None and (existing is None or number != existing.contact_number):
        clash = await get_by_number(books, number)
        if clash is not None and (existing is None or clash.id != existing.id):
            errors.append(messages.CONTACT_NUMBER_EXISTS.format(number=number))
    email = text(model.EmailAddress)
    if email is not None and not is_valid_email(email):
        errors.append(messages.EMAIL_INVALID)
    for person in model.ContactPersons or []:
        if person.EmailAddress and not is_valid_email(person.EmailAddress.strip()):
            errors.append(messages.EMAIL_INVALID)
    if model.ContactStatus is not None and model.ContactStatus not in CONTACT_STATUSES:
        errors.append(messages.CONTACT_STATUS_INVALID)
    for tax_type, side in ((model.AccountsReceivableTaxType, "SALES"), (model.AccountsPayableTaxType, "PURCHASES")):
        rate = books.tax_rates.get(tax_type) if tax_type else None
        if tax_type and (rate is None or not taxrules.usable_on(rate, side)):
            errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    for code in (model.SalesDefaultAccountCode, model.PurchasesDefaultAccountCode):
        account = books.account_by_code(code) if code else None
        if code and (account is None or account.status != "ACTIVE" or account.type == "BANK"
                     or account.system_account):
            errors.append(messages.ACCOUNT_CODE_INVALID.format(code=code))
    for field, limit in MAX_LENGTHS.items():
        value = text(getattr(model, field))
        if value is not None and len(value) > limit:
            errors.append(messages.FIELD_TOO_LONG.format(field=field, max=limit))
    if model.DefaultCurrency and model.DefaultCurrency not in books.currencies:
        errors.append(messages.CURRENCY_NOT_SUBSCRIBED.format(code=model.DefaultCurrency))
    return errors


_SIMPLE_FIELDS = {
    "Name": "name", "ContactNumber": "contact_number", "AccountNumber": "account_number",
    "ContactStatus": "status", "FirstName": "first_name", "LastName": "last_name",
    "CompanyNumber": "company_number", "EmailAddress": "email", "BankAccountDetails": "bank_account_details",
    "TaxNumber": "tax_number", "AccountsReceivableTaxType": "ar_tax_type",
    "AccountsPayableTaxType": "ap_tax_type", "DefaultCurrency": "default_currency",
    "SalesDefaultAccountCode": "sales_account_code", "PurchasesDefaultAccountCode": "purchases_account_code",
}


def _apply_fields(row: Contact, model: xm.Contact) -> None:
    for field, column in _SIMPLE_FIELDS.items():
        if provided(model, field):
            value = getattr(model, field)
            value = text(value) if isinstance(value, str) else value
            if field == "ContactStatus" and value is None:
                continue
            setattr(row, column, value)
    for field, column in (("Addresses", "addresses"), ("Phones", "phones"), ("ContactPersons", "contact_persons")):
        if provided(model, field):
            setattr(row, column, _dump_list(getattr(model, field)))


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                client_id: str | None = None) -> Contact:
    """Validate then create or update one contact.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``ContactID`` of ``POST /Contacts/{ContactID}``.
        client_id: the calling app's ``client_id``, stored on a created contact (``created_by_app``).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown contact.
    """
    model = parse_element(xm.Contact, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    errors = await validate(books, model, existing)
    if errors:
        raise ElementInvalid(errors)
    now = books.now()
    old_status = existing.status if existing is not None else None
    if existing is None:
        existing = Contact(id=books.new_id("contact"), company_id=books.company.id, status="ACTIVE",
                           addresses=[], phones=[], contact_persons=[], updated_utc=now, created_by_app=client_id)
        books.session.add(existing)
    _apply_fields(existing, model)
    existing.updated_utc = now
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource="Contacts", record_id=existing.id,
                         changes=history.status_change(old_status, existing.status), details=existing.name,
                         when=now)
    return existing


async def create_by_name(books: Books, name: str, *, client_id: str | None = None) -> Contact:
    """Create a contact from a bare name (an invoice naming an unknown contact, as Xero does); ``client_id``: the
    creating app (``created_by_app``)."""
    row = Contact(id=books.new_id("contact"), company_id=books.company.id, name=name.strip(), status="ACTIVE",
                  addresses=[], phones=[], contact_persons=[], updated_utc=books.now(), created_by_app=client_id)
    books.session.add(row)
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource="Contacts", record_id=row.id,
                         changes=history.CREATED, details=row.name, when=row.updated_utc)
    return row

