"""``BankSummary``: per bank account, opening balance, cash received, cash spent and closing balance over a period.

Parameters (spec ``getReportBankSummary``): ``fromDate``/``toDate`` (default: the current month; only one given:
the rest of that month; ``fromDate`` after ``toDate`` → 400).

Figures per Sage bank account (reference data ``bank_accounts``, by name), from its own ledger account:

- Opening Balance: the ledger account's ``debits − credits`` up to the day before ``fromDate``
  (:func:`adapters.sage_accounting.reports.ledger.balances`, one call for every account);
- Cash Received / Cash Spent: the account's ledger entries of the period (``GET /ledger_entries?ledger_account_id=…``)
  netted per Sage transaction — a transaction with a net debit on the account is received, a net credit is spent;
- Closing Balance: Opening + Received − Spent, which is the account's balance at ``toDate``.

Layout (spec example): ``Header`` ``Bank Accounts``, ``Opening Balance``, ``Cash Received``, ``Cash Spent``,
``Closing Balance``; one untitled section of account rows (the name cell with the ``accountID`` attribute, the others
with ``account``) and the ``SummaryRow`` "Total". Titles ``["Bank Summary", <organisation>, "From 1 April 2019 to 30
April 2019"]``.
"""

from __future__ import annotations

import datetime as dt

from adapters.common.reports.ledger_reports import BankLine, bank_summary_report
from adapters.common.reports.periods import date_range
from adapters.common.reports.statements import EPOCH
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from ..translate.common import ZERO, Tx, ref_id
from ..unit import SageUnit
from . import ledger


async def build(unit: SageUnit, tx: Tx, params: Parameters, *, today: dt.date, now: dt.datetime) -> ReportWithRow:
    """The BankSummary report (module docstring).

    Raises:
        ValidationException: a bad date, ``fromDate`` after ``toDate``.
    """
    start, end = date_range(params, today=today)
    accounts = ledger.chart(tx)
    opening_all = await ledger.balances(unit, EPOCH, start - dt.timedelta(days=1))
    lines = []
    for bank in tx.refs.rows("bank_accounts"):
        ledger_id = ref_id(bank.get("ledger_account"))
        if ledger_id is None:
            continue
        account = accounts.get(ledger_id)
        moves = await ledger.entries_by_transaction(unit, ledger_id, start, end)
        lines.append(BankLine(
            name=account.name if account else str(bank.get("displayed_as") or ledger_id),
            guid=account.guid if account else tx.guid("ledger_accounts", ledger_id),
            opening=opening_all.get(ledger_id, ZERO), received=sum((v for v in moves.values() if v > 0), ZERO),
            spent=-sum((v for v in moves.values() if v < 0), ZERO)))
    business = tx.refs.obj("business")
    return bank_summary_report(lines, org_name=str(business.get("name") or ""), start=start, end=end, today=today,
                               now=now)
