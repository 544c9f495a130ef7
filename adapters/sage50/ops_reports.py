"""The ledger feed on Sage 50: Journals ← ``AUDIT_JOURNAL`` (:mod:`adapters.sage50.translate.journals`)."""

from __future__ import annotations

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.request import RequestContext, Result, XeroRequest

from .ops_base import OpsBase
from .translate import journals as tr

#: Journals per call (Xero: "a maximum of 100 journals will be returned").
FEED_PAGE = 100


def _param(req: XeroRequest, name: str) -> str | None:
    return next((v for k, v in req.params.items() if k.lower() == name.lower()), None)


class ReportOps(OpsBase):
    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals``: ``offset`` (journals numbered above it), ``If-Modified-Since`` (``CreatedDateUTC``),
        at most 100 in ``JournalNumber`` order. ``paymentsOnly=true`` (the cash basis) is refused: Sage 50's audit
        trail gives no cash-basis journals. Raises ``ValidationException``."""
        raw = _param(req, "offset") or "0"
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationException.single("offset must be a whole number")
        if (_param(req, "paymentsOnly") or "false").lower() == "true":
            raise ValidationException.single("paymentsOnly (cash-basis journals) is not available for Sage 50")
        offset, since = int(raw), req.query.if_modified_since
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
