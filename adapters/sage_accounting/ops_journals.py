"""Journals: Xero's read-only journal feed over Sage ``transactions`` and ``ledger_entries``
(:mod:`.translate.journal_feed`).

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`. Operations: ``getJournals``,
``getJournal``, ``getJournalByNumber``.

- Every call reads the business's transactions and ledger entries (``GET /transactions``, ``GET /ledger_entries``,
  all attributes) and numbers journals never seen before (:mod:`adapters.common.journal_numbers`, table
  ``sage_journal_numbers``), so numbers stay the same across calls.
- ``offset``: journals with a greater ``JournalNumber``, in number order, at most :data:`MAX_PER_CALL` per call (Xero's
  page of journals); ``If-Modified-Since``: created strictly after it; ``paymentsOnly=true`` ("journals on a cash
  basis"): the source types that record an obligation (``accrual_only`` of ``mappings/xero_journal_bases.toml``:
  approved invoices, bills, credit notes) are left out. The native ledger also re-expresses an invoice payment's
  receivable line as the paid invoice's income lines; Sage's ledger entries of a payment are shown as posted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import mappings
from adapters.common.journal_numbers import JournalNumbers
from gateway.xero.errors import NotFound
from gateway.xero.models.catalogue import Journal
from gateway.xero.request import RequestContext, Result, XeroRequest

from .ops_base import OpsBase
from .query import normalise_guid
from .translate.common import ref_id
from .translate.journal_feed import feed_entries, journal_from_sage
from .unit import SageUnit

#: Journals per ``GET /Journals`` call (Xero's documented page).
MAX_PER_CALL = 100



def _accrual_only() -> frozenset[str]:
    return frozenset(mappings.load("xero_journal_bases")["accrual_only"])


class JournalOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    journal_numbers: JournalNumbers

    async def _journals(self, ctx: RequestContext, unit: SageUnit) -> list[Journal]:
        """Every journal of the business, numbered, in number order."""
        transactions = await unit.list_all("/transactions", {"attributes": "all"})
        entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in await unit.list_all("/ledger_entries", {"attributes": "all"}):
            entries[ref_id(entry.get("transaction")) or ""].append(entry)
        feed = feed_entries(transactions)
        numbers = await self.journal_numbers.assign(ctx.tenant_id, [e.key for e in feed])
        tx = await unit.tx("ledger_accounts", "tax_rates")
        journals = [journal_from_sage(e, numbers[e.key], entries.get(str(e.transaction["id"]), []), tx)
                    for e in feed]
        return sorted(journals, key=lambda j: j.JournalNumber or 0)

    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals`` (module docstring). Raises ``ValidationException`` (bad ``offset``/``paymentsOnly``)."""
        offset = req.parameters.integer("offset", low=0) or 0
        since = req.query.if_modified_since
        accrual = _accrual_only() if req.parameters.boolean("paymentsOnly") else frozenset()
        async with self.unit(ctx, req) as unit:
            journals = await self._journals(ctx, unit)
        picked = [j for j in journals if (j.JournalNumber or 0) > offset and j.SourceType not in accrual
                  and (since is None or (j.CreatedDateUTC is not None and j.CreatedDateUTC > since))]
        return Result(items=list(picked[:MAX_PER_CALL]))

    async def get_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalID}``. Raises ``NotFound``."""
        wanted = normalise_guid(req.path_params.get("JournalID", ""))
        async with self.unit(ctx, req) as unit:
            journals = await self._journals(ctx, unit)
        found = next((j for j in journals if wanted and j.JournalID == wanted), None)
        if found is None:
            raise NotFound()
        return Result(items=[found])

    async def get_journal_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalNumber}``. Raises ``NotFound``."""
        text = req.path_params.get("JournalNumber", "").strip()
        async with self.unit(ctx, req) as unit:
            journals = await self._journals(ctx, unit)
        found = next((j for j in journals if text.isdigit() and j.JournalNumber == int(text)), None)
        if found is None:
            raise NotFound()
        return Result(items=[found])
