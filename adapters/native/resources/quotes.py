"""Sales quotes: validation, status changes, numbering, translation. No ledger posting.

Rules (spec ``components.schemas.Quote``, ``QuoteStatusCodes``, ``QuoteLineAmountTypes``;
https://developer.xero.com/documentation/api/accounting/quotes):

- Statuses ``DRAFT``, ``SENT``, ``DECLINED``, ``ACCEPTED``, ``INVOICED``, ``DELETED``. A quote is created as
  DRAFT (the default), SENT, DECLINED or ACCEPTED; :data:`TRANSITIONS` lists the changes a client may make
  afterwards (the table follows Xero's quote workflow: draft → sent → accepted/declined → invoiced, delete at
  any point before invoicing; the exact table is unconfirmed). INVOICED and DELETED quotes cannot be edited
  ("Quote not of valid status for modification", patterned on the invoice message).
- ``Contact`` is required (by ``ContactID``, ``ContactNumber`` or ``Name``), and so is at least one line with a
  ``Description`` or an ``ItemCode`` (unconfirmed).
- ``Date`` defaults to today (spec Quote.Date); ``ExpiryDate`` may not precede it (unconfirmed).
- ``QuoteNumber`` (max 255, spec) is ``QU-0001``… when missing and unique among live quotes; ``Reference``
  and ``Terms`` max 4000, ``Title`` max 100, ``Summary`` max 3000 (spec ``maxLength``).
- ``LineAmountTypes`` is ``EXCLUSIVE`` (default), ``INCLUSIVE`` or ``NOTAX`` (spec ``QuoteLineAmountTypes``); the
  invoice spellings ``Exclusive``… are accepted too. Lines are computed as invoice lines.
- Every write records history (``Created``, the status word, or ``Edited``; :mod:`adapters.native.resources.history`).
"""

from __future__ import annotations

from typing import Any

from gateway.xero import models as xm
from gateway.xero.models.workflow import QUOTE_LINE_AMOUNT_TYPES, QUOTE_STATUSES, Quote

from .. import messages
from ..books import Books
from ..ledger.taxmath import LINE_AMOUNT_TYPES, round2
from ..tables.workflow import WorkflowDocument
from ..translate import core as translate
from ..validation import ElementInvalid, parse_element, provided, text
from . import workflow_documents as wd

KIND = wd.QUOTE
CREATE_STATUSES = frozenset({"DRAFT", "SENT", "DECLINED", "ACCEPTED"})
#: current status → statuses a client may set (see the module docstring; unconfirmed).
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "SENT", "DELETED"}),
    "SENT": frozenset({"SENT", "DRAFT", "ACCEPTED", "DECLINED", "DELETED"}),
    "DECLINED": frozenset({"DECLINED", "SENT", "ACCEPTED", "DELETED"}),
    "ACCEPTED": frozenset({"ACCEPTED", "SENT", "DECLINED", "INVOICED", "DELETED"}),
    "INVOICED": frozenset({"INVOICED", "ACCEPTED"}),
    "DELETED": frozenset(),
}
#: Quote spelling → the ledger's (``taxmath``) spelling of line amount types.
_LINE_AMOUNT_TYPES = dict(zip(QUOTE_LINE_AMOUNT_TYPES, LINE_AMOUNT_TYPES, strict=True))


def line_amount_types_in(value: str | None) -> str | None:
    """``"EXCLUSIVE"``/``"Exclusive"``… → the ledger's ``"Exclusive"``; ``None`` for anything else."""
    if value is None:
        return None
    return _LINE_AMOUNT_TYPES.get(value.strip().upper())


def line_amount_types_out(value: str) -> str:
    """The ledger's ``"Exclusive"`` → the quote's ``"EXCLUSIVE"`` (spec ``QuoteLineAmountTypes``)."""
    return {v: k for k, v in _LINE_AMOUNT_TYPES.items()}.get(value, value.upper())


