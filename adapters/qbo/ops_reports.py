"""Reports from QBO's Reports API (``GET /reports/{name}``), converted to Xero's shape (:mod:`.translate.reports`).

Xero report → QBO report and parameters (upstream-contracts.md §1 "Reports"; the spec's report parameters):

- ProfitAndLoss ← ``ProfitAndLoss`` (``start_date`` = ``fromDate``, ``end_date`` = ``toDate``; defaults: the month of
  ``toDate``, ``toDate`` today — Xero's defaults are unconfirmed);
- BalanceSheet ← ``BalanceSheet`` (``end_date`` = ``date``, default today);
- TrialBalance ← ``TrialBalance`` (``end_date`` = ``date``);
- AgedReceivablesByContact ← ``AgedReceivables`` (``customer`` = the contact's Customer, ``report_date`` = ``date``);
  AgedPayablesByContact ← ``AgedPayables`` (``vendor``). Xero's own layout lists the contact's invoices; QBO's aged
  report gives the contact's ageing buckets (Current, 1-30 … Total), which is what is answered, in Xero's shape;
- BankSummary: QBO has no such report. Opening and closing balances of each Bank and Credit Card account come from
  ``BalanceSheet`` at the day before ``fromDate`` and at ``toDate``; cash received and spent from ``GeneralLedger``
  over the period, used when they reconcile opening to closing, else (or when QBO refuses the ledger) the net
  movement is shown as received (or spent) so that every row reconciles. Three report calls, made concurrently.

``paymentsOnly=true`` asks QBO for ``accounting_method=Cash``. Comparison periods (``periods``, ``timeframe``),
tracking filters and ``standardLayout`` have no QBO equivalent here: such calls answer 501 for that variant
(:class:`gateway.xero.errors.OperationNotSupported`).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import structlog

from gateway.xero.dates import utcnow
from gateway.xero.errors import OperationNotSupported, ValidationException
from gateway.xero.models.reports import ReportAttribute, ReportCell, ReportRow, ReportRows, ReportWithRow
from gateway.xero.request import RequestContext, Result, XeroRequest

from .errors import QboFault, to_xero_error
from .ops_base import OperationsBase
from .translate.common import Tx
from .translate.contacts import CUSTOMER, VENDOR
from .translate.reports import amount_text, bank_rows, long_date, movements, report_to_xero
from .unit import QboUnit

REPORT_KINDS = ("accounts", "companyinfo", "preferences")
UNSUPPORTED = ("periods", "timeframe", "trackingCategoryID", "trackingCategoryID2", "trackingOptionID",
               "trackingOptionID2", "trackingOptionID1", "standardLayout")
BANK_TYPES = ("Bank", "Credit Card")

log = structlog.get_logger("adapters.qbo")


def _method(req: XeroRequest) -> str:
    """QBO's ``accounting_method`` for Xero's ``paymentsOnly`` (typed by the front end): cash basis when true."""
    return "Cash" if req.parameters.boolean("paymentsOnly") else "Accrual"


class ReportOperations(OperationsBase):
    """The six Xero reports QBO can answer."""

    def _refuse_variants(self, req: XeroRequest) -> None:
        for name in UNSUPPORTED:
            value = req.parameters.text(name)
            if value is not None and not (name == "periods" and value == "0") and not (
                    name == "standardLayout" and value.lower() == "false"):
                raise OperationNotSupported(req.operation_id, self.code, f"parameter {name} has no QuickBooks "
                                                                         "Online equivalent")

    async def _report(self, unit: QboUnit, name: str, params: dict[str, str]) -> dict[str, Any]:
        try:
            return await unit.client.report(unit.auth, name, params)
        except QboFault as fault:
            raise to_xero_error(fault) from None

    async def _single(self, ctx: RequestContext, req: XeroRequest, *, qbo_name: str, report_type: str,
                      title: str, params: dict[str, str], period: str) -> Result:
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*REPORT_KINDS)
            body = await self._report(unit, qbo_name, params)
            return Result(items=[report_to_xero(body, t, report_type=report_type, name=title, period=period,
                                                now=utcnow())])

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ProfitAndLoss``."""
        self._refuse_variants(req)
        end = req.parameters.date("toDate") or utcnow().date()
        start = req.parameters.date("fromDate") or end.replace(day=1)
        return await self._single(ctx, req, qbo_name="ProfitAndLoss", report_type="ProfitAndLoss",
                                  title="Profit and Loss", period=f"{long_date(start)} to {long_date(end)}",
                                  params={"start_date": start.isoformat(), "end_date": end.isoformat(),
                                          "accounting_method": _method(req)})

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BalanceSheet``."""
        self._refuse_variants(req)
        day = req.parameters.date("date") or utcnow().date()
        return await self._single(ctx, req, qbo_name="BalanceSheet", report_type="BalanceSheet",
                                  title="Balance Sheet", period=f"As at {long_date(day)}",
                                  params={"end_date": day.isoformat(), "accounting_method": _method(req)})

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/TrialBalance``."""
        self._refuse_variants(req)
        day = req.parameters.date("date") or utcnow().date()
        return await self._single(ctx, req, qbo_name="TrialBalance", report_type="TrialBalance",
                                  title="Trial Balance", period=f"As at {long_date(day)}",
                                  params={"end_date": day.isoformat(), "accounting_method": _method(req)})

    async def _aged(self, ctx: RequestContext, req: XeroRequest, *, payables: bool) -> Result:
        contact_id = req.parameters.guid("contactId")
        if contact_id is None:
            raise ValidationException.single("contactId is required and must be a ContactID")
        day = req.parameters.date("date") or req.parameters.date("toDate") or utcnow().date()
        entity = VENDOR if payables else CUSTOMER
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*REPORT_KINDS)
            ref = await unit.find(contact_id, (entity,))
            if ref is None:
                raise ValidationException.single(f"The contact '{contact_id}' has no "
                                                 f"{'supplier' if payables else 'customer'} record")
            body = await self._report(unit, "AgedPayables" if payables else "AgedReceivables",
                                      {"vendor" if payables else "customer": ref.qbo_id,
                                       "report_date": day.isoformat()})
            report_type = "AgedPayablesByContact" if payables else "AgedReceivablesByContact"
            title = "Aged Payables By Contact" if payables else "Aged Receivables By Contact"
            return Result(items=[report_to_xero(body, t, report_type=report_type, name=title,
                                                period=f"As at {long_date(day)}", now=utcnow())])

    async def get_report_aged_receivables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedReceivablesByContact?contactId=…``."""
        return await self._aged(ctx, req, payables=False)

    async def get_report_aged_payables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedPayablesByContact?contactId=…``."""
        return await self._aged(ctx, req, payables=True)

    async def get_report_bank_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BankSummary`` (composed; module docstring)."""
        today = utcnow().date()
        end = req.parameters.date("toDate") or today
        start = req.parameters.date("fromDate") or end.replace(day=1)
        if start > end:
            raise ValidationException.single("fromDate must not be after toDate")
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*REPORT_KINDS)
            banks = [r for r in t.refs.accounts.rows if r.get("AccountType") in BANK_TYPES
                     and r.get("Active", True) is not False]
            ids = {str(r["Id"]) for r in banks}
            opening_body, closing_body, ledger = await asyncio.gather(
                self._report(unit, "BalanceSheet", {"end_date": (start - timedelta(days=1)).isoformat()}),
                self._report(unit, "BalanceSheet", {"end_date": end.isoformat()}),
                self._ledger(unit, start, end, ids))
            report = self._bank_summary(t, banks, bank_rows(opening_body, ids), bank_rows(closing_body, ids),
                                        movements(ledger, ids), start=start, end=end)
            return Result(items=[report])

    async def _ledger(self, unit: QboUnit, start: date, end: date, ids: set[str]) -> dict[str, Any]:
        """The GeneralLedger of the bank accounts; ``{}`` when QBO refuses it (the summary then shows net
        movements), while throttling and outages still fail the unit."""
        try:
            return await self._report(unit, "GeneralLedger", {"start_date": start.isoformat(),
                                                              "end_date": end.isoformat(),
                                                              "account": ",".join(sorted(ids))})
        except ValidationException as exc:
            log.warning("qbo_general_ledger_unavailable", reason=exc.elements)
            return {}

    def _bank_summary(self, t: Tx, banks: list[dict[str, Any]], opening: dict[str, Decimal],
                      closing: dict[str, Decimal], moved: dict[str, tuple[Decimal, Decimal]], *, start: date,
                      end: date) -> ReportWithRow:
        zero = Decimal(0)
        rows, totals = [], [zero, zero, zero, zero]
        for bank in sorted(banks, key=lambda r: str(r.get("Name") or "").lower()):
            qbo_id = str(bank["Id"])
            sign = -1 if bank.get("AccountType") == "Credit Card" else 1  # a card's balance is what is owed
            first, last = sign * opening.get(qbo_id, zero), sign * closing.get(qbo_id, zero)
            received, spent = moved.get(qbo_id, (zero, zero))
            if first + received - spent != last:  # the ledger does not reconcile: show the net movement
                net = last - first
                received, spent = max(net, zero), max(-net, zero)
            values = [first, received, spent, last]
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            attrs = [ReportAttribute(Id="account", Value=t.guid("Account", qbo_id))]
            rows.append(ReportRow(RowType="Row", Cells=[ReportCell(Value=str(bank.get("Name") or ""),
                                                                   Attributes=attrs)]
                                  + [ReportCell(Value=amount_text(str(v)), Attributes=attrs) for v in values]))
        rows.append(ReportRow(RowType="SummaryRow", Cells=[ReportCell(Value="Total")]
                              + [ReportCell(Value=amount_text(str(v))) for v in totals]))
        header = ReportRows(RowType="Header", Cells=[ReportCell(Value=v) for v in (
            "Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance")])
        now = utcnow()
        organisation = str(t.refs.company.info.get("CompanyName") or "")
        return ReportWithRow(ReportName="Bank Summary", ReportType="BankSummary",
                             ReportTitles=["Bank Summary", organisation,
                                           f"From {long_date(start)} to {long_date(end)}"],
                             ReportDate=long_date(now.date()), UpdatedDateUTC=now, Fields=[],
                             Rows=[header, ReportRows(RowType="Section", Title="", Rows=rows)])
