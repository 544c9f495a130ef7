"""Credit notes: validation, status transitions, numbering, totals and ledger posting.

Rules (https://developer.xero.com/documentation/api/accounting/creditnotes; spec ``components.schemas.CreditNote``
and the ``/CreditNotes`` operations):

- Types ``ACCRECCREDIT`` (a credit to a customer) and ``ACCPAYCREDIT`` (a credit from a supplier); the type cannot
  change.
- Statuses and transitions as for invoices (:data:`adapters.native.resources.invoices.TRANSITIONS`): created DRAFT,
  SUBMITTED or AUTHORISED (DRAFT by default, as the spec's ``createCreditNotes`` example answers);
  DRAFT/SUBMITTED → DELETED; AUTHORISED → VOIDED only while nothing is allocated or refunded; ``PAID`` is reached
  when the whole credit is allocated or refunded (:mod:`adapters.native.resources.credits`); PAID, VOIDED and DELETED
  credit
  notes cannot be modified.
- ``CreditNoteNumber`` of ACCRECCREDIT credit notes is auto-assigned ``CN-0001``… ("when missing will
  auto-generate from your Organisation Invoice Settings", spec ``CreditNote.CreditNoteNumber``; ``CN-`` is the
  prefix in the spec's examples, e.g. ``CN-0005``) and must be unique; ACCPAYCREDIT numbers are the supplier's.
- Lines as :mod:`adapters.native.resources.doclines`; an approved credit note needs at least one line, an account on
  every line, and a total that is not negative.
- ``RemainingCredit`` starts at ``Total`` (the spec's examples show it on drafts too) and falls with allocations
  and refunds; the amounts, contact and lines of a credit note that has been allocated or refunded cannot change.
- Lock dates (:mod:`adapters.native.ledger.lockdates`): a credit note dated on or before the lock date cannot be
  created, edited, voided or deleted, as an invoice.
- POST /CreditNotes updates by ``CreditNoteID`` (an unknown id answers the spec's example message "An existing
  Credit Note with the specified CreditNoteID could not be found"), else by ``CreditNoteNumber``, else creates.

Ledger (accrual; :mod:`adapters.native.ledger.posting`): an approved credit note posts the reverse of an invoice of the
same side — ACCRECCREDIT: Dr each line's account its net amount, Dr VAT ``TotalTax``, Cr Accounts Receivable
``Total``; ACCPAYCREDIT: Cr the lines and VAT, Dr Accounts Payable. Journal ``SourceType`` is the credit note's
type (spec ``Journal.SourceType`` enum). Voiding reverses the posting on the credit note's own date; editing an
approved one re-posts it.
A credit note in a foreign currency is posted at its ``CurrencyRate`` like an invoice
(:mod:`adapters.native.resources.fx_rates`, :mod:`adapters.native.ledger.fx`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from gateway.xero.models import documents as xd

from .. import messages
from ..books import Books
from ..ledger import fx, lockdates
from ..ledger import posting as ledger
from ..tables.documents import CreditNote, CreditNoteLine
from ..validation import ElementInvalid, parse_element, provided, text
from . import credits, doclines, fx_rates, history, invoices

CREDIT_NOTE_TYPES = xd.CREDIT_NOTE_TYPES
POSTED_STATUSES = invoices.POSTED_STATUSES
NUMBER_PREFIX = "CN-"
_NUMBER = re.compile(r"^CN-(\d+)$")
ZERO = Decimal("0.00")


async def get_by_id(books: Books, credit_note_id: str) -> CreditNote | None:
    """A credit note of the company by ``CreditNoteID``, or ``None``."""
    return await books.get(CreditNote, credit_note_id)


async def get_by_number(books: Books, number: str, *, note_type: str | None = None) -> CreditNote | None:
    """The most recent non-deleted credit note with ``CreditNoteNumber == number``, or ``None``."""
    return await doclines.latest_by_number(books, CreditNote, number, document_type=note_type)


async def _number_taken(books: Books, number: str, existing: CreditNote | None) -> bool:
    query = select(func.count()).select_from(CreditNote).where(
        CreditNote.company_id == books.company.id, CreditNote.type == "ACCRECCREDIT",
        CreditNote.status != "DELETED", func.lower(CreditNote.number) == number.lower())
    if existing is not None:
        query = query.where(CreditNote.id != existing.id)
    return bool(await books.session.scalar(query))


async def next_number(books: Books) -> str:
    """The next ``CN-nnnn`` after the highest number of that form in use."""
    numbers = await books.session.scalars(
        select(CreditNote.number).where(CreditNote.company_id == books.company.id,
                                        CreditNote.number.like(f"{NUMBER_PREFIX}%")))
    highest = max((int(m.group(1)) for n in numbers if n and (m := _NUMBER.match(n))), default=0)
    return f"{NUMBER_PREFIX}{highest + 1:04d}"


async def find_target(books: Books, model: xd.CreditNote, *, mode: str, path_id: str | None) -> CreditNote | None:
    """The existing credit note a write addresses, or ``None`` to create.

    Args:
        mode: ``"create"`` (PUT), ``"upsert"`` (POST /CreditNotes) or ``"update"`` (POST /CreditNotes/{id}).

    Raises:
        NotFound: ``update`` of an unknown credit note.
        ElementInvalid: PUT with the id of an existing credit note; POST with an unknown ``CreditNoteID``.
    """
    async def by_number() -> Any:
        number = text(model.CreditNoteNumber)
        return await get_by_number(books, number, note_type=model.Type) if number else None
    return await doclines.find_target(books, mode=mode, path_id=path_id, record_id=text(model.CreditNoteID),
                                      by_id=get_by_id, by_number=by_number,
                                      exists=messages.CREDIT_NOTE_EXISTS, not_found=messages.CREDIT_NOTE_NOT_FOUND)


def _row_signature(row: CreditNote) -> tuple[Any, ...]:
    return (row.type, row.contact_id, row.date, row.currency_code, row.currency_rate, row.line_amount_types,
            doclines.signature(row.lines, row.line_amount_types))


async def build_draft(books: Books, model: xd.CreditNote, existing: CreditNote | None, *,
                      unitdp: int) -> doclines.DocumentDraft:
    """Validate a write against the current books and return the credit note as it will be.

    Raises:
        ElementInvalid: every problem found (nothing is written by this function).
    """
    errors: list[str] = []
    current = existing.status if existing is not None else None
    status = model.Status or current or "DRAFT"
    if current is None:
        if status not in invoices.CREATE_STATUSES:
            errors.append(messages.CREDIT_NOTE_STATUS_CREATION)
    elif status not in invoices.TRANSITIONS.get(current, frozenset()):
        raise ElementInvalid([messages.CREDIT_NOTE_STATUS_MODIFICATION])
    used = existing is not None and credits.in_use(existing)
    if used and status == "VOIDED":
        raise ElementInvalid([messages.INVOICE_VOID_PAYMENTS])

    note_type = model.Type or (existing.type if existing else None)
    if note_type not in CREDIT_NOTE_TYPES or (existing is not None and model.Type and model.Type != existing.type):
        errors.append(messages.CREDIT_NOTE_TYPE_INVALID)
        note_type = existing.type if existing is not None else "ACCRECCREDIT"

    contact, new_name = await doclines.read_contact(books, model, existing, errors)

    lat = doclines.read_line_amount_types(model, existing, errors)
    currency = doclines.read_currency(books, model, existing, errors)
    rate = fx_rates.document_rate(books, model, existing, currency)

    items = model.LineItems if model.LineItems is not None else (
        doclines.existing_line_items(existing.lines) if existing is not None else [])
    stored = {ln.id: ln.tracking for ln in existing.lines} if existing is not None else {}
    lines = await doclines.build_lines(books, items, document_type=note_type, line_amount_types=lat, unitdp=unitdp,
                                       side="SALES" if note_type == "ACCRECCREDIT" else "PURCHASES",
                                       errors=errors, stored_tracking=stored)

    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    due = model.DueDate if provided(model, "DueDate") else (existing.due_date if existing else None)
    number = text(model.CreditNoteNumber) if provided(model, "CreditNoteNumber") else (
        existing.number if existing else None)
    if status in POSTED_STATUSES:
        if not lines:
            errors.append(messages.CREDIT_NOTE_LINES_REQUIRED)
        if any(not ln.account_given for ln in lines):
            errors.append(messages.CREDIT_NOTE_LINE_ACCOUNT_REQUIRED)
    if doclines.totals(lines).total < 0:
        errors.append(messages.CREDIT_NOTE_TOTAL_NEGATIVE)
    errors.extend(lockdates.violations(books.company, existing.date if existing is not None else None, date))
    if note_type == "ACCRECCREDIT" and number and await _number_taken(books, number, existing):
        errors.append(messages.CREDIT_NOTE_NUMBER_UNIQUE)

    draft = doclines.DocumentDraft(
        type=note_type, contact=contact, new_contact_name=new_name, number=number,
        reference=text(model.Reference) if provided(model, "Reference") else (existing.reference if existing
                                                                             else None),
        date=date, due_date=due, line_amount_types=lat, status=status, currency_code=currency, lines=lines)
    if provided(model, "BrandingThemeID"):
        draft.extras["branding_theme_id"] = model.BrandingThemeID
    draft.extras["currency_rate"] = rate
    if used and existing is not None:
        new_sig = (draft.type, contact.id if contact else new_name, draft.date, draft.currency_code, rate, lat,
                   tuple((ln.account.id if ln.account else None, ln.tax_type, ln.result.net_amount,
                          ln.result.tax_amount, tuple(t.get("TrackingOptionID") for t in ln.tracking))
                         for ln in lines))
        if new_sig != _row_signature(existing):
            errors.append(messages.INVOICE_HAS_PAYMENTS)
    if errors:
        raise ElementInvalid(errors)
    return draft


def postings(books: Books, row: CreditNote) -> list[ledger.Posting]:
    """The balanced journal lines of an approved credit note (see the module docstring), in the base currency at
    the credit note's ``CurrencyRate`` as an invoice's (:func:`adapters.native.ledger.fx.in_base`)."""
    control = books.system_account(credits.kind(row).control_system_account)
    return fx.in_base(doclines.postings(books, lines=row.lines, line_amount_types=row.line_amount_types,
                                        total_tax=row.total_tax, total=row.total,
                                        debit_lines=row.type == "ACCRECCREDIT", counter_account_id=control.id,
                                        reference=row.number), row.currency_rate)


def credit_cleared(books: Books, credit: credits.Credit, amount: Decimal) -> Decimal:
    """The base amount of a credit's control posting that using ``amount`` of it clears (an allocation's or a
    refund's, read before it is written; :mod:`adapters.native.ledger.fx`): ``amount`` at the credit's rate, or,
    when it uses up a foreign-currency credit note, all that its live allocations and refunds left, so that a used
    credit note holds nothing on the control account. Overpayments and prepayments are posted at their face amount
    (rate 1), so they clear ``amount``.
    """
    rate = credit.currency_rate
    if amount != credits.remaining(credit) or rate == fx.ONE or not isinstance(credit, CreditNote):
        return fx.to_base(amount, rate)
    posted = abs(postings(books, credit)[-1].amount)
    used = [a.amount for a in credit.allocations if not a.is_deleted]
    used += [r.amount for r in credit.refunds if r.status == "AUTHORISED"]
    return posted - sum((fx.to_base(a, rate) for a in used), ZERO)


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> CreditNote:
    """Validate then create or update one credit note, posting or reversing its journal as its status requires.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``CreditNoteID`` of ``POST /CreditNotes/{CreditNoteID}``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written credit note (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown credit note.
    """
    model = parse_element(xd.CreditNote, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    draft = await build_draft(books, model, existing, unitdp=unitdp)
    now = books.now()
    contact = await doclines.ensure_contact(books, draft.contact, draft.new_contact_name)
    assert contact is not None
    number = draft.number
    if draft.type == "ACCRECCREDIT" and not number:
        number = await next_number(books)

    old_status = existing.status if existing is not None else None
    if existing is None:
        row = CreditNote(id=books.new_id("creditnote"), company_id=books.company.id, posted=False,
                         currency_rate=Decimal(1), sent_to_contact=False, lines=[], allocations=[], refunds=[])
        books.session.add(row)
        old_signature = None
    else:
        row = existing
        old_signature = _row_signature(row)
    was_posted, old_date = row.posted, row.date
    used = row.total - row.remaining_credit if existing is not None else ZERO
    row.type, row.contact, row.contact_id = draft.type, contact, contact.id
    row.number, row.reference, row.date, row.due_date = number, draft.reference, draft.date, draft.due_date
    row.line_amount_types, row.currency_code, row.status = draft.line_amount_types, draft.currency_code, draft.status
    for column, value in draft.extras.items():
        setattr(row, column, value)
    row.lines[:] = doclines.write_lines(books, row.lines, draft.lines,
                                        lambda new_id: CreditNoteLine(id=new_id, tracking=[]))
    totals = doclines.totals(draft.lines)
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.remaining_credit = ZERO if row.status in ("VOIDED", "DELETED") else row.total - used
    row.updated_utc = now
    if row.status == "AUTHORISED" and row.remaining_credit == 0 and row.total == 0:
        row.status, row.fully_paid_on = "PAID", row.date

    await doclines.repost_document(books, row, was_posted=was_posted, will_post=row.status in POSTED_STATUSES,
                                   changed=old_signature != _row_signature(row), old_date=old_date,
                                   postings=lambda: postings(books, row), now=now)
    await history.record(books.session, company_id=books.company.id, resource="CreditNotes", record_id=row.id,
                         changes=history.status_change(old_status, row.status),
                         details=history.document_details(row.number, contact.name, row.total), when=now)
    return row
