"""ProfitAndLoss, BalanceSheet and TrialBalance of a Sage business: the shared statements
(:mod:`adapters.common.reports.statements`, which states the rules) over Sage ledger account balances
(:mod:`adapters.sage_accounting.reports.ledger`), with the sections of ``mappings/sage_report_sections.toml`` (Xero
account types via ``mappings/sage_account_types.toml``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

from adapters.common.reports import statements as shared
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from ..codes import tables
from ..translate.common import Tx, sage_date
from ..unit import SageUnit
from . import ledger


class SageLedger:
    """:class:`adapters.common.reports.statements.Ledger` over one business."""

    def __init__(self, unit: SageUnit, tx: Tx) -> None:
        self.unit = unit
        self.chart = ledger.chart(tx)
        business = tx.refs.obj("business")
        self.org_name = str(business.get("name") or business.get("displayed_as") or "")
        self.year_end = sage_date(tx.refs.obj("financial_settings").get("year_end_date"))

    async def balances(self, start: dt.date, end: dt.date) -> dict[str, Decimal]:
        return await ledger.balances(self.unit, start, end)


@cache
def sections() -> shared.Sections:
    """The sections of ``mappings/sage_report_sections.toml``."""
    t = tables()
    return shared.Sections(
        profit_and_loss=tuple(shared.Section(s.title, s.total, tuple(s.types), s.gross, s.part)
                              for s in t.profit_and_loss),
        balance_sheet=tuple(shared.Section(s.title, s.total, tuple(s.types), s.gross, s.part) for s in t.balance_sheet),
        trial_balance=tuple(shared.TrialSection(s.title, s.xero_class) for s in t.trial_balance),
        cost_classes={s.types[0]: t.xero_class(s.types[0]) for s in t.profit_and_loss})


async def profit_and_loss(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                          now: dt.datetime) -> ReportWithRow:
    """The ProfitAndLoss report."""
    return await shared.profit_and_loss(SageLedger(unit, tx), sections(), params, today=today, now=now)


async def balance_sheet(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The BalanceSheet report."""
    return await shared.balance_sheet(SageLedger(unit, tx), sections(), params, today=today, now=now)


async def trial_balance(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The TrialBalance report."""
    return await shared.trial_balance(SageLedger(unit, tx), sections(), params, today=today, now=now)
