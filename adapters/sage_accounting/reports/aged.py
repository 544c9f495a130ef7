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

Layout: :func:`adapters.common.reports.ledger_reports.aged_report`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.common.reports.ledger_reports import PAYABLES, RECEIVABLES, AgedKind, Owing, aged_report
from adapters.common.reports.periods import invalid
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from ..codes import tables
from ..translate.common import ZERO, Tx, money, ref_id, sage_date
from ..unit import SageUnit

__all__ = ["PAYABLES", "RECEIVABLES", "build"]
Kind = AgedKind
POSTED_STATUSES = ("AUTHORISED", "PAID")


def _as_at(row: dict[str, Any], day: dt.date, number: str, guid: str) -> Owing:
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
    return Owing(guid=guid, day=sage_date(row.get("date")) or day, due_date=sage_date(row.get("due_date")),
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
    number_field = document.number if kind.xero_type == "ACCREC" else "reference"
    documents = [_as_at(r, day, str(r.get(number_field) or ""), tx.guid(document.resource, r["id"])) for r in posted]
    business = tx.refs.obj("business")
    return aged_report(kind, documents, org_name=str(business.get("name") or ""), start=params.date("fromDate"),
                       end=end, day=day, today=today, now=now)
