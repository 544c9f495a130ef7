"""The native ledger's code tables (``mappings/*.toml``), loaded once and validated into typed objects.

Tables:
    ``native_account_types``: account ``Type`` → ``Class`` (spec ``components.schemas.AccountType`` /
        ``Account.Class``).
    ``uk_chart_of_accounts``: Xero's UK default chart (code, name, type, default tax type, system account).
    ``uk_tax_rates``: UK VAT rates with Xero's tax types (spec ``components.schemas.TaxType``).
    ``currencies``: ISO 4217 code → description (spec ``components.schemas.Currency``).

Every loader raises ``ValueError`` when a table is inconsistent (unknown type, a chart tax type that is not a
rate, a duplicated code), so a broken table fails at start-up rather than on a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import mappings

#: Account classes of the spec (``components.schemas.Account.properties.Class.enum``).
ACCOUNT_CLASSES = ("ASSET", "EQUITY", "EXPENSE", "LIABILITY", "REVENUE")


@dataclass(frozen=True)
class ChartAccount:
    """One account of a default chart (``mappings/uk_chart_of_accounts.toml``)."""

    code: str
    name: str
    type: str
    tax_type: str
    system_account: str = ""
    description: str = ""
    bank_account_number: str = ""
    bank_account_type: str = ""
    enable_payments: bool = False
    expense_claims: bool = False


@dataclass(frozen=True)
class TaxRateDef:
    """One tax rate (``mappings/uk_tax_rates.toml``); ``rate`` is a percentage (``Decimal("20.0000")``)."""

    tax_type: str
    name: str
    report_tax_type: str
    rate: Decimal
    applies_to: frozenset[str]


@cache
def class_by_type() -> dict[str, str]:
    """Account ``Type`` → ``Class`` (``mappings/native_account_types.toml``).

    Raises:
        ValueError: a class outside :data:`ACCOUNT_CLASSES`.
    """
    table = dict(mappings.load("native_account_types")["class_by_type"])
    bad = {t: c for t, c in table.items() if c not in ACCOUNT_CLASSES}
    if bad:
        raise ValueError(f"native_account_types.toml: unknown account classes {bad}")
    return table


@cache
def uk_tax_rates() -> tuple[TaxRateDef, ...]:
    """The UK VAT rates, in table order.

    Raises:
        ValueError: duplicated tax type, negative rate or an unknown account class in ``applies_to``.
    """
    rates: list[TaxRateDef] = []
    seen: set[str] = set()
    for row in mappings.load("uk_tax_rates")["tax_rate"]:
        rate = TaxRateDef(tax_type=row["tax_type"], name=row["name"], report_tax_type=row["report_tax_type"],
                          rate=Decimal(row["rate"]), applies_to=frozenset(row["applies_to"]))
        if rate.tax_type in seen:
            raise ValueError(f"uk_tax_rates.toml: duplicated tax type {rate.tax_type}")
        if rate.rate < 0 or not rate.applies_to <= set(ACCOUNT_CLASSES):
            raise ValueError(f"uk_tax_rates.toml: invalid row {row}")
        seen.add(rate.tax_type)
        rates.append(rate)
    return tuple(rates)


@cache
def uk_chart() -> tuple[ChartAccount, ...]:
    """Xero's UK default chart of accounts, in code order.

    Raises:
        ValueError: duplicated code, an unknown account type, or a default tax type that is not a UK rate.
    """
    types = class_by_type()
    tax_types = {r.tax_type for r in uk_tax_rates()}
    accounts: list[ChartAccount] = []
    seen: set[str] = set()
    for row in mappings.load("uk_chart_of_accounts")["account"]:
        acc = ChartAccount(**row)
        if acc.code in seen or acc.type not in types or acc.tax_type not in tax_types:
            raise ValueError(f"uk_chart_of_accounts.toml: invalid row {row}")
        seen.add(acc.code)
        accounts.append(acc)
    return tuple(accounts)


@cache
def currency_names() -> dict[str, str]:
    """ISO 4217 code → description (``mappings/currencies.toml``)."""
    return dict(mappings.load("currencies")["currency"])
