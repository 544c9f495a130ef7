"""Invoices and bills: validation, status transitions, totals and ledger posting.

Rules (https://developer.xero.com/documentation/api/accounting/invoices; spec ``components.schemas.Invoice``):

- Types ``ACCREC`` (sales invoice) and ``ACCPAY`` (bill). Credit notes and prepayments are other resources.
- Status transitions (Xero support, quoted in https://github.com/waynerobinson/xeroizer/issues/48):
  DRAFT→SUBMITTED→AUTHORISED, SUBMITTED→DRAFT, DRAFT/SUBMITTED→DELETED, AUTHORISED→VOIDED (no payments
  applied). ``PAID`` is reached by payments only; PAID, VOIDED and DELETED invoices cannot be modified; an
  invalid change answers "Invoice not of valid status for modification" (Xero staff,
  https://github.com/XeroAPI/Xero-NetStandard/issues/79).
- Only AUTHORISED and PAID invoices are in the ledger (:mod:`adapters.native.ledger.posting`); voiding reverses the
  posting on the invoice's own date, so the voided invoice leaves every report.
- ``InvoiceNumber`` of ACCREC invoices is auto-assigned (``INV-0001``…) when missing and must be unique.
- ``Contact`` by ``ContactID``, ``ContactNumber`` or ``Name``; a name that matches no contact creates one.
- LineItems: ``Quantity`` defaults to 1; ``UnitAmount`` keeps 2 dp unless ``unitdp=4``; ``LineAmount`` alone
  derives ``UnitAmount``; ``AccountCode`` must be an active account that is neither a bank nor a system
  account; ``TaxType`` defaults to the account's and must be a rate that can apply to the account's class.
- ``DueDate``, at least one line, and an ``AccountCode`` on every line are required to approve.
- An approved invoice whose total is zero is PAID at once (nothing is owed; Xero does the same, unconfirmed).
- Lock dates (:mod:`adapters.native.ledger.lockdates`): an invoice dated on or before the organisation's lock date
  cannot be created, and an invoice so dated cannot be edited, approved, voided or deleted (nor moved into the
  locked period).
- ``TaxType`` also suits the document (:mod:`adapters.native.ledger.taxrules`): output VAT on sales invoices, input
  VAT on bills. ``InvoiceNumber`` is at most 255 characters (spec).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from gateway.xero import models as xm
from gateway.xero.guids import normalise_guid

from .. import messages, sqlquery
from ..books import Books
from ..ledger import fx, lockdates
from ..ledger import posting as ledger
from ..ledger.taxmath import compute_totals
from ..tables.core import Invoice, LineItem
from ..validation import ElementInvalid, parse_element, provided, text
from . import contacts, doclines, fx_rates, history, invoice_lines, tracking
from . import items as item_catalogue

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


async def get_by_id(books: Books, invoice_id: str) -> Invoice | None:
    """An invoice of the company by ``InvoiceID``, or ``None``."""
    return await books.get(Invoice, invoice_id)


async def get_by_number(books: Books, number: str, *, inv_type: str | None = None) -> Invoice | None:
    """The most recent non-deleted invoice of the company with ``InvoiceNumber == number``, or ``None``."""
    return await doclines.latest_by_number(books, Invoice, number, document_type=inv_type)


async def get_by_id_or_number(books: Books, value: str) -> Invoice | None:
    """``GET /Invoices/{InvoiceID}`` also accepts an ``InvoiceNumber`` (Xero's docs)."""
    row = await get_by_id(books, value)
    return row if row is not None else await get_by_number(books, value)


# Drafts: the invoice as it will be after the write, validated before anything is written -------------------

@dataclass
class InvoiceDraft(doclines.DocumentDraft):
    """The invoice after validation, before writing (``lines``: :class:`invoice_lines.LineDraft`)."""

    def signature(self) -> tuple[Any, ...]:
        """What the ledger posting depends on (a change needs a re-posting)."""
        return (self.type, self.contact.id if self.contact else self.new_contact_name, self.date,
                self.currency_code, self.extras.get("currency_rate"),
                tuple((ln.account.id if ln.account else None, ln.tax_type,
                                           ln.result.net_amount if ln.result else None,
                                           ln.result.tax_amount if ln.result else None,
                                           tracking.signature(ln.tracking)) for ln in self.lines))


def _row_signature(row: Invoice) -> tuple[Any, ...]:
    return (row.type, row.contact_id, row.date, row.currency_code, row.currency_rate,
            tuple((ln.account_id, ln.tax_type, ln.line_amount - ln.tax_amount
                   if row.line_amount_types == "Inclusive" else ln.line_amount, ln.tax_amount,
                   tracking.signature(ln.tracking))
                  for ln in row.lines))


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
    async def by_number() -> Any:
        number = text(model.InvoiceNumber)
        return await get_by_number(books, number, inv_type=model.Type) if number else None
    return await doclines.find_target(books, mode=mode, path_id=path_id, record_id=text(model.InvoiceID),
                                      by_id=get_by_id, by_path=get_by_id_or_number, by_number=by_number,
                                      exists=messages.INVOICE_EXISTS, not_found=messages.INVOICE_NOT_FOUND)


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

    contact, new_contact_name = await doclines.read_contact(books, model, existing, errors,
                                                            no_identifier=messages.CONTACT_REQUIRED)

    lat = doclines.read_line_amount_types(model, existing, errors)
    currency = doclines.read_currency(books, model, existing, errors)
    rate = fx_rates.document_rate(books, model, existing, currency)

    items = model.LineItems if model.LineItems is not None else (
        invoice_lines.existing_line_items(existing) if existing is not None else [])
    side = "SALES" if inv_type == "ACCREC" else "PURCHASES"
    kept_codes = {(ln.id, ln.item_code) for ln in existing.lines} if existing is not None else set()
    items = [await item_catalogue.line_defaults(
        books, item, side=side, errors=errors,
        kept=(normalise_guid(item.LineItemID or "") or "", item.ItemCode) in kept_codes) for item in items]
    lines = [invoice_lines.line_draft(books, item, inv_type=inv_type, line_amount_types=lat, unitdp=unitdp,
                                      errors=errors) for item in items]
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
    draft.extras["currency_rate"] = rate
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
    """The balanced journal lines of an approved invoice (see :mod:`adapters.native.ledger.posting`), in the base
    currency at the invoice's ``CurrencyRate`` (:func:`adapters.native.ledger.fx.in_base`)."""
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
    return fx.in_base(lines, row.currency_rate)


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
    row.lines[:] = invoice_lines.write_lines(books, row.lines, draft.lines,
                                             lambda new_id: LineItem(id=new_id, tracking=[]))
    totals = compute_totals([ld.result for ld in draft.lines if ld.result])
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.total_discount = totals.total_discount
    row.amount_due = ZERO if row.status in ("VOIDED", "DELETED") else row.total - row.amount_paid
    row.updated_utc = now

    if row.status == "AUTHORISED" and row.total == 0 and row.amount_paid == 0:
        # Xero marks an approved zero-total invoice as paid (nothing is owed).
        row.status, row.fully_paid_on = "PAID", row.date
    await doclines.repost_document(books, row, was_posted=was_posted, will_post=row.status in POSTED_STATUSES,
                                   changed=old_signature != _row_signature(row), old_date=old_date,
                                   postings=lambda: postings(books, row), now=now)
    await history.record(books.session, company_id=books.company.id, resource="Invoices", record_id=row.id,
                         changes=history.status_change(old_status, row.status),
                         details=history.document_details(row.number, contact.name, row.total), when=now)
    return row
