"""Per-account, per-day ledger balances: what the reports read instead of every journal line.

One row per company, journal date, account and tracking combination holds the net of the journal lines posted
there, kept in step with the journals in the same transaction (:mod:`adapters.native.ledger.posting`), so that a
report costs O(accounts × days in its periods) whatever the number of journals. Days (not months) because every
report date is a day (``toDate``, ``date``, financial year ends).

Amounts are integers in :data:`UNITS` per currency unit (the journal lines' ``NUMERIC(18, 4)``), so that the
database's ``SUM`` is exact (SQLite's ``SUM`` over ``NUMERIC`` would go through float).

Columns:

- ``tracking``: the lines' tracking as ``"<TrackingCategoryID>:<TrackingOptionID>"`` pairs joined by ``","`` in
  the lines' order (``""``: untracked); see :func:`tracking_key`.
- ``amount``: ``Σ`` signed line amounts (debit > 0) in units.
- ``received`` / ``spent``: BankSummary's figures, kept on the untracked row: per journal, the journal's net
  debit (received) or net credit (spent) on the account; a journal reversed on its own date and its reversal
  count in neither (a deleted payment never moved cash).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, NativeBase

#: Stored units per currency unit: the journal lines' 4 decimal places.
UNITS = 10_000
_EXPONENT = Decimal(1).scaleb(-4)


class AccountBalance(NativeBase):
    """The net movement of one account on one day for one tracking combination (module docstring)."""

    __tablename__ = "account_balances"
    __table_args__ = (Index("ix_account_balances_day", "company_id", "date"),)

    company_id: Mapped[str] = mapped_column(ID, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    account_id: Mapped[str] = mapped_column(ID, primary_key=True)
    tracking: Mapped[str] = mapped_column(Text, primary_key=True, default="")
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)


def to_units(amount: Decimal) -> int:
    """A journal line amount → stored units (rounded half-even to 4 dp, as the line's column keeps it)."""
    return int(Decimal(amount).quantize(_EXPONENT, rounding=ROUND_HALF_EVEN).scaleb(4))


def from_units(units: int | Decimal) -> Decimal:
    """Stored units (an ``int``, or PostgreSQL's ``numeric`` ``SUM``) → a ``Decimal`` amount with 4 dp."""
    return Decimal(int(units)).scaleb(-4)


def tracking_pairs(stored: Any) -> tuple[tuple[str, str], ...]:
    """``JournalLine.tracking`` (stored form of :mod:`adapters.native.resources.tracking`) → ``(category id,
    option id)`` pairs, items without both ids left out."""
    pairs = []
    for item in stored or []:
        if isinstance(item, Mapping) and item.get("TrackingCategoryID") and item.get("TrackingOptionID"):
            pairs.append((str(item["TrackingCategoryID"]), str(item["TrackingOptionID"])))
    return tuple(pairs)


def tracking_key(pairs: Iterable[tuple[str, str]]) -> str:
    """``(category id, option id)`` pairs → the ``tracking`` column's text."""
    return ",".join(f"{category}:{option}" for category, option in pairs)


def parse_tracking_key(key: str) -> tuple[tuple[str, str], ...]:
    """The ``tracking`` column's text → ``(category id, option id)`` pairs (inverse of :func:`tracking_key`)."""
    if not key:
        return ()
    return tuple((category, option) for category, _, option in (item.partition(":") for item in key.split(",")))
