"""Fixtures of the native-ledger planning tests (repeating invoices, batch payments, budgets, organisation
services): the adapter-level and HTTP fixtures of :mod:`tests.adapters.native.conftest` (the real app, every JSON
answer checked against Xero's spec)."""

from __future__ import annotations

from typing import Any

from tests.adapters.native.core.conftest import (  # noqa: F401  (names the tests import from here)
    TENANT,
    TEST_START,
    TickClock,
    call,
    invoice_element,
    settings_for,
    start_adapter,
)


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
