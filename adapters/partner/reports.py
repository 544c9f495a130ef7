"""Xero's ProfitAndLoss, BalanceSheet and TrialBalance of a partner-API ledger, laid out by the shared statements
(:mod:`adapters.common.reports.statements`, which state the rules) from the remote's own trial balances.

- The ledger: an account's ``debits − credits`` over ``start … end`` is the remote trial balance as of ``end``
  minus the one as of the day before ``start`` (``GET …/reports/trial-balance?asOf=``, debit-positive).
- The chart: ``GET …/accounts``, whose ``type`` is the Xero account type in lower case and ``classification`` the
  class; the financial year end: the company's ``financialYearEnd``.
- The sections: ``mappings/native_report_sections.toml`` (the partner API's account types are Xero's).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

import mappings
from adapters.common.http import TenantAuth
from adapters.common.reports import statements

from .client import PartnerClient
from .translate import money

CLASS_BY_TYPE: dict[str, str] = mappings.load("native_account_types")["class_by_type"]
#: Xero report parameters the remote's trial balances cannot answer (tracking): refused with Xero's 400.
UNSUPPORTED = ("trackingCategoryID", "trackingOptionID", "trackingCategoryID2", "trackingOptionID2",
               "trackingOptionID1")
#: The trial balance before this day is empty (``statements.EPOCH``): no request needed.
_EPOCH = statements.EPOCH


@cache
def sections() -> statements.Sections:
    """The sections of ``mappings/native_report_sections.toml``."""
    raw = mappings.load("native_report_sections")
    return statements.Sections(
        profit_and_loss=tuple(statements.Section(s["title"], s["total"], tuple(s["types"]), s.get("gross", False))
                              for s in raw["profit_and_loss"]),
        balance_sheet=tuple(statements.Section(s["title"], s["total"], tuple(s["types"]), False, s["part"])
                            for s in raw["balance_sheet"]),
        trial_balance=tuple(statements.TrialSection(s["title"], s["class"]) for s in raw["trial_balance"]),
        cost_classes=CLASS_BY_TYPE)


class RemoteLedger:
    """:class:`adapters.common.reports.statements.Ledger` over a remote company's partner API.

    Build it with :meth:`load` (reads the company and its chart).
    """

    chart: dict[str, statements.LedgerAccount]
    org_name: str
    year_end: dt.date | None

    def __init__(self, client: PartnerClient, auth: TenantAuth, company_path: str) -> None:
        self._client = client
        self._auth = auth
        self._company = company_path
        self._as_of: dict[dt.date, dict[str, Decimal]] = {}

    @classmethod
    async def load(cls, client: PartnerClient, auth: TenantAuth, company_path: str) -> RemoteLedger:
        ledger = cls(client, auth, company_path)
        company = await client.get(auth, company_path)
        ledger.org_name = company["name"]
        end = company.get("financialYearEnd") or {}
        ledger.year_end = dt.date(2001, end["month"], end["day"]) if end.get("month") and end.get("day") else None
        ledger.chart = {}
        for row in await client.list_all(auth, f"{company_path}/accounts"):
            kind = row["type"].upper()
            ledger.chart[row["id"]] = statements.LedgerAccount(
                id=row["id"], guid=row["id"], code=row.get("code"), name=row["name"], xero_type=kind,
                xero_class=CLASS_BY_TYPE.get(kind, (row.get("classification") or "asset").upper()))
        return ledger

    async def _balances_as_of(self, day: dt.date) -> dict[str, Decimal]:
        if day < _EPOCH:
            return {}
        if day not in self._as_of:
            report: dict[str, Any] = await self._client.get(self._auth, f"{self._company}/reports/trial-balance",
                                                            {"asOf": day.isoformat()})
            self._as_of[day] = {row["accountId"]: money(row["debitCents"] - row["creditCents"])
                                for row in report["accounts"]}
        return self._as_of[day]

    async def balances(self, start: dt.date, end: dt.date) -> dict[str, Decimal]:
        """Account id → ``debits − credits`` over ``start … end`` (inclusive)."""
        closing = await self._balances_as_of(end)
        opening = await self._balances_as_of(start - dt.timedelta(days=1))
        return {account: closing.get(account, Decimal(0)) - opening.get(account, Decimal(0))
                for account in set(closing) | set(opening)}
