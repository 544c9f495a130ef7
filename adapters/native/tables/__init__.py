"""The native ledger's tables (SQLAlchemy 2, on its own declarative base :class:`~.base.NativeBase`).

:mod:`.core` holds the organisation, its users, the chart of accounts, contacts, invoices, payments and the ledger
journals; :mod:`.catalogue`, :mod:`.documents`, :mod:`.workflow` and :mod:`.expenses` the later resources;
:mod:`.keys` the ``Idempotency-Key`` of each keyed write; :mod:`.chart` the version of each company's chart;
:mod:`.balances` the per-account, per-day balances the reports read;
:mod:`.currency_rates` the operator's rates per date the reports revalue at. Importing this package
imports every table module, so ``NativeBase.metadata`` is complete before ``create_all``.
"""

from . import (
    balances,
    batch_payments,
    budgets,
    catalogue,
    chart,
    core,
    currency_rates,
    documents,
    employees,
    expenses,
    keys,
    published_reports,
    repeating,
    services,
    tax_components,
    workflow,
)
from .base import NativeBase

__all__ = ["NativeBase", "balances", "batch_payments", "budgets", "catalogue", "chart", "core", "currency_rates",
           "documents", "employees", "expenses", "keys", "published_reports", "repeating", "services", "tax_components",
           "workflow"]
