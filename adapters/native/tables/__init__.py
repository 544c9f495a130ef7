"""The native ledger's tables (SQLAlchemy 2, on its own declarative base :class:`~.base.NativeBase`).

:mod:`.core` holds the organisation, its users, the chart of accounts, contacts, invoices, payments and the ledger
journals; :mod:`.catalogue`, :mod:`.documents` and :mod:`.workflow` the later resources;
:mod:`.keys` the ``Idempotency-Key`` of each keyed write. Importing this package
imports every table module, so ``NativeBase.metadata`` is complete before ``create_all``.
"""

from . import (
    batch_payments,
    budgets,
    catalogue,
    core,
    documents,
    keys,
    published_reports,
    repeating,
    services,
    workflow,
)
from .base import NativeBase

__all__ = ["NativeBase", "batch_payments", "budgets", "catalogue", "core", "documents", "keys", "published_reports",
           "repeating", "services", "workflow"]
