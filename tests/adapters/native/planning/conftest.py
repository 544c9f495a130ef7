"""Fixtures of the native-ledger planning tests (repeating invoices, batch payments, budgets, organisation
services): the adapter-level fixtures of :mod:`tests.adapters.native.core.conftest` and the HTTP ones of
:mod:`tests.adapters.native.workflow.conftest` (the real app, every JSON answer checked against Xero's spec)."""

from __future__ import annotations

from typing import Any

from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures re-exported for this directory)
    TENANT,
    TEST_START,
    TickClock,
    adapter,
    call,
    invoice_element,
    ledger_dir,
    seeded_dir,
    settings_for,
    start_adapter,
)
from tests.adapters.native.workflow.conftest import api, fake_guard, http  # noqa: F401
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)


def template_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED monthly sales template to a demo customer: 2 × 100.00 + 20% VAT, from 2026-01-31, due
    10 days after each invoice."""
    element: dict[str, Any] = {
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Status": "AUTHORISED",
        "Reference": "Retainer", "LineAmountTypes": "Exclusive",
        "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 10, "DueDateType": "DAYSAFTERBILLDATE",
                     "StartDate": "2026-01-31"},
        "LineItems": [{"Description": "Retainer", "Quantity": 2, "UnitAmount": 100, "AccountCode": "200",
                       "TaxType": "OUTPUT2"}],
    }
    element.update(overrides)
    return element
