"""Invoices and bills: validation, status transitions, totals and ledger posting.

Rules (https://developer.xero.com/documentation/api/accounting/invoices; spec ``components.schemas.Invoice``):

- Types ``ACCREC`` (sales invoice) and ``ACCPAY`` (bill). Credit notes and prepayments are other resources.
- Status transitions (Xero support, quoted in https://github.com/waynerobinson/xeroizer/issues/48):
  DRAFT→SUBMITTED→AUTHORISED, SUBMITTED→DRAFT, DRAFT/SUBMITTED→DELETED, AUTHORISED→VOIDED (no payments
  applied). ``PAID`` is reached by payments only; PAID, VOIDED and DELETED invoices cannot be modified; an
  invalid change answers "Invoice not of valid status for modification" (Xero staff,
  https://github.com/XeroAPI/Xero-NetStandard/issues/79).
- Only AUTHORISED and PAID invoices are in the ledger (:mod:`adapters.native.ledger`); voiding reverses the
  posting on the invoice's own date, so the voided invoice leaves every report.
- ``InvoiceNumber`` of ACCREC invoices is auto-assigned (``INV-0001``…) when missing and must be unique.
- ``Contact`` by ``ContactID``, ``ContactNumber`` or ``Name``; a name that matches no contact creates one.
- LineItems: ``Quantity`` defaults to 1; ``UnitAmount`` keeps 2 dp unless ``unitdp=4``; ``LineAmount`` alone
  derives ``UnitAmount``; ``AccountCode`` must be an active account that is neither a bank nor a system
  account; ``TaxType`` defaults to the account's and must be a rate that can apply to the account's class.
- ``DueDate``, at least one line, and an ``AccountCode`` on every line are required to approve.
- An approved invoice whose total is zero is PAID at once (nothing is owed; Xero does the same, unconfirmed).
- Lock dates (:mod:`adapters.native.lockdates`): an invoice dated on or before the organisation's lock date
  cannot be created, and an invoice so dated cannot be edited, approved, voided or deleted (nor moved into the
  locked period).
- ``TaxType`` also suits the document (:mod:`adapters.native.taxrules`): output VAT on sales invoices, input
  VAT on bills. ``InvoiceNumber`` is at most 255 characters (spec).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid

from . import contacts, history, ledger, lockdates, messages, sqlquery, taxrules, tracking
from . import items as item_catalogue
from .books import Books
from .models import Account, Contact, Invoice, LineItem
from .taxmath import LINE_AMOUNT_TYPES, LineResult, compute_line, compute_totals, round2, round_dp
from .validation import ElementInvalid, parse_element, provided, text

INVOICE_TYPES = ("ACCREC", "ACCPAY")
CREATE_STATUSES = frozenset({"DRAFT", "SUBMITTED", "AUTHORISED"})
POSTED_STATUSES = frozenset({"AUTHORISED", "PAID"})
#: current status → statuses a client may set (see module docstring).
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "SUBMITTED": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "AUTHORISED": frozenset({"AUTHORISED", "VOIDED"}),
    "PAID": frozenset(),
    "VOIDED": frozenset(),
    "DELETED": frozenset(),
}
NUMBER_PREFIX = "INV-"
#: spec Invoice.InvoiceNumber: "(max length = 255)".
MAX_NUMBER_LENGTH = 255
ZERO = Decimal("0.00")
ONE = Decimal(1)


async def get_by_id(books: Books, invoice_id: str) -> Invoice | None:
    """An invoice of the company by ``InvoiceID``, or ``None``."""
    guid = normalise_guid(invoice_id)
    row = await books.session.get(Invoice, guid) if guid else None
    return row if row is not None and row.company_id == books.company.id else None


async def get_by_number(books: Books, number: str, *, inv_type: str | None = None) -> Invoice | None:
    """The most recent non-deleted invoice of the company with ``InvoiceNumber == number``, or ``None``."""
    query = select(Invoice).where(Invoice.company_id == books.company.id, Invoice.number == number.strip(),
                                  Invoice.status != "DELETED")
    if inv_type:
        query = query.where(Invoice.type == inv_type)
    return await books.session.scalar(query.order_by(Invoice.updated_utc.desc()).limit(1))


async def get_by_id_or_number(books: Books, value: str) -> Invoice | None:
    """``GET /Invoices/{InvoiceID}`` also accepts an ``InvoiceNumber`` (Xero's docs)."""
    row = await get_by_id(books, value)
    return row if row is not None else await get_by_number(books, value)


# Drafts: the invoice as it will be after the write, validated before anything is written -------------------

@dataclass
class LineDraft:
    """One line after validation, before writing."""

    line_item_id: str | None
    description: str | None
    quantity: Decimal
    unit_amount: Decimal
    item_code: str | None
    account: Account | None
    tax_type: str
    discount_rate: Decimal | None
    discount_amount: Decimal | None
    tax_override: Decimal | None
    tracking: list[dict[str, Any]]
    account_given: bool = False
    result: LineResult | None = None


@dataclass
class InvoiceDraft:
    """The invoice after validation, before writing (``contact`` ``None`` + ``new_contact_name``: create)."""

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
    lines: list[LineDraft]
    extras: dict[str, Any] = field(default_factory=dict)

    def signature(self) -> tuple[Any, ...]:
        """What the ledger posting depends on (a change needs a re-posting)."""
        return (self.type, self.contact.id if self.contact else self.new_contact_name, self.date,
                self.currency_code, tuple((ln.account.id if ln.account else None, ln.tax_type,
                                           ln.result.net_amount if ln.result else None,
                                           ln.result.tax_amount if ln.result else None,
                                           tracking.signature(ln.tracking)) for ln in self.lines))


def _row_signature(row: Invoice) -> tuple[Any, ...]:
    return (row.type, row.contact_id, row.date, row.currency_code,
            tuple((ln.account_id, ln.tax_type, ln.line_amount - ln.tax_amount
                   if row.line_amount_types == "Inclusive" else ln.line_amount, ln.tax_amount,
                   tracking.signature(ln.tracking))
                  for ln in row.lines))


async def _resolve_contact(books: Books, ref: xm.Contact | None, errors: list[str]) -> tuple[Contact | None,
                                                                                              str | None]:
    if ref is None:
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
    errors.append(messages.CONTACT_REQUIRED)
    return None, None


def _line_account(books: Books, item: xm.LineItem, errors: list[str]) -> Account | None:
    code, account_id = text(item.AccountCode), text(item.AccountID)
    if not code and not account_id:
        return None
    account = books.account_by_code(code) if code else books.accounts.get(normalise_guid(account_id) or "")
    if account is None or account.status != "ACTIVE" or account.type == "BANK" or account.system_account:
        errors.append(messages.ACCOUNT_CODE_INVALID.format(code=code or account_id))
        return None
    return account


def _line_draft(books: Books, item: xm.LineItem, *, inv_type: str, line_amount_types: str, unitdp: int,
                errors: list[str]) -> LineDraft:
    account = _line_account(books, item, errors)
    tax_type = text(item.TaxType)
    if tax_type is None:
        tax_type = (account.tax_type if account is not None and account.tax_type else None) or "NONE"
    rate = books.tax_rates.get(tax_type)
    if rate is None or rate.status != "ACTIVE":
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    elif account is not None and books.account_class(account) not in (rate.applies_to or []):
        errors.append(messages.TAX_TYPE_ACCOUNT.format(tax_type=tax_type, code=account.code))
    elif not taxrules.usable_on(rate, taxrules.document_side(inv_type)):  # output VAT on sales, input on bills
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    if inv_type == "ACCPAY" and (item.DiscountRate or item.DiscountAmount):
        errors.append(messages.DISCOUNT_ACCPAY)
    quantity = item.Quantity
    unit = item.UnitAmount
    if item.LineAmount is not None and unit is None:
        quantity = quantity if quantity not in (None, 0) else ONE
        unit = item.LineAmount / quantity
    elif item.LineAmount is not None and quantity is None and unit not in (None, 0):
        quantity = item.LineAmount / unit
    quantity = round_dp(quantity if quantity is not None else ONE, 4)
    unit = round_dp(unit if unit is not None else ZERO, 4 if unitdp == 4 else 2)
    draft = LineDraft(
        line_item_id=normalise_guid(item.LineItemID) if item.LineItemID else None,
        description=item.Description, quantity=quantity, unit_amount=unit, item_code=text(item.ItemCode),
        account=account, tax_type=tax_type, discount_rate=item.DiscountRate, discount_amount=item.DiscountAmount,
        tax_override=item.TaxAmount if provided(item, "TaxAmount") else None,
        tracking=[t.model_dump(mode="json", exclude_none=True) for t in item.Tracking or []],
        account_given=bool(text(item.AccountCode) or text(item.AccountID)))
    draft.result = compute_line(quantity=quantity, unit_amount=unit,
                                rate=rate.rate if rate is not None else ZERO,
                                line_amount_types=line_amount_types, discount_rate=item.DiscountRate,
                                discount_amount=item.DiscountAmount, tax_override=draft.tax_override)
    if (item.LineAmount is not None and item.Quantity is not None and item.UnitAmount is not None
            and abs(round2(item.LineAmount) - draft.result.line_amount) > Decimal("0.01")):
        errors.append(messages.LINE_AMOUNT_MISMATCH)
    return draft


def _existing_line_items(row: Invoice) -> list[xm.LineItem]:
    """The stored lines as request line items (to re-validate them when other fields change)."""
    return [xm.LineItem(LineItemID=ln.id, Description=ln.description, Quantity=ln.quantity,
                        UnitAmount=ln.unit_amount, ItemCode=ln.item_code, AccountCode=ln.account_code,
                        AccountID=ln.account_id, TaxType=ln.tax_type, DiscountRate=ln.discount_rate,
                        DiscountAmount=ln.discount_amount, Tracking=[xm.LineItemTracking(**t) for t in ln.tracking])
            for ln in row.lines]


async def _number_taken(books: Books, number: str, existing: Invoice | None) -> bool:
    await sqlquery.install_functions(books.session)
    query = select(func.count()).select_from(Invoice).where(
        Invoice.company_id == books.company.id, Invoice.type == "ACCREC", Invoice.status != "DELETED",
        sqlquery.py_lower(Invoice.number) == number.lower())
    if existing is not None:
        query = query.where(Invoice.id != existing.id)
    return bool(await books.session.scalar(query))


async def find_target(books: Books, model: xm.Invoice, *, mode: str, path_id: str | None) -> Invoice | None:
    """The existing invoice a write addresses, or ``None`` to create.

    Args:
        mode: ``"create"`` (PUT /Invoices), ``"upsert"`` (POST /Invoices: by ``InvoiceID``, else by
            ``InvoiceNumber``) or ``"update"`` (POST /Invoices/{InvoiceID}).

    Raises:
        NotFound: ``update`` of an unknown invoice.
        ElementInvalid: PUT with the id of an existing invoice; POST with an unknown ``InvoiceID``.
    """
    if mode == "update":
        row = await get_by_id_or_number(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    invoice_id = text(model.InvoiceID)
    if mode == "create":
        if invoice_id and await get_by_id(books, invoice_id):
            raise ElementInvalid([messages.INVOICE_EXISTS.format(id=invoice_id)])
        return None
    if invoice_id:
        row = await get_by_id(books, invoice_id)
        if row is None:
            raise ElementInvalid([messages.INVOICE_NOT_FOUND])
        return row
    number = text(model.InvoiceNumber)
    return await get_by_number(books, number, inv_type=model.Type) if number else None


async def build_draft(books: Books, model: xm.Invoice, existing: Invoice | None, *, unitdp: int) -> InvoiceDraft:
    """Validate a write against the current books and return the invoice as it will be.

    Raises:
        ElementInvalid: every problem found (nothing is written by this function).
    """
    errors: list[str] = []
    current = existing.status if existing is not None else None
    status = model.Status or current or "DRAFT"
    if current is None:
        if status not in CREATE_STATUSES:
            errors.append(messages.INVOICE_STATUS_CREATION)
    elif status not in TRANSITIONS[current]:
        raise ElementInvalid([messages.INVOICE_STATUS_MODIFICATION])
    has_payments = existing is not None and existing.amount_paid > 0
    if has_payments and status == "VOIDED":
        raise ElementInvalid([messages.INVOICE_VOID_PAYMENTS])

    inv_type = model.Type or (existing.type if existing else None)
    if inv_type not in INVOICE_TYPES or (existing is not None and model.Type and model.Type != existing.type):
        errors.append(messages.INVOICE_TYPE_INVALID)
        inv_type = existing.type if existing is not None else "ACCREC"

    if provided(model, "Contact") or existing is None:
        contact, new_contact_name = await _resolve_contact(books, model.Contact, errors)
    else:
        contact, new_contact_name = existing.contact, None

    lat = model.LineAmountTypes or (existing.line_amount_types if existing else "Exclusive")
    if lat not in LINE_AMOUNT_TYPES:
        errors.append(messages.LINE_AMOUNT_TYPES_INVALID)
        lat = "Exclusive"
    currency = model.CurrencyCode or (existing.currency_code if existing else books.company.base_currency)
    if currency not in books.currencies:
        errors.append(messages.CURRENCY_NOT_SUBSCRIBED.format(code=currency))

    items = model.LineItems if model.LineItems is not None else (
        _existing_line_items(existing) if existing is not None else [])
    side = "SALES" if inv_type == "ACCREC" else "PURCHASES"
    kept_codes = {(ln.id, ln.item_code) for ln in existing.lines} if existing is not None else set()
    items = [await item_catalogue.line_defaults(
        books, item, side=side, errors=errors,
        kept=(normalise_guid(item.LineItemID or "") or "", item.ItemCode) in kept_codes) for item in items]
    lines = [_line_draft(books, item, inv_type=inv_type, line_amount_types=lat, unitdp=unitdp, errors=errors)
             for item in items]
    stored = {ln.id: ln.tracking for ln in existing.lines} if existing is not None else {}
    for ld, item in zip(lines, items, strict=True):
        ld.tracking = await tracking.resolve(books, item.Tracking, errors=errors,
                                             keep=stored.get(ld.line_item_id or ""))

    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    due = model.DueDate if provided(model, "DueDate") else (existing.due_date if existing else None)
    number = text(model.InvoiceNumber) if provided(model, "InvoiceNumber") else (existing.number if existing
                                                                                    else None)
    errors.extend(lockdates.violations(books.company, existing.date if existing is not None else None, date))
    if number and len(number) > MAX_NUMBER_LENGTH:
        errors.append(messages.FIELD_TOO_LONG.format(field="InvoiceNumber", max=MAX_NUMBER_LENGTH))
    if status in POSTED_STATUSES:
        if due is None:
            errors.append(messages.DUE_DATE_REQUIRED)
        if not lines:
            errors.append(messages.LINE_ITEMS_REQUIRED)
        if any(not ln.account_given for ln in lines):
            errors.append(messages.LINE_ACCOUNT_REQUIRED)
    if compute_totals([ln.result for ln in lines if ln.result]).total < 0:
        errors.append(messages.INVOICE_TOTAL_NEGATIVE)
    if inv_type == "ACCREC" and number and await _number_taken(books, number, existing):
        errors.append(messages.INVOICE_NUMBER_UNIQUE)

    draft = InvoiceDraft(
        type=inv_type, contact=contact, new_contact_name=new_contact_name, number=number,
        reference=text(model.Reference) if provided(model, "Reference") else (existing.reference if existing
                                                                             else None),
        date=date, due_date=due, line_amount_types=lat, status=status, currency_code=currency, lines=lines)
    for name, column in (("SentToContact", "sent_to_contact"), ("ExpectedPaymentDate", "expected_payment_date"),
                         ("PlannedPaymentDate", "planned_payment_date"), ("Url", "url"),
                         ("BrandingThemeID", "branding_theme_id")):
        if provided(model, name):
            draft.extras[column] = getattr(model, name)
    if has_payments and draft.signature() != _row_signature(existing):
        errors.append(messages.INVOICE_HAS_PAYMENTS)
    if errors:
        raise ElementInvalid(errors)
    return draft


# Writing ---------------------------------------------------------------------------------------------------

async def next_number(books: Books) -> str:
    """The next free ``INV-nnnn`` number (Xero's default invoice numbering)."""
    while True:
        candidate = f"{NUMBER_PREFIX}{books.company.next_invoice_number:04d}"
        books.company.next_invoice_number += 1
        if not await _number_taken(books, candidate, None):
            return candidate


def postings(books: Books, row: Invoice) -> list[ledger.Posting]:
    """The balanced journal lines of an approved invoice (see :mod:`adapters.native.ledger`)."""
    receivable = row.type == "ACCREC"
    sign = -1 if receivable else 1  # line accounts: credit for sales, debit for bills
    lines: list[ledger.Posting] = []
    for ln in row.lines:
        net = ln.line_amount - ln.tax_amount if row.line_amount_types == "Inclusive" else ln.line_amount
        lines.append(ledger.Posting(account_id=ln.account_id, amount=sign * net, description=ln.description,
                                    tax_type=ln.tax_type, tax_amount=sign * ln.tax_amount,
                                    tracking=ln.tracking or None))
    if row.total_tax:
        lines.append(ledger.Posting(account_id=books.system_account("GST").id, amount=sign * row.total_tax,
                                    description="VAT"))
    control = books.system_account("DEBTORS" if receivable else "CREDITORS")
    lines.append(ledger.Posting(account_id=control.id, amount=-sign * row.total, description=row.number))
    return lines


async def _write_lines(books: Books, row: Invoice, draft: InvoiceDraft) -> None:
    by_id = {ln.id: ln for ln in row.lines}
    kept: list[LineItem] = []
    for position, ld in enumerate(draft.lines, start=1):
        line = by_id.pop(ld.line_item_id, None) if ld.line_item_id else None
        if line is None:
            line = LineItem(id=books.new_id("line"), tracking=[])
        result = ld.result
        assert result is not None
        line.position = position
        line.description = ld.description
        line.quantity = ld.quantity
        line.unit_amount = ld.unit_amount
        line.item_code = ld.item_code
        line.account_id = ld.account.id if ld.account else None
        line.account_code = ld.account.code if ld.account else None
        line.tax_type = ld.tax_type
        line.tax_amount = result.tax_amount
        line.line_amount = result.line_amount
        line.discount_rate = ld.discount_rate
        line.discount_amount = ld.discount_amount
        line.tracking = ld.tracking
        kept.append(line)
    row.lines[:] = kept


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2, client_id: str | None = None) -> Invoice:
    """Validate then create or update one invoice, posting or reversing its journal as its status requires.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``InvoiceID`` (or number) of ``POST /Invoices/{InvoiceID}``.
        unitdp: ``unitdp`` query parameter (2 or 4): decimal places kept on ``UnitAmount``.
        client_id: the calling app's ``client_id``, stored on a created invoice (and on a contact it creates by
            name) for ``createdByMyApp``.

    Returns:
        The written invoice (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown invoice.
    """
    model = parse_element(xm.Invoice, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    draft = await build_draft(books, model, existing, unitdp=unitdp)
    now = books.now()
    contact = draft.contact
    if contact is None:
        assert draft.new_contact_name is not None
        contact = await contacts.create_by_name(books, draft.new_contact_name, client_id=client_id)
    number = draft.number
    if draft.type == "ACCREC" and not number:
        number = await next_number(books)

    old_status = existing.status if existing is not None else None
    if existing is None:
        row = Invoice(id=books.new_id("invoice"), company_id=books.company.id, amount_paid=ZERO, posted=False,
                      total_discount=ZERO, currency_rate=Decimal(1), sent_to_contact=False, lines=[], payments=[],
                      created_by_app=client_id)
        books.session.add(row)
        old_signature = None
    else:
        row = existing
        old_signature = _row_signature(row)
    was_posted, old_date = row.posted, row.date
    row.type, row.contact, row.contact_id = draft.type, contact, contact.id
    row.number, row.reference, row.date, row.due_date = number, draft.reference, draft.date, draft.due_date
    row.line_amount_types, row.currency_code, row.status = draft.line_amount_types, draft.currency_code, draft.status
    for column, value in draft.extras.items():
        setattr(row, column, value)
    await _write_lines(books, row, draft)
    totals = compute_totals([ld.result for ld in draft.lines if ld.result])
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.total_discount = totals.total_discount
    row.amount_due = ZERO if row.status in ("VOIDED", "DELETED") else row.total - row.amount_paid
    row.updated_utc = now

    if row.status == "AUTHORISED" and row.total == 0 and row.amount_paid == 0:
        # Xero marks an approved zero-total invoice as paid (nothing is owed).
        row.status, row.fully_paid_on = "PAID", row.date
    will_post = row.status in POSTED_STATUSES
    changed = old_signature != _row_signature(row)
    if was_posted and (not will_post or changed):
        await ledger.reverse_source(books.session, books.company, source_id=row.id, date=old_date,
                                    new_id=books.new_id, now=now)
        was_posted = False
    entries = postings(books, row) if will_post and not was_posted else []
    if any(p.amount for p in entries):
        await ledger.post(books.session, books.company, date=row.date, source_type=row.type, source_id=row.id,
                          postings=entries, new_id=books.new_id, now=now, reference=row.number)
    row.posted = will_post
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource="Invoices", record_id=row.id,
                         changes=history.status_change(old_status, row.status),
                         details=history.document_details(row.number, contact.name, row.total), when=now)
    return row
