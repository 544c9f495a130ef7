"""Repeating invoice templates: validation, writes and their canonical model.

Rules (spec ``RepeatingInvoice`` and ``Schedule``; https://developer.xero.com/documentation/api/accounting/
repeatinginvoices):

- The template is an invoice without number or dates: ``Type`` (ACCREC/ACCPAY), ``Contact``, ``LineItems``,
  ``LineAmountTypes``, ``Reference``, ``CurrencyCode``, ``BrandingThemeID``, validated by the invoice rules of
  :mod:`adapters.native.resources.invoices` (accounts, tax types on the document's side, tracking, currency) as a
  draft invoice dated on the schedule's ``StartDate``.
- ``Status`` is the status the generated invoices get: ``DRAFT`` or ``AUTHORISED`` (spec: "See Invoice Status
  Codes"); ``DELETED`` (by ``POST`` with ``Status`` ``DELETED``, as the spec's example) ends the schedule, and a
  deleted template cannot be changed. ``ApprovedForSending`` needs an ``AUTHORISED`` sales template (Xero approves
  for sending only sales invoices it can e-mail); ``MarkAsSent`` marks each generated invoice as sent
  (``SentToContact``).
- ``Schedule``: ``Period`` ≥ 1, ``Unit``, ``DueDate`` ≥ 0 with ``DueDateType`` (the spec's enums), ``StartDate``
  (required on create), optional ``EndDate`` not before it. ``NextScheduledDate`` is read only: the schedule's next
  occurrence (:mod:`adapters.native.resources.schedules`); editing the schedule restarts it at ``StartDate``
  ("Date the first invoice of the current version of the repeating schedule", spec ``Schedule.StartDate``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.models.repeating import RepeatingInvoice, Schedule

from ..books import Books
from ..ledger.taxmath import compute_totals, round2, round_dp
from ..tables.core import Contact
from ..tables.repeating import RepeatingInvoiceRow
from ..translate import core as translate
from ..validation import ElementInvalid, parse_element, provided, text
from . import contacts, history, invoices, schedules

RESOURCE = "RepeatingInvoices"
CREATE_STATUSES = ("DRAFT", "AUTHORISED")
STATUS_INVALID = "Status must be DRAFT or AUTHORISED."
DELETED_NO_CHANGE = "A deleted repeating invoice cannot be modified."
SCHEDULE_REQUIRED = "A Schedule must be specified."
PERIOD_INVALID = "Schedule Period must be a whole number of 1 or more."
UNIT_INVALID = "Schedule Unit must be WEEKLY or MONTHLY."
DUE_DATE_INVALID = "Schedule DueDate must be a whole number of 0 or more."
DUE_DATE_TYPE_INVALID = "Schedule DueDateType must be one of " + ", ".join(schedules.DUE_DATE_TYPES) + "."
START_DATE_REQUIRED = "Schedule StartDate must be specified."
END_BEFORE_START = "Schedule EndDate cannot be before its StartDate."
APPROVED_FOR_SENDING = "Only an AUTHORISED sales repeating invoice (ACCREC) can be approved for sending."
EXISTS = "A repeating invoice with RepeatingInvoiceID '{id}' already exists. Use POST to update it."
NOT_FOUND = "Repeating invoice could not be found"


async def get_by_id(books: Books, template_id: str) -> RepeatingInvoiceRow | None:
    """A template of the company by ``RepeatingInvoiceID``, or ``None``."""
    return await books.get(RepeatingInvoiceRow, template_id)


async def all_rows(books: Books) -> list[RepeatingInvoiceRow]:
    """Every template of the company (deleted ones included)."""
    return list(await books.session.scalars(
        select(RepeatingInvoiceRow).where(RepeatingInvoiceRow.company_id == books.company.id)))


def to_model(row: RepeatingInvoiceRow, contact: Contact, *, has_attachments: bool = False,
             unitdp: int = 2) -> RepeatingInvoice:
    """The stored template as Xero shows it (``ID`` repeats ``RepeatingInvoiceID``, as in the spec's examples)."""
    lines = [xm.LineItem(**{**ln, "UnitAmount": round_dp(Decimal(str(ln["UnitAmount"])), 4 if unitdp == 4 else 2)})
             for ln in row.line_items]
    return RepeatingInvoice(
        RepeatingInvoiceID=row.id, ID=row.id, Type=row.type, Contact=translate.contact_ref(contact),
        Schedule=Schedule(Period=row.period, Unit=row.unit, DueDate=row.due_date, DueDateType=row.due_date_type,
                          StartDate=row.start_date, NextScheduledDate=row.next_scheduled_date,
                          EndDate=row.end_date),
        LineItems=lines, LineAmountTypes=row.line_amount_types, Reference=row.reference or "",
        BrandingThemeID=row.branding_theme_id, CurrencyCode=row.currency_code, Status=row.status,
        SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax), Total=round2(row.total),
        HasAttachments=has_attachments, ApprovedForSending=row.approved_for_sending, SendCopy=row.send_copy,
        MarkAsSent=row.mark_as_sent, IncludePDF=row.include_pdf)


