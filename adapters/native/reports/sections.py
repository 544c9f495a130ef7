"""The report sections (``mappings/native_report_sections.toml``), loaded once and validated into typed objects.

Each statement's sections must cover every account ``Type`` of its classes exactly once (the profit and loss:
``REVENUE`` and ``EXPENSE`` classes; the balance sheet: ``ASSET``, ``LIABILITY``, ``EQUITY``; the trial balance:
every class), so that an account can never fall out of a report and break its totals.

Signs: reports show each account on its natural side, as Xero does — assets and expenses as ``Σ amount``
(debit positive), revenue, liabilities and equity as ``-Σ amount`` (credit positive); see :func:`natural_sign`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from mappings import MAPPINGS_DIR

from .. import codes

_TABLE = MAPPINGS_DIR / "native_report_sections.toml"
_PL_CLASSES = frozenset({"REVENUE", "EXPENSE"})
_BS_CLASSES = frozenset({"ASSET", "LIABILITY", "EQUITY"})
_BS_PARTS = ("assets", "liabilities", "equity")


@dataclass(frozen=True)
class Section:
    """One section of a statement.

    Attributes:
        key: the name code refers to (``"income"``, ``"bank"``…).
        title: the section's ``Title``.
        total: the label of its ``SummaryRow``.
        types: the account types it gathers.
        part: balance sheet part (``assets``, ``liabilities``, ``equity``); ``""`` elsewhere.
        gross: profit and loss only: the section comes before "Gross Profit".
    """

    key: str
    title: str
    total: str
    types: frozenset[str]
    part: str = ""
    gross: bool = False


@dataclass(frozen=True)
class Sections:
    """Every statement's sections, in report order."""

    profit_and_loss: tuple[Section, ...]
    balance_sheet: tuple[Section, ...]
    trial_balance: tuple[tuple[str, str], ...]  # (title, account class)

    @property
    def equity(self) -> Section:
        """The balance sheet's one equity section (it also shows Current Year Earnings)."""
        return next(s for s in self.balance_sheet if s.part == "equity")

    def pl(self, key: str) -> Section:
        """A profit and loss section by key. Raises ``KeyError``."""
        return next(s for s in self.profit_and_loss if s.key == key)

    def bs(self, key: str) -> Section:
        """A balance sheet section by key. Raises ``KeyError``."""
        return next(s for s in self.balance_sheet if s.key == key)


def natural_sign(account_type: str) -> Decimal:
    """``+1`` for asset and expense types (debit balances shown positive), ``-1`` for the others."""
    return Decimal(1) if codes.class_by_type()[account_type] in ("ASSET", "EXPENSE") else Decimal(-1)


def _check_cover(name: str, sections: tuple[Section, ...], classes: frozenset[str]) -> None:
    types = codes.class_by_type()
    wanted = {t for t, c in types.items() if c in classes}
    seen: list[str] = [t for s in sections for t in s.types]
    if sorted(seen) != sorted(wanted):
        raise ValueError(f"native_report_sections.toml: [{name}] must cover the types {sorted(wanted)} exactly once; "
                         f"it covers {sorted(seen)}")


@cache
def load() -> Sections:
    """Parse and validate ``mappings/native_report_sections.toml``.

    Raises:
        ValueError: a type covered twice or not at all, an unknown class or balance sheet part.
    """
    table = tomllib.loads(_TABLE.read_text(encoding="utf-8"))
    pl = tuple(Section(key=r["key"], title=r["title"], total=r["total"], types=frozenset(r["types"]),
                       gross=bool(r.get("gross", False))) for r in table["profit_and_loss"])
    bs = tuple(Section(key=r["key"], title=r["title"], total=r["total"], types=frozenset(r["types"]),
                       part=r["part"]) for r in table["balance_sheet"])
    tb = tuple((r["title"], r["class"]) for r in table["trial_balance"])
    _check_cover("profit_and_loss", pl, _PL_CLASSES)
    _check_cover("balance_sheet", bs, _BS_CLASSES)
    if any(s.part not in _BS_PARTS for s in bs) or sum(s.part == "equity" for s in bs) != 1:
        raise ValueError(f"native_report_sections.toml: balance sheet parts must be {_BS_PARTS}, "
                         "with one equity section")
    if sorted(c for _, c in tb) != sorted(codes.ACCOUNT_CLASSES):
        raise ValueError("native_report_sections.toml: [trial_balance] must list every account class once")
    return Sections(profit_and_loss=pl, balance_sheet=bs, trial_balance=tb)
