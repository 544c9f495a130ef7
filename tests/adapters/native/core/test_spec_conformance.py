"""The adapter's answers, rendered in Xero's envelope, validate against Xero's published spec."""

from __future__ import annotations

import json

import pytest

from gateway.xero.envelope import build_envelope

from .conftest import call, invoice_element


def _validate(xero_spec, method: str, path: str, key: str, result) -> None:
    body = build_envelope(key, result.items, provider_name="Tests", pagination=result.pagination)
    xero_spec.validate_response(method, path, 200, json.dumps(body), {"Content-Type": "application/json"})


@pytest.mark.parametrize(("operation", "path", "key", "query"), [
    ("getOrganisations", "/Organisation", "Organisations", {}),
    ("getAccounts", "/Accounts", "Accounts", {}),
    ("getTaxRates", "/TaxRates", "TaxRates", {}),
    ("getCurrencies", "/Currencies", "Currencies", {}),
    ("getContacts", "/Contacts", "Contacts", {"page": 1, "include_archived": True}),
    ("getInvoices", "/Invoices", "Invoices", {"page": 1, "unitdp": 4}),
    ("getInvoices", "/Invoices", "Invoices", {}),
    ("getPayments", "/Payments", "Payments", {"page": 2}),
])
async def test_lists_match_the_spec(adapter, xero_spec, operation, path, key, query) -> None:
    _validate(xero_spec, "GET", path, key, await call(adapter, operation, **query))


async def test_writes_match_the_spec(adapter, xero_spec) -> None:
    created = await call(adapter, "createInvoices", elements=[invoice_element()])
    _validate(xero_spec, "PUT", "/Invoices", "Invoices", created)
    invoice_id = created.items[0].InvoiceID
    paid = await call(adapter, "createPayment", elements=[{"Invoice": {"InvoiceID": invoice_id},
                                                          "Account": {"Code": "090"}, "Date": "2026-03-12",
                                                          "Amount": 10}])
    _validate(xero_spec, "POST", "/Payments", "Payments", paid)
    partial = await call(adapter, "createContacts", summarize_errors=False,
                         elements=[{"Name": "Spec Check Ltd"}, {"Name": ""}])
    _validate(xero_spec, "PUT", "/Contacts", "Contacts", partial)
    account = await call(adapter, "createAccount", elements=[{"Code": "4999", "Name": "Spec", "Type": "EXPENSE"}])
    _validate(xero_spec, "PUT", "/Accounts", "Accounts", account)
