"""Lines, contacts and accounts of the money documents (credit notes, bank transactions): validation, line
arithmetic, storage and ledger postings shared by :mod:`~adapters.native.resources.credit_notes` and
:mod:`~adapters.native.resources.bank_transactions`.

Rules (spec ``components.schemas.LineItem``; https://developer.xero.com/documentation/api/accounting/creditnotes
and …/banktransactions, "LineItems"), the same as invoice lines (:mod:`adapters.native.resources.invoices`) where Xero's
are the same:

- ``Quantity`` defaults to 1; ``UnitAmount`` keeps 2 dp unless ``unitdp=4``; ``LineAmount`` alone derives
  ``UnitAmount``; a ``LineAmount`` that disagrees with ``Quantity × UnitAmount`` is refused.
- ``AccountCode`` (or ``AccountID``) must be an active account that is neither a bank account nor a system
  account; ``TaxType`` defaults to the account's and must be an active rate that can apply to the account's class
  and to the document's side (:mod:`adapters.native.ledger.taxrules`: output VAT on sales credit notes, input VAT on
  purchase ones; bank transactions are not checked).
- Discounts are refused: "ACCPAY invoices and credit notes in Xero do not support discounts" (spec
  ``LineItem.DiscountRate``); bank transactions have none either (the BankTransactions line elements list none).
- ``ItemCode`` fills what the line omits from the item (:func:`adapters.native.resources.items.line_defaults`).
- ``Tracking`` is validated and stored by :func:`adapters.native.resources.tracking.resolve`.
- ``Contact`` by ``ContactID``, ``ContactNumber`` or ``Name``; a name that matches no contact creates one (as for
  invoices). A ``Contact`` element naming none of them is refused with Xero's message (spec ``createBankTransactions``
  example: "The Contact must contain at least 1 of the following elements to identify the contact: Name,
  ContactID, ContactNumber").

Postings: a document whose lines are *debited* (bills, sales credit notes, spend money) posts each line's net amount
to its account and its tax to the VAT (``GST``) system account as debits, and the total as a credit to the counter
account (Accounts Receivable/Payable, or the bank account); a document whose lines are credited posts the mirror
image (:func:`postings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid

from .. import messages
from ..books import Books
from ..ledger import posting as ledger
from ..ledger import taxrules
from ..ledger.taxmath import LINE_AMOUNT_TYPES, LineResult, Totals, compute_line, compute_totals, round2, round_dp
from ..tables.core import Account, Contact
from ..validation import ElementInvalid, provided, text
from . import contacts, items, tracking

ZERO = Decimal("0.00")
ONE = Decimal(1)


@dataclass
class LineDraft:
    """One line after validation, before writing.

    Attributes:
        line_item_id: the client's ``LineItemID`` (an existing line to keep), or ``None``.
        account_given: whether the client named an account (``AccountCode``/``AccountID``).
        result: the computed amounts.
    """

    line_item_id: str | None
    description: str | None
    quantity: Decimal
    unit_amount: Decimal
    item_code: str | None
    account: Account | None
    tax_type: str
    tracking: list[dict[str, str]]
    account_given: bool
    result: LineResult


def line_account(books: Books, item: xm.LineItem, errors: list[str]) -> Account | None:
    """The line's account by ``AccountCode`` or ``AccountID``; ``None`` when not given or invalid (then an error is
    appended). Only active accounts that are neither bank nor system accounts are valid on document lines."""
    code, account_id = text(item.AccountCode), text(item.AccountID)
    if not code and not account_id:
        return None
    account = books.account_by_code(code) if code else books.accounts.get(normalise_guid(account_id or "") or "")
    if account is None or account.status != "ACTIVE" or account.type == "BANK" or account.system_account:
        errors.append(messages.ACCOUNT_CODE_INVALID.format(code=code or account_id))
        return None
    return account


def check_tax_type(books: Books, tax_type: str, account: Account | None, errors: list[str], *,
                   document_type: str | None = None) -> Decimal:
    """Validate a line's tax type against the rates, the account's class and the document's side (output VAT on
    sales documents, input VAT on purchases: :mod:`adapters.native.ledger.taxrules`); returns the rate in percent (0
    when
    invalid, the error appended)."""
    rate = books.tax_rates.get(tax_type)
    if rate is None or rate.status != "ACTIVE":
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
        return ZERO
    if account is not None and books.account_class(account) not in (rate.applies_to or []):
        errors.append(messages.TAX_TYPE_ACCOUNT.format(tax_type=tax_type, code=account.code))
    elif not taxrules.usable_on(rate, taxrules.document_side(document_type)):
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    return rate.rate


def amounts(item: xm.LineItem, unitdp: int) -> tuple[Decimal, Decimal]:
    """``(Quantity, UnitAmount)`` of a line, one derived from ``LineAmount`` when missing (4 dp; ``UnitAmount``
    2 dp unless ``unitdp`` is 4)."""
    quantity, unit = item.Quantity, item.UnitAmount
    if item.LineAmount is not None and unit is None:
        quantity = quantity if quantity not in (None, 0) else ONE
        unit = item.LineAmount / quantity
    elif item.LineAmount is not None and quantity is None and unit not in (None, 0):
        quantity = item.LineAmount / unit
    return (round_dp(quantity if quantity is not None else ONE, 4),
            round_dp(unit if unit is not None else ZERO, 4 if unitdp == 4 else 2))


async def build_lines(books: Books, line_items: Sequence[xm.LineItem], *, document_type: str,
                      line_amount_types: str, unitdp: int, side: items.Side, errors: list[str],
                      stored_tracking: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
                      fixed_account: Account | None = None) -> list[LineDraft]:
    """Validate request lines and compute them.

    Args:
        line_items: the request's ``LineItems``.
        document_type: the document's type (``ACCRECCREDIT``, ``SPEND``…), for the tax rates it may use.
        line_amount_types: ``Exclusive``, ``Inclusive`` or ``NoTax`` (already validated).
        unitdp: 2 or 4 (``UnitAmount`` decimal places kept).
        side: ``"SALES"`` or ``"PURCHASES"`` (which item details default the line).
        errors: problems are appended here.
        stored_tracking: line id → its stored tracking (re-saved lines may keep archived options).
        fixed_account: code every line to this account with no tax (overpayments: "The line item will be
            automatically coded to either the Accounts Receivable (receive) or Accounts Payable (spend) control
            account … always set to no tax", unconfirmed: https://support.databuzz.com.au/article/246).

    Returns:
        One draft per line, in order.
    """
    drafts: list[LineDraft] = []
    for raw in line_items:
        item = raw if fixed_account is not None else await items.line_defaults(books, raw, side=side, errors=errors)
        if fixed_account is not None:
            account, tax_type, rate = fixed_account, "NONE", ZERO
        else:
            account = line_account(books, item, errors)
            tax_type = text(item.TaxType) or (account.tax_type if account is not None and account.tax_type
                                              else None) or "NONE"
            rate = check_tax_type(books, tax_type, account, errors, document_type=document_type)
        if item.DiscountRate or item.DiscountAmount:
            errors.append(messages.DISCOUNT_ACCPAY)
        quantity, unit = amounts(item, unitdp)
        override = item.TaxAmount if provided(item, "TaxAmount") and fixed_account is None else None
        result = compute_line(quantity=quantity, unit_amount=unit, rate=rate, line_amount_types=line_amount_types,
                              tax_override=override)
        if (item.LineAmount is not None and item.Quantity is not None and item.UnitAmount is not None
                and abs(round2(item.LineAmount) - result.line_amount) > Decimal("0.01")):
            errors.append(messages.LINE_AMOUNT_MISMATCH)
        line_id = normalise_guid(item.LineItemID) if item.LineItemID else None
        keep = (stored_tracking or {}).get(line_id or "")
        drafts.append(LineDraft(
            line_item_id=line_id, description=item.Description, quantity=quantity, unit_amount=unit,
            item_code=text(item.ItemCode), account=account, tax_type=tax_type,
            tracking=await tracking.resolve(books, item.Tracking, errors=errors, keep=keep),
            account_given=fixed_account is not None or bool(text(item.AccountCode) or text(item.AccountID)),
            result=result))
    return drafts


def totals(lines: Sequence[LineDraft]) -> Totals:
    """``SubTotal``, ``TotalTax``, ``Total`` of the drafts."""
    return compute_totals([ln.result for ln in lines])


def existing_line_items(rows: Sequence[Any]) -> list[xm.LineItem]:
    """Stored lines (credit note or bank transaction lines) as request line items, to re-validate them when other
    fields of the document change."""
    return [xm.LineItem(LineItemID=ln.id, Description=ln.description, Quantity=ln.quantity,
                        UnitAmount=ln.unit_amount, ItemCode=ln.item_code, AccountCode=ln.account_code,
                        AccountID=ln.account_id, TaxType=ln.tax_type,
                        Tracking=tracking.to_line_tracking(ln.tracking))
            for ln in rows]


def write_lines(books: Books, current: Sequence[Any], drafts: Sequence[LineDraft],
                make: Callable[[str], Any]) -> list[Any]:
    """The stored lines after a write: existing lines named by ``LineItemID`` are updated, others created with
    ``make(new_id)``; lines not sent are dropped (Xero replaces a document's lines with those sent)."""
    by_id = {ln.id: ln for ln in current}
    kept: list[Any] = []
    for position, ld in enumerate(drafts, start=1):
        line = by_id.pop(ld.line_item_id, None) if ld.line_item_id else None
        if line is None:
            line = make(books.new_id("line"))
        line.position = position
        line.description = ld.description
        line.quantity = ld.quantity
        line.unit_amount = ld.unit_amount
        line.item_code = ld.item_code
        line.account_id = ld.account.id if ld.account else None
        line.account_code = ld.account.code if ld.account else None
        line.tax_type = ld.tax_type
        line.tax_amount = ld.result.tax_amount
        line.line_amount = ld.result.line_amount
        line.tracking = ld.tracking
        kept.append(line)
    return kept


def line_net(line: Any, line_amount_types: str) -> Decimal:
    """A stored line's amount excluding tax."""
    return line.line_amount - line.tax_amount if line_amount_types == "Inclusive" else line.line_amount


def signature(lines: Sequence[Any], line_amount_types: str) -> tuple[Any, ...]:
    """What a document's posting depends on, per stored line (a change needs a re-posting)."""
    return tuple((ln.account_id, ln.tax_type, line_net(ln, line_amount_types), ln.tax_amount,
                  tuple(t.get("TrackingOptionID") for t in ln.tracking or [])) for ln in lines)


def postings(books: Books, *, lines: Sequence[Any], line_amount_types: str, total_tax: Decimal, total: Decimal,
             debit_lines: bool, counter_account_id: str, reference: str | None) -> list[ledger.Posting]:
    """The balanced journal lines of a document (see the module docstring).

    Args:
        lines: stored lines (``account_id``, ``line_amount``, ``tax_amount``, ``tax_type``, ``tracking``).
        debit_lines: ``True`` when the lines are debited (sales credit note, spend money, bills).
        counter_account_id: the account that takes the total (AR/AP control or the bank account).
        reference: narration of the counter line.
    """
    sign = Decimal(1) if debit_lines else Decimal(-1)
    out = [ledger.Posting(account_id=ln.account_id, amount=sign * line_net(ln, line_amount_types),
                          description=ln.description, tax_type=ln.tax_type, tax_amount=sign * ln.tax_amount,
                          tracking=ln.tracking or None)
           for ln in lines]
    if total_tax:
        out.append(ledger.Posting(account_id=books.system_account("GST").id, amount=sign * total_tax,
                                  description="VAT"))
    out.append(ledger.Posting(account_id=counter_account_id, amount=-sign * total, description=reference))
    return out


async def resolve_contact(books: Books, ref: xm.Contact | None, errors: list[str], *, required: bool = True,
                          no_identifier: str = messages.CONTACT_IDENTIFIER_REQUIRED
                          ) -> tuple[Contact | None, str | None]:
    """The document's contact by ``ContactID``, ``ContactNumber`` or ``Name``: ``(row, None)``, or
    ``(None, name)`` when a new contact of that name is to be created, or ``(None, None)`` (with an error appended
    when ``required``; ``no_identifier`` is the message for a ``Contact`` that names none). Nothing is written."""
    if ref is None:
        if required:
            errors.append(messages.CONTACT_REQUIRED)
        return None, None
    contact_id, number, name = text(ref.ContactID), text(ref.ContactNumber), text(ref.Name)
    if contact_id:
        row = await contacts.get_by_id(books, normalise_guid(contact_id) or contact_id)
        if row is None:
            errors.append(messages.CONTACT_ID_NOT_FOUND.format(id=contact_id))
        return row, None
    if number:
        row = await contacts.get_by_number(books, number)
        if row is not None:
            return row, None
        if not name:
            errors.append(messages.CONTACT_NUMBER_NOT_FOUND.format(number=number))
            return None, None
    if name:
        row = await contacts.get_by_name(books, name)
        return (row, None) if row is not None else (None, name)
    errors.append(no_identifier)
    return None, None


async def find_target(books: Books, *, mode: str, path_id: str | None, record_id: str | None,
                      by_id: Callable[[Books, str], Awaitable[Any]],
                      by_path: Callable[[Books, str], Awaitable[Any]] | None = None,
                      by_number: Callable[[], Awaitable[Any]] | None = None, exists: str, not_found: str) -> Any:
    """The existing document a write addresses, or ``None`` to create (Xero's PUT and POST semantics).

    Args:
        mode: ``"update"`` (``POST /{Resource}/{id}``: the document at the path, found by ``by_path``, else
            ``by_id``), ``"create"`` (``PUT``: always a new document) or ``"upsert"`` (``POST /{Resource}``: the
            document the element's id names, else the one ``by_number`` finds, else a new one).
        record_id: the element's id (``InvoiceID``, ``CreditNoteID``…), or ``None``.
        exists: the message for ``PUT`` with the id of an existing document (``{id}`` is filled in).
        not_found: the message for ``POST`` with an unknown id.

    Raises:
        NotFound: ``update`` of an unknown document.
        ElementInvalid: ``create`` naming an existing document or an id that is not a GUID; ``upsert`` naming an
            unknown one.
    """
    if mode == "update":
        row = await (by_path or by_id)(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    if mode == "create":
        if record_id and normalise_guid(record_id) is None:  # an id that is no GUID names nothing: not a new one
            raise ElementInvalid([messages.ID_NOT_GUID.format(id=record_id)])
        if record_id and await by_id(books, record_id):
            raise ElementInvalid([exists.format(id=record_id)])
        return None
    if record_id:
        row = await by_id(books, record_id)
        if row is None:
            raise ElementInvalid([not_found])
        return row
    return await by_number() if by_number is not None else None


async def latest_by_number(books: Books, table: Any, number: str, *, document_type: str | None = None) -> Any:
    """The tenant's most recently updated non-deleted document of ``table`` (invoices, credit notes) whose number
    is ``number`` (of ``document_type`` when given), or ``None``."""
    query = select(table).where(table.company_id == books.company.id, table.number == number.strip(),
                                table.status != "DELETED")
    if document_type:
        query = query.where(table.type == document_type)
    return await books.session.scalar(query.order_by(table.updated_utc.desc()).limit(1))


async def read_contact(books: Books, model: Any, existing: Any, errors: list[str], *,
                       no_identifier: str = messages.CONTACT_IDENTIFIER_REQUIRED) -> tuple[Contact | None, str | None]:
    """A written document's contact: the one ``Contact`` names (:func:`resolve_contact`; required on a new
    document), else the existing document's."""
    if provided(model, "Contact") or existing is None:
        return await resolve_contact(books, model.Contact, errors, no_identifier=no_identifier)
    return existing.contact, None


def read_line_amount_types(model: Any, existing: Any, errors: list[str], *, default: str = "Exclusive") -> str:
    """``LineAmountTypes`` as sent, else the existing document's, else ``default``; an unknown value appends an
    error and reads as ``default``."""
    lat = model.LineAmountTypes or (existing.line_amount_types if existing else default)
    if lat not in LINE_AMOUNT_TYPES:
        errors.append(messages.LINE_AMOUNT_TYPES_INVALID)
        lat = default
    return lat


def read_currency(books: Books, model: Any, existing: Any, errors: list[str]) -> str:
    """``CurrencyCode`` as sent, else the existing document's, else the base currency; one the organisation has
    not enabled appends an error."""
    currency = model.CurrencyCode or (existing.currency_code if existing else books.company.base_currency)
    if currency not in books.currencies:
        errors.append(messages.CURRENCY_NOT_SUBSCRIBED.format(code=currency))
    return currency


@dataclass
class DocumentDraft:
    """An invoice-like document (invoice, credit note) after validation, before writing (``contact`` ``None`` with
    ``new_contact_name``: a contact to create)."""

    type: str
    contact: Contact | None
    new_contact_name: str | None
    number: str | None
    reference: str | None
    date: dt.date
    due_date: dt.date | None
    line_amount_types: str
    status: str
    currency_code: str
    lines: list[Any]
    extras: dict[str, Any] = field(default_factory=dict)


async def repost_document(books: Books, row: Any, *, was_posted: bool, will_post: bool, changed: bool,
                          old_date: dt.date, postings: Callable[[], list[ledger.Posting]], now: dt.datetime) -> None:
    """Re-post an invoice-like document after a write (:func:`adapters.native.ledger.posting.repost`; journal
    source type its ``Type``, reference its number) and flush."""
    row.posted = await ledger.repost(
        books.session, books.company, source_id=row.id, source_type=row.type, date=row.date, reference=row.number,
        was_posted=was_posted, will_post=will_post, changed=changed, old_date=old_date, postings=postings,
        new_id=books.new_id, now=now)
    await books.session.flush()


async def ensure_contact(books: Books, contact: Contact | None, new_name: str | None) -> Contact | None:
    """The contact to write: the resolved one, or a new contact created by name."""
    if contact is None and new_name is not None:
        return await contacts.create_by_name(books, new_name)
    return contact


def resolve_bank_account(books: Books, ref: xm.AccountRef | None, errors: list[str], *, field: str
                         ) -> Account | None:
    """An active BANK account by ``AccountID`` or ``Code`` (``field`` names the element in messages)."""
    account_id = text(ref.AccountID) if ref else None
    code = text(ref.Code) if ref else None
    if not account_id and not code:
        errors.append(messages.BANK_ACCOUNT_REQUIRED.format(field=field))
        return None
    account = (books.accounts.get(normalise_guid(account_id) or "") if account_id
               else books.account_by_code(code))
    if account is None or account.status != "ACTIVE" or account.type != "BANK":
        errors.append(messages.BANK_ACCOUNT_INVALID.format(field=field, code=code or account_id))
        return None
    return account
