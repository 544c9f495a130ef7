"""Fixtures of the native-ledger classic-expenses tests (Receipts, ExpenseClaims) and of ``emailInvoice``.

Adapter-level tests reuse the native ledger fixtures (:mod:`tests.adapters.native.core.conftest`); HTTP-level tests
reuse the real app with a fake guard of :mod:`tests.adapters.native.workflow.conftest`, every JSON answer checked
against Xero's spec.
"""

from __future__ import annotations

from typing import Any

from adapters.native.demo import company as demo
from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures re-exported for this directory)
    TENANT,
    adapter,
    call,
    invoice_element,
    ledger_dir,
    seeded_dir,
)
from tests.adapters.native.workflow.conftest import (  # noqa: F401  (fixtures re-exported for this directory)
    Api,
    api,
    fake_guard,
    http,
)
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

USER_ID = demo.DEMO_USER_ID


def receipt_element(**overrides: Any) -> dict[str, Any]:
    """A valid receipt of the demo user from a demo supplier: 2 × 15.00 + 20% VAT on General Expenses (429)."""
    element: dict[str, Any] = {
        "User": {"UserID": USER_ID}, "Contact": {"Name": "Greenfield Office Supplies"}, "Date": "2026-03-12",
        "Reference": "Taxi", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Taxi to client", "Quantity": 2, "UnitAmount": 15, "AccountCode": "429",
                       "TaxType": "INPUT2"}],
    }
    element.update(overrides)
    return element