def to_model(row: WorkflowDocument, *, unitdp: int = 2) -> Quote:
    """A quote row → spec ``Quote`` (with its lines; ``UnitAmount`` to ``unitdp`` places)."""
    contact = row.contact
    return Quote(
        QuoteID=row.id, QuoteNumber=row.number, Reference=row.reference, Terms=row.terms,
        Contact=xm.Contact(ContactID=contact.id, Name=contact.name, EmailAddress=contact.email or ""),
        LineItems=[translate.line_item(line, unitdp=unitdp) for line in row.lines],  # type: ignore[arg-type]
        Date=row.date, ExpiryDate=row.expiry_date, Status=row.status, CurrencyCode=row.currency_code,
        CurrencyRate=row.currency_rate, SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax),
        Total=round2(row.total), TotalDiscount=round2(row.total_discount) if row.total_discount else None,
        Title=row.title, Summary=row.summary, BrandingThemeID=row.branding_theme_id,
        UpdatedDateUTC=row.updated_utc, LineAmountTypes=line_amount_types_out(row.line_amount_types))


async def find_target(books: Books, model: Quote, *, mode: str, path_id: str | None) -> WorkflowDocument | None:
    """The quote a write addresses, or ``None`` to create (:func:`workflow_documents.find_target`).

    Args:
        mode: ``"create"`` (PUT /Quotes), ``"upsert"`` (POST /Quotes: by ``QuoteID``, else by ``QuoteNumber``)
            or ``"update"`` (POST /Quotes/{QuoteID}).

    Raises:
        NotFound: ``update`` of an unknown quote.
        ElementInvalid: PUT with the id of an existing quote; POST with an unknown ``QuoteID``.
    """
    async def by_id(books: Books, value: str) -> WorkflowDocument | None:
        return await wd.get_by_id(books, KIND, value)

    return await wd.find_target(books, KIND, mode=mode, record_id=text(model.QuoteID),
                                number=text(model.QuoteNumber), path_id=path_id, by_path=by_id)


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> WorkflowDocument:
    """Validate then create or update one quote.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``QuoteID`` of ``POST /Quotes/{QuoteID}``.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written for it).
        NotFound: ``update`` of an unknown quote.
    """
    model = parse_element(Quote, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    errors: list[str] = []
    current = existing.status if existing is not None else None
    status = (model.Status or current or "DRAFT").upper()
    wd.check_status(KIND, status=status, current=current, statuses=QUOTE_STATUSES, create_statuses=CREATE_STATUSES,
                    transitions=TRANSITIONS, errors=errors)

    contact = await wd.read_contact(books, model, existing, errors)
    lat = (line_amount_types_in(model.LineAmountTypes) if model.LineAmountTypes is not None
           else (existing.line_amount_types if existing is not None else "Exclusive"))
    if lat is None:
        errors.append(messages.QUOTE_LINE_AMOUNT_TYPES_INVALID)
        lat = "Exclusive"
    parts = await wd.read_parts(books, KIND, model, existing, contact=contact, side="SALES",
                                line_amount_types=lat, unitdp=unitdp, errors=errors)
    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    expiry = model.ExpiryDate if provided(model, "ExpiryDate") else (existing.expiry_date if existing else None)
    if expiry is not None and expiry < date:
        errors.append(messages.QUOTE_EXPIRY_BEFORE_DATE)
    number = wd.text_field(model, "QuoteNumber", existing, "number")
    reference = wd.text_field(model, "Reference", existing, "reference")
    terms = wd.text_field(model, "Terms", existing, "terms")
    title = wd.text_field(model, "Title", existing, "title")
    summary = wd.text_field(model, "Summary", existing, "summary")
    for field, value, limit in (("QuoteNumber", number, 255), ("Reference", reference, 4000),
                                ("Terms", terms, 4000), ("Title", title, 100), ("Summary", summary, 3000)):
        wd.check_length(value, field=field, limit=limit, errors=errors)
    if number and await wd.number_taken(books, KIND, number, existing):
        errors.append(messages.WORKFLOW_NUMBER_UNIQUE.format(label=KIND.label, field="QuoteNumber"))
    if errors:
        raise ElementInvalid(errors)

    row = await wd.open_row(books, KIND, existing, parts, number=number, id_kind="quote", sent_to_contact=False)
    now = books.now()
    row.reference, row.terms, row.title, row.summary = reference, terms, title, summary
    row.date, row.expiry_date, row.status = date, expiry, status
    row.line_amount_types, row.currency_code = lat, parts.currency
    await wd.close_row(books, KIND, row, model, parts, current=current, now=now)
    return row
