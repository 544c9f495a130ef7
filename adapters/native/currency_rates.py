"""The operator's currency rates: validate and store them, list them, and find the rate a report revalues at.

Xero revalues open foreign-currency invoices and bills at XE.com's rate of the report's date; the native ledger
has no rate feed, so the operator records rates (``xero-gateway rates set|list|import``, :mod:`gateway.cli`) in
:class:`~adapters.native.tables.currency_rates.CurrencyRate`. Documents keep their own ``CurrencyRate``; nothing
here is recorded from them.

Rules (``docs/native-unrealised-gains.md``):

- A rate is ``CurrencyRate``'s convention: units of the currency per one unit of the base currency (1 GBP =
  1.30 USD is ``USD 1.30`` in a GBP company), a ``Decimal`` greater than zero with at most 6 decimal places (spec
  ``Invoice.CurrencyRate``, "max length = [18].[6]").
- The currency is an ISO 4217 code enabled for the company (``GET /Currencies``), other than its base currency
  (whose rate is always 1). The date is ISO 8601 (``YYYY-MM-DD``).
- Setting a rate for a currency and date that already has one replaces it.
- A write is all or nothing: every entry is checked before any is stored, in one transaction.
- Lookup as at a date: each currency's rate on that date, else its latest rate before it; a currency without
  either is not revalued.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.db import Database

from . import concurrency
from .tables.core import Company, Currency
from .tables.currency_rates import RATE_PLACES, CurrencyRate

_CODE = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Currency code → its stored ``(date, rate)`` pairs, by date (:func:`rate_history`).
RateHistory = dict[str, list[tuple[dt.date, Decimal]]]
#: The optional first line of an import file.
CSV_HEADER = ("currency", "date", "rate")


@dataclass(frozen=True)
class RateEntry:
    """One rate to store: ``currency`` (ISO 4217), ``date``, ``rate`` (module docstring's convention)."""

    currency: str
    date: dt.date
    rate: Decimal


def parse_entry(currency: str, date: str, rate: str) -> RateEntry:
    """One rate from its text form, e.g. ``("USD", "2026-03-31", "1.30")``.

    Raises:
        ValueError: a currency that is not three letters, a date that is not ``YYYY-MM-DD``, a rate that is not a
            number greater than zero with at most 6 decimal places (the message names the field).
    """
    code = currency.strip().upper()
    if not _CODE.fullmatch(code):
        raise ValueError(f"currency {currency!r} is not an ISO 4217 code (three letters, e.g. USD)")
    text = date.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {date!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
    try:
        value = Decimal(rate.strip())
    except InvalidOperation:
        raise ValueError(f"rate {rate!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"rate {rate!r} must be a number greater than zero")
    if -value.normalize().as_tuple().exponent > RATE_PLACES:  # type: ignore[operator] - finite: an int exponent
        raise ValueError(f"rate {rate!r} has more than {RATE_PLACES} decimal places")
    return RateEntry(currency=code, date=day, rate=value)


def read_csv(text: str, *, name: str = "CSV") -> list[RateEntry]:
    """Every rate of a CSV file ``currency,date,rate`` (an optional header line ``currency,date,rate``; blank
    lines skipped).

    Raises:
        ValueError: a row without exactly three fields, a bad field (:func:`parse_entry`), or a currency and date
            given twice (the message names ``name`` and the line); a file without any rate.
    """
    entries: list[RateEntry] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not field.strip() for field in row):
            continue
        if number == 1 and tuple(field.strip().lower() for field in row) == CSV_HEADER:
            continue
        if len(row) != 3:
            raise ValueError(f"{name} line {number}: expected 3 fields (currency,date,rate), found {len(row)}")
        try:
            entry = parse_entry(*row)
        except ValueError as exc:
            raise ValueError(f"{name} line {number}: {exc}") from None
        key = (entry.currency, entry.date)
        if key in seen:
            raise ValueError(f"{name} line {number}: {entry.currency} on {entry.date.isoformat()} is already on "
                             f"line {seen[key]}")
        seen[key] = number
        entries.append(entry)
    if not entries:
        raise ValueError(f"{name} has no rates (expected lines currency,date,rate)")
    return entries


async def _company(session: AsyncSession, tenant_id: str) -> Company:
    company = await session.get(Company, tenant_id.strip().lower())
    if company is None:
        raise LookupError(f"tenant {tenant_id} is not a company of the native ledger; see: xero-gateway tenants "
                          "--code 1000")
    return company


async def set_rates(db: Database, tenant_id: str, entries: Iterable[RateEntry]) -> list[dict[str, str]]:
    """Store ``entries`` for the company ``tenant_id`` in one transaction (all or nothing).

    Returns:
        The stored rates as ``{"currency", "date", "rate"}`` texts, in the order given.

    Raises:
        LookupError: no such company.
        ValueError: a currency not enabled for the company, or its base currency (nothing is stored).
    """
    wanted = list(entries)

    async def attempt() -> list[dict[str, str]]:
        async with db.write_session() as session:
            company = await _company(session, tenant_id)
            enabled = set(await session.scalars(select(Currency.code).where(Currency.company_id == company.id)))
            for entry in wanted:
                if entry.currency == company.base_currency:
                    raise ValueError(f"{entry.currency} is the base currency of {company.name}: its rate is always 1")
                if entry.currency not in enabled:
                    raise ValueError(f"currency {entry.currency} is not enabled for {company.name} (enabled: "
                                     f"{', '.join(sorted(enabled))}); add it first (PUT /Currencies)")
            for entry in wanted:
                await session.merge(CurrencyRate(company_id=company.id, currency_code=entry.currency,
                                                 date=entry.date, rate=entry.rate))
            return [_text(e.currency, e.date, e.rate) for e in wanted]

    return await concurrency.retried(attempt)


async def list_rates(db: Database, tenant_id: str) -> list[dict[str, str]]:
    """The company's stored rates by currency then date, as ``{"currency", "date", "rate"}`` texts.

    Raises:
        LookupError: no such company.
    """
    async with db.session() as session:
        company = await _company(session, tenant_id)
        rows = await session.scalars(select(CurrencyRate).where(CurrencyRate.company_id == company.id)
                                     .order_by(CurrencyRate.currency_code, CurrencyRate.date))
        return [_text(r.currency_code, r.date, r.rate) for r in rows]


async def rate_history(session: AsyncSession, company_id: str, *, until: dt.date) -> RateHistory:
    """Every stored rate of the company dated on or before ``until`` (one query): currency code → its
    ``(date, rate)`` pairs by date."""
    rows = await session.execute(
        select(CurrencyRate.currency_code, CurrencyRate.date, CurrencyRate.rate)
        .where(CurrencyRate.company_id == company_id, CurrencyRate.date <= until)
        .order_by(CurrencyRate.currency_code, CurrencyRate.date))
    history: RateHistory = {}
    for code, day, rate in rows:
        history.setdefault(code, []).append((day, Decimal(rate)))
    return history


def rates_as_at(history: RateHistory, day: dt.date) -> dict[str, Decimal]:
    """Currency code → its rate as at ``day``: the rate of ``day``, else the latest before it (module docstring);
    currencies without one are absent.

    Example: USD 1.30 on 31 March and 1.20 on 10 April → as at 1 April ``{"USD": Decimal("1.30")}``.
    """
    out = {}
    for code, dated in history.items():
        index = bisect.bisect_right(dated, day, key=lambda pair: pair[0])
        if index:
            out[code] = dated[index - 1][1]
    return out


def _text(currency: str, date: dt.date, rate: Decimal) -> dict[str, str]:
    return {"currency": currency, "date": date.isoformat(), "rate": f"{Decimal(rate).normalize():f}"}
