"""With ``summarizeErrors=false`` a failed element is echoed with the fields Xero's spec requires, as sent: only the
bad value itself is left out, so that the answer validates against the spec (issue 11, item 11)."""

from __future__ import annotations

import json

import pytest

from gateway.xero.envelope import build_envelope

from .conftest import bank_element, call, create_one, credit_note_element, invoice_element


def _validate(xero_spec, method: str, path: str, key: str, result) -> None:
    body = build_envelope(key, result.items, provider_name="Tests", pagination=result.pagination)
    xero_spec.validate_response(method, path, 200, json.dumps(body), {"Content-Type": "application/json"})


def _bad_bank_transaction() -> dict:
    element = bank_element()
    element["LineItems"][0]["UnitAmount"] = "lots"
    return element


@pytest.mark.parametrize(("operation", "path", "key", "good", "bad", "kept"), [
    ("createBankTransactions", "/BankTransactions", "BankTransactions", bank_element(), _bad_bank_transaction(),
     ["Type", "LineItems", "BankAccount"]),
    ("createItems", "/Items", "Items", {"Code": "ECHO-1", "Name": "Echo"},
     {"Code": "ECHO-2", "Name": "Echo", "SalesDetails": {"UnitPrice": "lots"}}, ["Code"]),
    ("createManualJournals", "/ManualJournals", "ManualJournals",
     {"Narration": "Echo", "Date": "2026-03-12", "JournalLines": [{"LineAmount": 5, "AccountCode": "400"},
                                                                  {"LineAmount": -5, "AccountCode": "200"}]},
     {"Narration": "Echo", "Date": "2026-03-12", "JournalLines": [{"LineAmount": "lots", "AccountCode": "400"},
                                                                  {"LineAmount": -5, "AccountCode": "200"}]},
     ["Narration", "JournalLines"]),
])
async def test_failed_elements_keep_the_required_fields(adapter, xero_spec, operation, path, key, good, bad,
                                                        kept) -> None:
    result = await call(adapter, operation, summarize_errors=False, elements=[good, bad])
    failed = result.items[1]
    assert failed.ValidationErrors
    for name in kept:
        assert getattr(failed, name) is not None, name
    _validate(xero_spec, "PUT", path, key, result)


async def test_failed_credit_note_allocations_keep_the_required_fields(adapter, xero_spec) -> None:
    credit = await create_one(adapter, "createCreditNotes", credit_note_element())
    invoice = await create_one(adapter, "createInvoices", invoice_element())
    bad = {"Amount": 1, "Date": "2026-03-12", "Invoice": {"InvoiceID": invoice.InvoiceID, "Total": "lots"}}
    result = await call(adapter, "createCreditNoteAllocation", summarize_errors=False,
                        path={"CreditNoteID": credit.CreditNoteID}, elements=[bad])
    failed = result.items[0]
    assert failed.ValidationErrors
    assert failed.Invoice is not None and failed.Amount is not None and failed.Date is not None
    _validate(xero_spec, "PUT", f"/CreditNotes/{credit.CreditNoteID}/Allocations", "Allocations", result)
