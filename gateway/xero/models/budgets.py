"""Xero budgets: ``Budget``, ``BudgetLine`` and ``BudgetBalance``.

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``Budget.Type`` is
``OVERALL`` or ``TRACKING``; ``BudgetBalance.Period`` is an ``x-is-msdate`` (the first day of the month: Xero's
periods are months, "2019-08", shared/notes/xero-contract.md). Conventions of :mod:`gateway.xero.models.core` apply.
"""

from .catalogue import TrackingCategory
from .core import Money, MsDate, MsDateTime, XeroModel

#: ``Budget.Type`` enum (spec).
BUDGET_TYPES = ("OVERALL", "TRACKING")


class BudgetBalance(XeroModel):
    """Spec ``BudgetBalance``: one month's budgeted ``Amount`` of a line."""

    Period: MsDate | None = None
    Amount: Money | None = None
    UnitAmount: Money | None = None
    Notes: str | None = None


class BudgetLine(XeroModel):
    """Spec ``BudgetLine``: one account's balances."""

    AccountID: str | None = None
    AccountCode: str | None = None
    BudgetBalances: list[BudgetBalance] | None = None


class Budget(XeroModel):
    """Spec ``Budget``."""

    BudgetID: str | None = None
    Type: str | None = None
    Description: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    BudgetLines: list[BudgetLine] | None = None
    Tracking: list[TrackingCategory] | None = None
