"""Xero RepeatingInvoices ← QBO RecurringTransaction (read only; pure translation).

A RecurringTransaction wraps its template, ``{"Invoice": {…}}`` or ``{"Bill": {…}}`` (RecurringTransaction.json): an
Invoice template is an ACCREC repeating invoice, a Bill an ACCPAY one; templates of other entities are not repeating
invoices. ``RepeatingInvoiceID`` (and ``ID``) is the stable GUID of the template (``RecurringTransaction`` and its
Id). ``Status`` and the ``Schedule`` unit by ``mappings/qbo_statuses.toml`` ``[repeating]``: ``Period`` ←
``NumInterval`` × the unit's factor, ``StartDate`` ← ``ScheduleInfo.StartDate``, ``NextScheduledDate`` ←
``NextDate``, ``EndDate`` ← ``EndDate``; an Unscheduled template or a Daily schedule has no Xero ``Schedule``. The
rest as for documents (:mod:`.documents`): contact, lines, ``LineAmountTypes``, ``Reference`` ← ``PrivateNote``,
currency and totals.
"""

from __future__ import annotations

from typing import Any

from adapters.common import fields
from gateway.xero.models.repeating import RepeatingInvoice, Schedule

from .. import codes
from .common import ZERO, Tx, money, qbo_date, ref_id
from .documents import BY_ENTITY, contact_of, reference
from .lines import lines_to_xero
from .tax import line_amount_types

#: The template entities that are Xero repeating invoices.
TEMPLATES = ("Invoice", "Bill")
ENTITY = "RecurringTransaction"


def template_of(wrapper: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(entity, template)`` of a RecurringTransaction that is a repeating invoice, else ``None``."""
    for entity in TEMPLATES:
        if isinstance(wrapper.get(entity), dict):
            return entity, wrapper[entity]
    return None


def schedule(template: dict[str, Any]) -> Schedule | None:
    """The Xero schedule of a template (module docstring)."""
    info = template.get("RecurringInfo") or {}
    when = info.get("ScheduleInfo") or {}
    unit = codes.statuses().repeating.units.get(str(when.get("IntervalType") or ""))
    if unit is None or info.get("RecurType") == "Unscheduled":
        return None
    every = int(when.get("NumInterval") or 1)
    return Schedule(Period=every * unit[1], Unit=unit[0], StartDate=qbo_date(when.get("StartDate")),
                    NextScheduledDate=qbo_date(when.get("NextDate")), EndDate=qbo_date(when.get("EndDate")))


def repeating_invoice_to_xero(wrapper: dict[str, Any], t: Tx) -> RepeatingInvoice | None:
    """A RecurringTransaction as a Xero RepeatingInvoice (``None`` for other templates)."""
    found = template_of(wrapper)
    if found is None:
        return None
    entity, row = found
    kind = BY_ENTITY[entity]
    company = t.refs.company
    amounts = line_amount_types(row, has_global=company.has_global_tax_calculation)
    total = money(row.get("TotalAmt")) or ZERO
    tax = money((row.get("TxnTaxDetail") or {}).get("TotalTax")) or ZERO
    table = codes.statuses().repeating
    active = (row.get("RecurringInfo") or {}).get("Active") is not False
    guid = t.guid(ENTITY, row["Id"])
    return RepeatingInvoice(
        RepeatingInvoiceID=guid, ID=guid, Type=kind.xero_type, Contact=contact_of(row, kind, t),
        Schedule=schedule(row), LineAmountTypes=amounts,
        LineItems=lines_to_xero(row, ENTITY, t, purchases=not kind.sales, inclusive=amounts == "Inclusive"),
        Reference=reference(row), CurrencyCode=ref_id(row.get("CurrencyRef")) or company.home_currency,
        Status=table.active if active else table.inactive, SubTotal=total - tax, TotalTax=tax, Total=total,
        HasAttachments=False)


#: What :func:`repeating_invoice_to_xero` makes of every Xero RepeatingInvoice field (docs/fields-1004.md).
REPEATING_INVOICE_FIELDS = fields.FieldMap(
    "RepeatingInvoices", RepeatingInvoice,
    fields.computed("Type", "ACCREC for an Invoice template, ACCPAY for a Bill"),
    fields.populated("Contact", "template CustomerRef / VendorRef"),
    fields.populated("Schedule", "RecurringInfo.ScheduleInfo: IntervalType, NumInterval, StartDate, NextDate, EndDate",
                     condition="a scheduled template with a Xero unit"),
    fields.populated("LineItems", "template Line (adapters/qbo/translate/lines.py)"),
    fields.populated("LineAmountTypes", "template GlobalTaxCalculation"),
    fields.populated("Reference", "template PrivateNote", condition="when set"),
    fields.populated("CurrencyCode", "template CurrencyRef (the home currency when absent)"),
    fields.populated("Status", "RecurringInfo.Active (mappings/qbo_statuses.toml [repeating])"),
    fields.computed("SubTotal", "TotalAmt - TxnTaxDetail.TotalTax"),
    fields.populated("TotalTax", "template TxnTaxDetail.TotalTax"),
    fields.populated("Total", "template TotalAmt"),
    fields.computed("RepeatingInvoiceID", "uuid5 of realmId/RecurringTransaction/Id"),
    fields.computed("ID", "as RepeatingInvoiceID"),
    fields.computed("HasAttachments", "false: QBO attaches no files to recurring templates"),
    fields.lost("BrandingThemeID", reason="QBO custom form styles are not in its API"),
    fields.lost("Attachments", reason="QBO attaches no files to recurring templates"),
    fields.lost("ApprovedForSending", "SendCopy", "MarkAsSent", "IncludePDF",
                reason="QBO's RecurringInfo has no sending options the adapter reads"),
)
