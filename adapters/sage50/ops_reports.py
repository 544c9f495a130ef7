"""The ledger on Sage 50: the Journals feed ← ``AUDIT_JOURNAL`` (:mod:`adapters.sage50.translate.journals`) and the
reports computed from the audit trail (:mod:`adapters.sage50.reports`)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.common.reports.ledger_reports import PAYABLES, RECEIVABLES
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import reports
from .ops_base import OpsBase
from .translate import journals as tr

#: Journals per call (Xero: "a maximum of 100 journals will be returned").
FEED_PAGE = 100


class ReportOps(OpsBase):
    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals``: ``offset`` (journals numbered above it), ``If-Modified-Since`` (``CreatedDateUTC``),
        at most 100 in ``JournalNumber`` order. ``paymentsOnly=true`` (the cash basis) is refused: Sage 50's audit
        trail gives no cash-basis journals. Raises ``ValidationException``."""
        offset = req.parameters.integer("offset", low=0) or 0
        if req.parameters.boolean("paymentsOnly"):
            raise ValidationException.single("paymentsOnly (cash-basis journals) is not available for Sage 50")
        since = req.query.if_modified_since
        books, headers = await self._books(ctx)
        feed = [j for j in tr.journals(books) if (j.JournalNumber or 0) > offset
                and (since is None or (j.CreatedDateUTC is not None and j.CreatedDateUTC > since))]
        return Result(items=feed[:FEED_PAGE], headers=headers)

    async def get_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("JournalID", "").lower()
        return self._one([j for j in tr.journals(books) if j.JournalID == wanted], headers)

    async def get_journal_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalNumber}``. Raises ``NotFound``."""
        raw = req.path_params.get("JournalNumber", "").strip()
        if not raw.isdigit():
            raise NotFound()
        books, headers = await self._books(ctx)
        return self._one([j for j in tr.journals(books) if j.JournalNumber == int(raw)], headers)

    # Reports (computed from the audit trail) -------------------------------------------------------------------

    async def _report(self, ctx: RequestContext, req: XeroRequest, build) -> Result:
        if req.parameters.boolean("paymentsOnly"):
            raise ValidationException.single("paymentsOnly=true (cash basis) is not available for Sage 50")
        for name in ("trackingCategoryID", "trackingOptionID", "trackingOptionID1", "trackingOptionID2"):
            if req.parameters.text(name):
                raise ValidationException.single(f"{name}: tracking is not available on Sage 50 reports")
        books, headers = await self._books(ctx)
        now = datetime.now(UTC).replace(microsecond=0)
        report = build(books, req.parameters, today=now.date(), now=now)
        return Result(items=[await report if hasattr(report, "__await__") else report], headers=headers)

    async def get_report_profit_and_loss(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/ProfitAndLoss`` from ``AUDIT_JOURNAL`` (:mod:`adapters.sage50.reports`)."""
        return await self._report(ctx, req, reports.profit_and_loss)

    async def get_report_balance_sheet(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BalanceSheet`` from ``AUDIT_JOURNAL``."""
        return await self._report(ctx, req, reports.balance_sheet)

    async def get_report_trial_balance(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/TrialBalance`` from ``AUDIT_JOURNAL``."""
        return await self._report(ctx, req, reports.trial_balance)

    async def get_report_bank_summary(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/BankSummary`` from ``AUDIT_JOURNAL`` on the ``BANK`` accounts."""
        return await self._report(ctx, req, reports.bank_summary)

    async def get_report_aged_receivables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedReceivablesByContact`` from the contact's SI headers and their allocations."""
        return await self._report(ctx, req, lambda b, p, **kw: reports.aged(b, p, RECEIVABLES, **kw))

    async def get_report_aged_payables_by_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Reports/AgedPayablesByContact`` from the contact's PI headers and their allocations."""
        return await self._report(ctx, req, lambda b, p, **kw: reports.aged(b, p, PAYABLES, **kw))
