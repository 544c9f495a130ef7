"""The open foreign-currency items the revaluation reads from the books (issue 12), by hand, GBP base:

- Invoice 1,200.00 USD at 1.25 on 10 March → booked 960.00; a part payment of 600.00 USD at 1.20 on 20 March
  clears 480.00 → as at 31 March, 600.00 USD due, booked 480.00.
- Bill 100.00 USD at 1.25 on 10 March → 100.00 USD due, booked 80.00. A GBP invoice is never revalued.
- At 1.30: as at 15 March, receivables lose 36.92 and payables gain 3.08; as at 31 March, receivables lose 18.46.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from adapters.native.books import Books
from adapters.native.ids import random_id
from adapters.native.ledger.revaluation import OpenItem, revalue
from adapters.native.reports.unrealised import open_items
from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures)
    TENANT,
    TEST_START,
    adapter,
    call,
    invoice_element,
    ledger_dir,
    seeded_dir,
)

D = Decimal


async def test_open_items_as_at_a_date(adapter) -> None:  # noqa: F811
    await call(adapter, "createCurrency", elements=[{"Code": "USD", "Description": "United States Dollar"}])
    line = {"Description": "Consulting", "Quantity": 1, "UnitAmount": 1000, "AccountCode": "200",
            "TaxType": "OUTPUT2"}
    (invoice,) = (await call(adapter, "createInvoices", elements=[invoice_element(
        CurrencyCode="USD", CurrencyRate=1.25, LineItems=[line])])).items
    await call(adapter, "createInvoices", elements=[invoice_element(InvoiceNumber="GBP-ONLY")])
    await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"}, InvoiceNumber="USD-1", CurrencyCode="USD",
        CurrencyRate=1.25, LineItems=[{"Description": "Parts", "Quantity": 1, "UnitAmount": 100,
                                       "AccountCode": "429", "TaxType": "NONE"}])])
    await call(adapter, "createPayments", elements=[{
        "Invoice": {"InvoiceID": str(invoice.InvoiceID)}, "Account": {"Code": "090"}, "Date": "2026-03-20",
        "Amount": 600, "CurrencyRate": 1.2}])

    async with adapter.db.session() as session:
        books = await Books.load(session, TENANT, new_id=random_id, now=lambda: TEST_START)
        before = await open_items(books, dt.date(2026, 3, 9))
        middle = await open_items(books, dt.date(2026, 3, 15))
        end = await open_items(books, dt.date(2026, 3, 31))
    assert before == []
    assert sorted(middle, key=lambda i: i.type) == [OpenItem("ACCPAY", "USD", D("100.00"), D("80.00")),
                                                    OpenItem("ACCREC", "USD", D("1200.00"), D("960.00"))]
    assert [(a.type, a.gain) for a in revalue(middle, {"USD": D("1.30")})] == [("ACCPAY", D("3.08")),
                                                                              ("ACCREC", D("-36.92"))]
    assert [i for i in end if i.type == "ACCREC"] == [OpenItem("ACCREC", "USD", D("600.00"), D("480.00"))]
    assert [(a.type, a.gain) for a in revalue(end, {"USD": D("1.30")}) if a.type == "ACCREC"] == [
        ("ACCREC", D("-18.46"))]
