"""Fixtures of the native-ledger classic-expenses tests (Receipts, ExpenseClaims) and of ``emailInvoice``.

Adapter-level tests use the native ledger fixtures (:mod:`tests.adapters.native.core.conftest`); HTTP-level tests
use the real app behind a fake guard (``http``, ``api`` of :mod:`tests.adapters.native.conftest`), every JSON answer
checked against Xero's spec.
"""

from __future__ import annotations

from typing import Any

from adapters.native.demo import company as demo
from tests.adapters.native.conftest import Api  # noqa: F401  (the HTTP fixtures are in that conftest)
from tests.adapters.native.core.conftest import TENANT, call, invoice_element  # noqa: F401

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
