"""``AgedReceivablesByContact`` and ``AgedPayablesByContact``: one contact's outstanding sales (or purchase) invoices
as at a date, computed from Sage documents and their ``payments_allocations``.

Parameters (spec): ``contactId`` (required: a ContactID the gateway handed out), ``date`` (payments and allocations
count up to it; default today), ``fromDate``/``toDate`` (documents dated in that range are listed; ``toDate``
defaults to ``date``, ``fromDate`` to the contact's first document, so that the default report's opening balance is
0.00 as in the spec's examples).

Documents: ``GET /sales_invoices`` (``/purchase_invoices``) with ``contact_id``, ``to_date``,
``show_payments_allocations`` (swagger parameters); drafts, voided and deleted ones are left out. A document's
figures as at ``date``: ``Paid`` = its payments dated up to ``date``, ``Credited`` = its credit allocations dated up to
``date`` (``payments_allocations`` entries by ``contact_payment`` / ``contact_allocation``), ``Due`` = ``Total − Paid −
Credited`` — Sage's ``outstanding_amount`` when nothing is dated after ``date``.

Layout (spec examples, as the native ledger lays them out): ``Header`` ``Date``, ``Number`` (payables:
``Reference``), ``Due Date``, ``""``, ``Total``, ``Paid``, ``Credited``, ``Due``; an untitled section with the row
"Opening Balance" (what documents dated before ``fromDate`` still owe); an untitled section with one row per
document still owing (cells carry ``invoiceID``; the fourth cell ``"12 days overdue"`` once the due date has passed)
and the ``SummaryRow`` "Total"; an untitled section with the ``SummaryRow`` "Closing Balance". Titles
``["Invoices", <organisation>, "From … to …", "Showing payments to …"]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from ..codes import tables
from ..translate.common import ZERO, Tx, money, ref_id, sage_date
from ..unit import SageUnit
from . import layout
from .params import invalid


@dataclass(frozen=True)
class Kind:
    report_type: str
    name: str
    xero_type: str
    number_heading: str


RECEIVABLES = Kind("AgedReceivablesByContact", "Aged Receivables By Contact", "ACCREC", "Number")
PAYABLES = Kind("AgedPayablesByContact", "Aged Payables By Contact", "ACCPAY", "Reference")
POSTED_STATUSES = ("AUTHORISED", "PAID")


@dataclass(frozen=True)
class Owing:
    document: dict[str, Any]
    day: dt.date
    due_date: dt.date | None
    number: str
    total: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.total - self.paid - self.credited


def _as_at(row: dict[str, Any], day: dt.date, number: str) -> Owing:
    paid = credited = ZERO
    for entry in row.get("payments_allocations") or []:
        if not isinstance(entry, dict):
            continue
        when = sage_date(entry.get("date"))
        if when is not None and when > day:
            continue
        amount = money(entry.get("amount")) or ZERO
        if ref_id(entry.get("contact_allocation")):
            credited += amount
        else:
            paid += amount
    return Owing(document=row, day=sage_date(row.get("date")) or day, due_date=sage_date(row.get("due_date")),
                 number=number, total=money(row.get("total_amount")) or ZERO, paid=paid, credited=credited)


async def build(unit: SageUnit, tx: Tx, params: Parameters, kind: Kind, *, today: dt.date,
                now: dt.datetime) -> ReportWithRow:
    """The aged report of ``kind`` (module docstring).

    Raises:
        ValidationException: missing or unknown ``contactId``, a bad date, ``fromDate`` after ``toDate``.
    """
    contact_guid = params.guid("contactId")
    if contact_guid is None:
        raise invalid("contactId is required: the GUID of the contact to report on")
    contact = await unit.find(contact_guid, ("contacts",))
    if contact is None:
        raise invalid(f"contactId '{contact_guid}' is not a contact of this organisation")
    day = params.date("date") or today
    end = params.date("toDate") or day
    document = tables().document(kind.xero_type)
    assert document is not None
    rows = await unit.list_all(f"/{document.resource}", {
        "attributes": "all", "show_payments_allocations": "true", "contact_id": contact.sage_id,
        "to_date": end.isoformat()})
    t = tables()
    posted = [r for r in rows if not r.get("deleted_at")
              and t.status_read.get(ref_id(r.get("status")) or "", "DRAFT") in POSTED_STATUSES
              and (sage_date(r.get("date")) or end) <= end]
    posted.sort(key=lambda r: (r.get("date") or "", str(r.get(document.number) or ""), str(r.get("id"))))
    start = params.date("fromDate") or min((sage_date(r.get("date")) or end for r in posted), default=end)
    if start > end:
        raise invalid(f"fromDate ({start.isoformat()}) must not be after toDate ({end.isoformat()})")
    number_field = document.number if kind.xero_type == "ACCREC" else "reference"
    owing = [o for o in (_as_at(r, day, str(r.get(number_field) or "")) for r in posted) if o.due != 0]
    opening = sum((o.due for o in owing if o.day < start), ZERO)
    listed = [o for o in owing if o.day >= start]
    total = sum((o.total for o in listed), ZERO)
    paid = sum((o.paid for o in listed), ZERO)
    credited = sum((o.credited for o in listed), ZERO)
    due = sum((o.due for o in listed), ZERO)
    columns = [layout.money(total), layout.money(paid), layout.money(credited)]
    document_rows = []
    for item in listed:
        overdue = (day - item.due_date).days if item.due_date is not None else 0
        values = [layout.document_date(item.day), item.number, layout.document_date(item.due_date),
                  f"{overdue} days overdue" if overdue > 0 else "", layout.money(item.total), layout.money(item.paid),
                  layout.money(item.credited), layout.money(item.due)]
        document_rows.append(layout.row(values, attrs=(("invoiceID", tx.guid(document.resource,
                                                                              item.document["id"])),)))
    report_rows = [
        layout.header(["Date", kind.number_heading, "Due Date", "", "Total", "Paid", "Credited", "Due"]),
        layout.section("", [layout.row([layout.document_date(start), "Opening Balance", "", "", "", "", "",
                                        layout.money(opening)])]),
        layout.section("", [*document_rows, layout.row(["Total", "", "", "", *columns, layout.money(due)],
                                                       summary=True)]),
        layout.section("", [layout.row(["Closing Balance", "", "", "", *columns, layout.money(opening + due)],
                                       summary=True)]),
    ]
    business = tx.refs.obj("business")
    titles = ["Invoices", str(business.get("name") or ""), f"From {layout.long_date(start)} to {layout.long_date(end)}",
              f"Showing payments to {layout.long_date(day)}"]
    return layout.report(report_type=kind.report_type, name=kind.name, titles=titles, date=today, updated=now,
                         rows=report_rows)
