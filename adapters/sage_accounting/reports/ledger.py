"""The ledger as the computed reports read it: account balances over a period, and ledger entries.

Sage has no reports endpoint (upstream-contracts.md §2 "No reports, no webhooks"); the reports are computed from:

- ``GET /ledger_accounts?show_balance_details=true&from_date=…&to_date=…`` (swagger parameters; every account:
  no ``show_control_accounts``/``show_included_in_chart``, which limit the answer): each account's ``balance_details``
  ``{debits, credits, balance, credit_or_debit}`` over the period (swagger ``LedgerAccountBalanceDetails``). The
  gateway uses ``debits − credits`` (debit positive), so that every period's figures sum to zero: each balance is
  the sum of the account's ledger entries in the period, and every Sage transaction's entries balance. One list call
  (200 accounts a page) per period.
- ``GET /ledger_entries?ledger_account_id=…&from_date=…&to_date=…`` (swagger ``LedgerEntry``: ``debit``, ``credit``,
  ``transaction``, ``deleted``) for figures needing the transactions of one account (BankSummary).

A balance "as at" a day is the period from :data:`EPOCH` (before any Sage business: Sage launched its v3 API in 2017;
a fixed early date stands for "from the beginning", as ``from_date`` is the only way to ask for balance details) to
that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from adapters.common.reports.statements import LedgerAccount

from ..codes import tables
from ..translate.accounts import account_code
from ..translate.common import ZERO, Tx, money, ref_id
from ..unit import SageUnit

BALANCE_PARAMS = {"attributes": "all", "show_balance_details": "true"}


def chart(tx: Tx) -> dict[str, LedgerAccount]:
    """Every ledger account of the business (reference data ``ledger_accounts``), by Sage id."""
    t = tables()
    out = {}
    for row in tx.refs.rows("ledger_accounts"):
        xero_type, xero_class = t.xero_account_type(ref_id(row.get("ledger_account_type")))
        out[str(row["id"])] = LedgerAccount(
            id=str(row["id"]), guid=tx.guid("ledger_accounts", row["id"]), code=account_code(row),
            name=str(row.get("name") or row.get("display_name") or row.get("displayed_as") or row["id"]),
            xero_type=xero_type, xero_class=xero_class)
    return out


async def balances(unit: SageUnit, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Sage ledger account id → ``debits − credits`` over ``start … end`` (inclusive)."""
    if end < start:
        return {}
    rows = await unit.list_all("/ledger_accounts", {**BALANCE_PARAMS, "from_date": start.isoformat(),
                                                    "to_date": end.isoformat()})
    out: dict[str, Decimal] = {}
    for row in rows:
        details = row.get("balance_details") if isinstance(row.get("balance_details"), Mapping) else {}
        out[str(row["id"])] = (money(details.get("debits")) or ZERO) - (money(details.get("credits")) or ZERO)
    return out


def total(values: Mapping[str, Decimal], ids: Iterable[str]) -> Decimal:
    return sum((values.get(i, ZERO) for i in ids), ZERO)


async def entries_by_transaction(unit: SageUnit, ledger_account_id: str, start: dt.date, end: dt.date
                                 ) -> dict[str, Decimal]:
    """Transaction id → ``debit − credit`` of one account's ledger entries in ``start … end`` (deleted entries
    left out)."""
    rows = await unit.list_all("/ledger_entries", {"attributes": "all", "ledger_account_id": ledger_account_id,
                                                   "from_date": start.isoformat(), "to_date": end.isoformat()})
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row.get("deleted") is True:
            continue
        key = ref_id(row.get("transaction")) or str(row.get("id"))
        out[key] += (money(row.get("debit")) or ZERO) - (money(row.get("credit")) or ZERO)
    return dict(out)


