"""Fixtures of the native-ledger workflow tests (quotes, purchase orders, linked transactions, history, attachments,
PDFs).

Adapter-level tests use the native ledger fixtures (:mod:`tests.adapters.native.core.conftest`: a private copy of the
seeded demo ledger per test, fixed ticking clocks, ``call``). HTTP-level tests use ``http``/``api`` of
:mod:`tests.adapters.native.conftest`: the real app with the real native adapter behind a fake guard, every JSON
answer checked against Xero's spec.
"""

from __future__ import annotations

from typing import Any

from tests.adapters.native.conftest import API, Api  # noqa: F401  (the HTTP fixtures are in that conftest)
from tests.adapters.native.conftest import WORKFLOW_APP_NAME as APP_NAME
from tests.adapters.native.conftest import WORKFLOW_TOKEN as TOKEN
from tests.adapters.native.core.conftest import TENANT, TickClock, call, invoice_element  # noqa: F401

__all__ = ["API", "APP_NAME", "TENANT", "TOKEN", "Api", "TickClock", "call", "invoice_element"]


def bill_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED bill from a demo supplier: one 50.00 line + 20% VAT."""
    element: dict[str, Any] = {
        "Type": "ACCPAY", "Contact": {"Name": "Greenfield Office Supplies"}, "Date": "2026-03-05",
        "DueDate": "2026-04-04", "Status": "AUTHORISED", "InvoiceNumber": "BILL-77",
        "LineItems": [{"Description": "Courier for client", "Quantity": 1, "UnitAmount": 50, "AccountCode": "429",
                       "TaxType": "INPUT2"}],
    }
    element.update(overrides)
    return element


def quote_element(**overrides: Any) -> dict[str, Any]:
    """A valid DRAFT quote to a demo customer: 3 × 40.00 + 20% VAT."""
    element: dict[str, Any] = {
        "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10", "ExpiryDate": "2026-04-10",
        "Title": "Website refresh", "LineItems": [{"Description": "Design day", "Quantity": 3, "UnitAmount": 40,
                                                    "AccountCode": "200", "TaxType": "OUTPUT2"}],
    }
    element.update(overrides)
    return element


def purchase_order_element(**overrides: Any) -> dict[str, Any]:
    """A valid DRAFT purchase order to a demo supplier: 10 × 2.50 + 20% VAT."""
    element: dict[str, Any] = {
        "Contact": {"Name": "Greenfield Office Supplies"}, "Date": "2026-03-11", "DeliveryDate": "2026-03-20",
        "AttentionTo": "Stores", "LineItems": [{"Description": "Paper reams", "Quantity": 10, "UnitAmount": 2.5,
                                                "AccountCode": "429", "TaxType": "INPUT2"}],
    }
    element.update(overrides)
    return element
