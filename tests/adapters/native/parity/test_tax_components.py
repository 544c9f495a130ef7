"""Tax rates of several components, compound included (issue 12), on a hand-computed example.

Xero's own example (https://community.xero.com/developer/discussion/109027464/): components of 6 % and 4 %
compound make a rate that displays 10 % and whose effective rate is 6 + 4 × 1.06 = 10.24 %.
"""

from __future__ import annotations

import json
import weakref
from decimal import Decimal
from typing import Any

import pytest

from adapters.native.ledger.tax_components import Component, display_rate, effective_rate
from tests.adapters.native.core.conftest import invoice_element

ON_MODULE_APP = pytest.mark.asyncio(loop_scope="module")  # the app of conftest lives for the module

RATE = {"Name": "Sales 6% + 4% compound", "ReportTaxType": "OUTPUT", "TaxComponents": [
    {"Name": "Federal", "Rate": 6, "IsCompound": False}, {"Name": "Provincial", "Rate": 4, "IsCompound": True}]}


def test_rates_by_hand() -> None:
    six, four = Component("A", Decimal(6)), Component("B", Decimal(4), is_compound=True)
    assert (display_rate([six, four]), effective_rate([six, four])) == (Decimal("10.0000"), Decimal("10.2400"))
    # Two non-compound components simply add; a compound one alone is its own rate.
    assert effective_rate([six, Component("C", Decimal(4))]) == Decimal("10.0000")
    assert effective_rate([four]) == Decimal("4.0000")
    # 5 % + 9.975 % compound: 5 + 9.975 × 1.05 = 15.47375, reported to 4 dp.
    assert effective_rate([Component("G", Decimal(5)), Component("Q", Decimal("9.975"), True)]) == Decimal("15.4738")


#: Per app: the number of the last journal found, where the next search starts (later writes post later journals).
_LAST_FOUND: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


async def _journal_lines(api, source_id: str) -> list[dict]:
    """The journal lines posted for ``source_id`` (``GET /Journals`` paged by ``offset``, bounded)."""
    offset = _LAST_FOUND.get(api, 0)
    for _ in range(100):
        _, body = await api.call("GET", f"/Journals?offset={offset}", validate=False)
        journals = json.loads(body)["Journals"]
        if not journals:
            break
        for journal in journals:
            if journal.get("SourceID") == source_id:
                _LAST_FOUND[api] = journal["JournalNumber"] - 1
                return journal["JournalLines"]
        offset = max(j["JournalNumber"] for j in journals)
    raise AssertionError(f"no journal for {source_id}")


@ON_MODULE_APP
async def test_compound_rate_is_created_read_and_applied(api) -> None:
    resp, body = await api.call("PUT", "/TaxRates", json={"TaxRates": [RATE]})
    assert resp.status == 200, body
    (created,) = json.loads(body)["TaxRates"]
    tax_type = created["TaxType"]
    _, body = await api.call("GET", f"/TaxRates/{tax_type}")
    (rate,) = json.loads(body)["TaxRates"]
    for answer in (created, rate):
        assert [(c["Name"], c["Rate"], c["IsCompound"]) for c in answer["TaxComponents"]] == [
            ("Federal", 6.0, False), ("Provincial", 4.0, True)]
        assert (answer["DisplayTaxRate"], answer["EffectiveRate"]) == (10.0, 10.24)

    # Exclusive: 2 × 500.00 = 1000.00; tax 1000.00 × 10.24 % = 102.40.
    line = {"Description": "Consulting", "Quantity": 2, "UnitAmount": 500, "AccountCode": "200", "TaxType": tax_type}
    _, body = await api.call("PUT", "/Invoices", json={"Invoices": [invoice_element(LineItems=[line])]})
    (invoice,) = json.loads(body)["Invoices"]
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (1000.0, 102.4, 1102.4)
    # The spec's TaxComponent has no account: the whole tax goes to the tax control account.
    lines = await _journal_lines(api, invoice["InvoiceID"])
    tax_lines = [(ln["AccountCode"], ln["NetAmount"]) for ln in lines if ln["TaxAmount"] == 0 and ln["NetAmount"] < 0
                 and ln["AccountType"] == "CURRLIAB"]
    assert [amount for _, amount in tax_lines] == [-102.4]

    # Inclusive, Xero's example: 10,000.00 gross → net 10,000 / 1.1024 = 9,071.12, tax 928.88.
    inclusive = invoice_element(LineAmountTypes="Inclusive", LineItems=[{**line, "Quantity": 1, "UnitAmount": 10000}])
    _, body = await api.call("PUT", "/Invoices", json={"Invoices": [inclusive]})
    (invoice,) = json.loads(body)["Invoices"]
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (9071.12, 928.88, 10000.0)


@ON_MODULE_APP
async def test_components_are_replaced_and_checked(api) -> None:
    rate = {**RATE, "Name": "Two simple"}
    rate["TaxComponents"] = [{"Name": "A", "Rate": 2.5}, {"Name": "B", "Rate": 1.25}]
    _, body = await api.call("PUT", "/TaxRates", json={"TaxRates": [rate]})
    (created,) = json.loads(body)["TaxRates"]
    assert (created["DisplayTaxRate"], created["EffectiveRate"]) == (3.75, 3.75)
    # Back to one component: the rate is a plain one again.
    _, body = await api.call("POST", "/TaxRates", json={"TaxRates": [
        {"TaxType": created["TaxType"], "TaxComponents": [{"Name": "A", "Rate": 3}]}]})
    (updated,) = json.loads(body)["TaxRates"]
    assert [(c["Name"], c["Rate"]) for c in updated["TaxComponents"]] == [("A", 3.0)]
    _, body = await api.call("GET", f"/TaxRates/{created['TaxType']}")
    assert json.loads(body)["TaxRates"][0]["EffectiveRate"] == 3.0

    bad = {**RATE, "Name": "Bad", "TaxComponents": [{"Name": "A", "Rate": -1}, {"Name": "B", "Rate": 1,
                                                                                "IsCompound": True}]}
    resp, body = await api.call("PUT", "/TaxRates", json={"TaxRates": [bad]})
    assert resp.status == 400 and "The TaxComponent Rate must be zero or more." in body.decode()
    resp, body = await api.call("POST", "/TaxRates", json={"TaxRates": [{"TaxType": "OUTPUT2", "TaxComponents": [
        {"Name": "VAT", "Rate": 10}, {"Name": "Extra", "Rate": 10, "IsCompound": True}]}]})
    assert resp.status == 400 and "System tax rates cannot be edited." in body.decode()