async def _target(books: Books, model: RepeatingInvoice, *, mode: str,
                  path_id: str | None) -> RepeatingInvoiceRow | None:
    if mode == "update":
        row = await get_by_id(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    given = text(model.RepeatingInvoiceID) or text(model.ID)
    if not given:
        return None
    row = await get_by_id(books, given)
    if mode == "create" and row is not None:
        raise ElementInvalid([EXISTS.format(id=row.id)])
    if mode == "upsert" and row is None:
        raise ElementInvalid([NOT_FOUND])
    return row


def _schedule(model: RepeatingInvoice, existing: RepeatingInvoiceRow | None, errors: list[str]) -> dict[str, Any]:
    """The schedule after the write (given fields over the stored ones)."""
    given = model.Schedule
    if given is None and existing is None:
        errors.append(SCHEDULE_REQUIRED)
        return {}
    sent = given.model_fields_set if given is not None else set()

    def pick(name: str, column: str) -> Any:
        if given is not None and name in sent:
            return getattr(given, name)
        return getattr(existing, column) if existing is not None else None
    schedule = {"period": pick("Period", "period"), "unit": pick("Unit", "unit"), "due": pick("DueDate", "due_date"),
                "due_type": pick("DueDateType", "due_date_type"), "start": pick("StartDate", "start_date"),
                "end": pick("EndDate", "end_date")}
    if not isinstance(schedule["period"], int) or schedule["period"] < 1:
        errors.append(PERIOD_INVALID)
    if schedule["unit"] not in schedules.UNITS:
        errors.append(UNIT_INVALID)
    if not isinstance(schedule["due"], int) or schedule["due"] < 0:
        errors.append(DUE_DATE_INVALID)
    if schedule["due_type"] not in schedules.DUE_DATE_TYPES:
        errors.append(DUE_DATE_TYPE_INVALID)
    if schedule["start"] is None:
        errors.append(START_DATE_REQUIRED)
    elif schedule["end"] is not None and schedule["end"] < schedule["start"]:
        errors.append(END_BEFORE_START)
    return schedule


def _invoice_element(model: RepeatingInvoice, element: dict[str, Any], existing: RepeatingInvoiceRow | None,
                     start: dt.date) -> dict[str, Any]:
    """The template as a draft invoice dated ``start`` (for the invoice rules), given fields over stored ones."""
    out: dict[str, Any] = {"Status": "DRAFT", "Date": start.isoformat()}
    stored: dict[str, Any] = {}
    if existing is not None:
        stored = {"Type": existing.type, "Contact": {"ContactID": existing.contact_id},
                  "LineAmountTypes": existing.line_amount_types, "Reference": existing.reference,
                  "CurrencyCode": existing.currency_code, "BrandingThemeID": existing.branding_theme_id,
                  "LineItems": [{k: v for k, v in ln.items() if k not in ("TaxAmount", "LineItemID")}
                                for ln in existing.line_items]}
    for name in ("Type", "Contact", "LineItems", "LineAmountTypes", "Reference", "CurrencyCode", "BrandingThemeID"):
        if provided(model, name):
            out[name] = element.get(name)
        elif name in stored and stored[name] is not None:
            out[name] = stored[name]
    return out


def _stored_line(books: Books, ld: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "LineItemID": ld.line_item_id or books.new_id("line"), "Description": ld.description,
        "Quantity": str(ld.quantity), "UnitAmount": str(ld.unit_amount), "ItemCode": ld.item_code,
        "AccountCode": ld.account.code if ld.account is not None else None, "TaxType": ld.tax_type,
        "TaxAmount": str(ld.result.tax_amount), "LineAmount": str(ld.result.line_amount),
        "Tracking": list(ld.tracking or [])}
    if getattr(ld, "discount_rate", None) is not None:
        line["DiscountRate"] = str(ld.discount_rate)
    return {k: v for k, v in line.items() if v is not None}


def _flag(model: RepeatingInvoice, name: str, existing: RepeatingInvoiceRow | None, column: str) -> bool:
    if provided(model, name) and getattr(model, name) is not None:
        return bool(getattr(model, name))
    return bool(getattr(existing, column)) if existing is not None else False


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> RepeatingInvoiceRow:
    """Validate then create, update or delete one template.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"`` (PUT), ``"upsert"`` (POST /RepeatingInvoices: by ``RepeatingInvoiceID``, else create) or
            ``"update"`` (POST /RepeatingInvoices/{RepeatingInvoiceID}).
        path_id: the id of the update's path.
        unitdp: decimal places kept on ``UnitAmount`` (2 or 4).

    Returns:
        The written template (flushed).

    Raises:
        ElementInvalid: every problem found (nothing written).
        NotFound: ``update`` of an unknown template.
    """
    model = parse_element(RepeatingInvoice, element)
    existing = await _target(books, model, mode=mode, path_id=path_id)
    now = books.now()
    if existing is not None and existing.status == "DELETED":
        raise ElementInvalid([DELETED_NO_CHANGE])
    status = model.Status or (existing.status if existing is not None else "DRAFT")
    old_status = existing.status if existing is not None else None
    if existing is not None and status == "DELETED":
        existing.status, existing.next_scheduled_date, existing.updated_utc = "DELETED", None, now
        await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=existing.id,
                             changes=history.status_change(old_status, "DELETED"),
                             details=history.document_details(None, None, existing.total), when=now)
        await books.session.flush()
        return existing

    errors: list[str] = []
    if status not in CREATE_STATUSES:
        errors.append(STATUS_INVALID)
    schedule = _schedule(model, existing, errors)
    draft = None
    try:
        as_invoice = _invoice_element(model, element, existing, schedule.get("start") or books.today())
        draft = await invoices.build_draft(books, parse_element(xm.Invoice, as_invoice), None, unitdp=unitdp)
    except ElementInvalid as exc:
        errors.extend(exc.messages)
    inv_type = draft.type if draft is not None else model.Type
    approved = _flag(model, "ApprovedForSending", existing, "approved_for_sending")
    if approved and (status != "AUTHORISED" or inv_type != "ACCREC"):
        errors.append(APPROVED_FOR_SENDING)
    if errors or draft is None:
        raise ElementInvalid(errors)

    contact = draft.contact
    if contact is None:
        assert draft.new_contact_name is not None
        contact = await contacts.create_by_name(books, draft.new_contact_name)
    totals = compute_totals([ld.result for ld in draft.lines if ld.result])
    row = existing
    if row is None:
        row = RepeatingInvoiceRow(id=books.new_id("repeatinginvoice"), company_id=books.company.id, next_index=0)
        books.session.add(row)
    restart = existing is None or (
        (existing.period, existing.unit, existing.start_date) != (schedule["period"], schedule["unit"],
                                                                  schedule["start"]))
    row.type, row.contact_id, row.status = draft.type, contact.id, status
    row.line_amount_types, row.reference = draft.line_amount_types, draft.reference
    row.branding_theme_id = draft.extras.get("branding_theme_id", row.branding_theme_id)
    row.currency_code = draft.currency_code
    row.line_items = [_stored_line(books, ld) for ld in draft.lines]
    row.sub_total, row.total_tax, row.total = totals.sub_total, totals.total_tax, totals.total
    row.period, row.unit, row.due_date = schedule["period"], schedule["unit"], schedule["due"]
    row.due_date_type, row.start_date, row.end_date = schedule["due_type"], schedule["start"], schedule["end"]
    if restart:
        row.next_index = 0
    row.next_scheduled_date = next_date(row)
    row.approved_for_sending = approved
    row.send_copy = _flag(model, "SendCopy", existing, "send_copy")
    row.mark_as_sent = _flag(model, "MarkAsSent", existing, "mark_as_sent")
    row.include_pdf = _flag(model, "IncludePDF", existing, "include_pdf")
    row.updated_utc = now
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource=RESOURCE, record_id=row.id,
                         changes=history.status_change(old_status, row.status),
                         details=history.document_details(None, contact.name, row.total), when=now)
    return row


def next_date(row: RepeatingInvoiceRow) -> dt.date | None:
    """The date of the template's next occurrence, or ``None`` when its schedule has ended (past ``EndDate``) or
    the template is deleted."""
    if row.status == "DELETED":
        return None
    when = schedules.occurrence(row.start_date, period=row.period, unit=row.unit, index=row.next_index)
    return when if row.end_date is None or when <= row.end_date else None


async def contact_of(books: Books, row: RepeatingInvoiceRow) -> Contact:
    """The template's contact."""
    contact = await books.session.get(Contact, row.contact_id)
    assert contact is not None
    return contact

