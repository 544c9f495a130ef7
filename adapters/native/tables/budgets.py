"""Budgets of the native ledger: a budget (spec ``Budget``) and its monthly amounts per account (spec
``BudgetLine``/``BudgetBalance``, one row per account and month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, Money, NativeBase, UTCDateTime


class BudgetRow(NativeBase):
    """A budget: ``OVERALL`` or ``TRACKING`` (then ``tracking`` holds its tracking options, stored as
    :mod:`adapters.native.resources.tracking` stores a line's)."""

    __tablename__ = "budgets"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    type: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(255))
    tracking: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class BudgetBalanceRow(NativeBase):
    """One account's budgeted amount for one month (``period``: the month's first day), positive as Xero enters
    budgets (income and expenses alike)."""

    __tablename__ = "budget_balances"
    __table_args__ = (UniqueConstraint("budget_id", "account_id", "period"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    budget_id: Mapped[str] = mapped_column(ForeignKey("budgets.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    period: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    notes: Mapped[str | None] = mapped_column(String(255))
