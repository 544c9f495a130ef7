"""``POST /Setup``: an organisation's chart of accounts, conversion date and conversion (opening) balances.

Rules (spec ``Setup``, ``ConversionDate``, ``ConversionBalances``, ``ImportSummaryObject``;
https://developer.xero.com/documentation/api-guides/conversions):

- Only an organisation without transactions can be set up (the conversion balances are its opening position); any
  other answers 400 saying so, and nothing is written.
- ``Accounts`` (when given) becomes the chart: an account whose ``Code`` exists is updated, a new code is created
  (the account rules of :mod:`adapters.native.resources.accounts`), and a non-system account the list leaves out is
  deleted. System accounts (receivables, payables, VAT, retained earnings…) stay as they are and are counted as
  ``System``; an account left out but still referred to (an item's account) is kept and counted as ``Locked``.
- ``ConversionDate`` (``Month`` 1-12, ``Year`` after 2006) is required with balances: they are the balances at the
  end of the day before the conversion month's first day, posted there in one journal (debits positive, credits
  negative). Whatever does not balance goes to the Historical Adjustment system account, as Xero's conversion
  does. Balances in another currency than the base currency (``BalanceDetails.CurrencyCode``) are refused: the
  native ledger keeps base-currency balances only.
- The answer counts the chart after the setup (``ImportSummary.Accounts``); ``Organisation.Present`` is false (the
  setup changes no organisation details).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from gateway.xero.models.services import (
    ImportSummary,
    ImportSummaryAccounts,
    ImportSummaryObject,
    ImportSummaryOrganisation,
    Setup,
)

from ..books import Books
from ..ledger import posting as ledger
from ..ledger.taxmath import round2
from ..tables.core import Journal
from ..validation import ElementInvalid, parse_element, text
from . import accounts, settings_writes

NOT_EMPTY = "The organisation already has transactions: Setup applies only to an organisation without any."
MONTH_INVALID = "ConversionDate Month must be a whole number from 1 to 12."
YEAR_INVALID = "ConversionDate Year must be a whole number greater than 2006."
DATE_REQUIRED = "A ConversionDate must be given with ConversionBalances."
UNKNOWN_ACCOUNT = "ConversionBalances: there is no account with the code '{code}'."
FOREIGN_BALANCE = ("ConversionBalances: account '{code}' has a balance in {currency}; the native ledger keeps "
                   "conversion balances in the base currency ({base}) only.")
ACCOUNT_ERROR = "Account '{code}': {message}"
CODE_REQUIRED = "Every account of Accounts needs a Code."


async def _has_transactions(books: Books) -> bool:
    count = await books.session.scalar(select(func.count()).select_from(Journal).where(
        Journal.company_id == books.company.id))
    return bool(count)


def _conversion_day(model: Setup, errors: list[str]) -> dt.date | None:
    """The day the balances are at: the last day before the conversion month."""
    when = model.ConversionDate
    if when is None or (when.Month is None and when.Year is None):
        return None
    if not isinstance(when.Month, int) or not 1 <= when.Month <= 12:
        errors.append(MONTH_INVALID)
    if not isinstance(when.Year, int) or when.Year <= 2006:
        errors.append(YEAR_INVALID)
    if errors:
        return None
    assert when.Year is not None and when.Month is not None
    return dt.date(when.Year, when.Month, 1) - dt.timedelta(days=1)


async def _apply_chart(books: Books, given: list[dict[str, Any]], counts: dict[str, int],
                       errors: list[str]) -> None:
    named: set[str] = set()
    for element in given:
        code = text(element.get("Code")) if isinstance(element, dict) else None
        if not code:
            errors.append(CODE_REQUIRED)
            counts["Errored"] += 1
            continue
        named.add(code.lower())
        existing = books.account_by_code(code)
        if existing is not None and existing.system_account:
            continue  # system accounts stay as they are
        try:
            await accounts.write(books, element, account_id=existing.id if existing is not None else None)
        except ElementInvalid as exc:
            errors.extend(ACCOUNT_ERROR.format(code=code, message=m) for m in exc.messages)
            counts["Errored"] += 1
            continue
        counts["Updated" if existing is not None else "New"] += 1
    for account in list(books.accounts.values()):
        if account.system_account or (account.code or "").lower() in named:
            continue
        if await settings_writes.account_in_use(books, account.id):
            counts["Locked"] += 1
            continue
        await settings_writes.delete_account(books, account.id)
        counts["Deleted"] += 1


def _balances(books: Books, model: Setup, errors: list[str]) -> list[ledger.Posting]:
    postings: list[ledger.Posting] = []
    base = books.company.base_currency
    for balance in model.ConversionBalances or []:
        code = text(balance.AccountCode) or ""
        account = books.account_by_code(code)
        if account is None:
            errors.append(UNKNOWN_ACCOUNT.format(code=code))
            continue
        amount = Decimal(balance.Balance) if balance.Balance is not None else Decimal(0)
        for detail in balance.BalanceDetails or []:
            currency = text(detail.CurrencyCode)
            if currency and currency != base:
                errors.append(FOREIGN_BALANCE.format(code=code, currency=currency, base=base))
            elif balance.Balance is None and detail.Balance is not None:
                amount += Decimal(detail.Balance)
        postings.append(ledger.Posting(account_id=account.id, amount=round2(amount), description="Conversion balance"))
    return postings


async def setup(books: Books, element: dict[str, Any]) -> ImportSummaryObject:
    """Apply a ``Setup`` (module docstring) and answer its summary.

    Raises:
        ElementInvalid: the organisation has transactions, or anything in the setup is invalid (the caller's
            transaction must roll back: accounts may already be written).
    """
    if await _has_transactions(books):
        raise ElementInvalid([NOT_EMPTY])
    model = parse_element(Setup, element)
    errors: list[str] = []
    day = _conversion_day(model, errors)
    counts = {"New": 0, "Updated": 0, "Deleted": 0, "Locked": 0, "Errored": 0}
    given = element.get("Accounts")
    if isinstance(given, list):
        await _apply_chart(books, given, counts, errors)
    postings = _balances(books, model, errors)
    if postings and day is None and not errors:
        errors.append(DATE_REQUIRED)
    if errors:
        raise ElementInvalid(errors)
    if postings and day is not None:
        difference = sum((p.amount for p in postings), Decimal(0))
        if difference:
            postings.append(ledger.Posting(account_id=books.system_account("HISTORICAL").id, amount=-difference,
                                           description="Historical adjustment"))
        await ledger.post(books.session, books.company, date=day, source_type="MANJOURNAL", source_id=None,
                          postings=postings, new_id=books.new_id, now=books.now(), reference="Conversion balances")
        await books.session.flush()
    chart = list(books.accounts.values())
    system = sum(1 for a in chart if a.system_account)
    return ImportSummaryObject(ImportSummary=ImportSummary(
        Accounts=ImportSummaryAccounts(Total=len(chart), New=counts["New"], Updated=counts["Updated"],
                                       Deleted=counts["Deleted"], Locked=counts["Locked"], System=system,
                                       Errored=counts["Errored"], Present=isinstance(given, list),
                                       NewOrUpdated=counts["New"] + counts["Updated"]),
        Organisation=ImportSummaryOrganisation(Present=False)))
