"""The query endpoint: a real parser for QBO's subset, filters, order, paging, count, and parse Faults."""
# ruff: noqa: S608  (the strings are QBO queries sent to the emulator, not SQL)

from __future__ import annotations

import pytest

from emulators.qbo import query as qlang
from emulators.qbo.faults import QboFault
from tests.emulators.qbo.conftest import invoice_body, seed_basics


@pytest.fixture
async def invoices(qbo):
    made = await seed_basics(qbo)
    rows = []
    for amount, day in [(100, "2024-01-05"), (250, "2024-02-10"), (40, "2024-03-15"), (999, "2024-04-20")]:
        rows.append(await qbo.create("Invoice", invoice_body(made, float(amount), TxnDate=day)))
    return made, rows


async def test_filters_order_paging(qbo, invoices):
    made, rows = invoices
    page = (await qbo.query("select * from Invoice where TotalAmt > '50' order by TotalAmt desc "
                            "startposition 2 maxresults 2"))["QueryResponse"]
    assert [r["TotalAmt"] for r in page["Invoice"]] == [250, 100]
    assert page["startPosition"] == 2 and page["maxResults"] == 2
    ids = (await qbo.query(f"SELECT * FROM Invoice WHERE Id IN ('{rows[0]['Id']}', '{rows[2]['Id']}') "
                           "ORDERBY Id"))["QueryResponse"]["Invoice"]
    assert [r["Id"] for r in ids] == [rows[0]["Id"], rows[2]["Id"]]
    dated = (await qbo.query("select * from invoice where TxnDate >= '2024-02-10' and TxnDate < '2024-04-01'"))
    assert [r["TxnDate"] for r in dated["QueryResponse"]["Invoice"]] == ["2024-02-10", "2024-03-15"]
    by_ref = await qbo.query(f"select * from Invoice where CustomerRef = '{made['customer']['Id']}'")
    assert len(by_ref["QueryResponse"]["Invoice"]) == 4
    empty = await qbo.query("select * from Invoice where TotalAmt > '5000'")
    assert empty["QueryResponse"] == {}


async def test_last_updated_and_count(qbo, invoices):
    _, rows = invoices
    stamp = rows[1]["MetaData"]["LastUpdatedTime"]
    qbo.state.clock.advance(5)
    await qbo.post("/invoice", {"Id": rows[1]["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"})
    changed = await qbo.query(f"select * from Invoice where Metadata.LastUpdatedTime > '{stamp}'")
    assert [r["Id"] for r in changed["QueryResponse"]["Invoice"]] == [rows[1]["Id"]]
    count = await qbo.query("select count(*) from Invoice where TotalAmt >= '100'")
    assert count["QueryResponse"] == {"totalCount": 3}


async def test_like_active_and_post(qbo):
    await qbo.create("Customer", {"DisplayName": "Alpha Mart"})
    beta = await qbo.create("Customer", {"DisplayName": "Beta Mart"})
    await qbo.create("Customer", {"DisplayName": "Gamma Shop"})
    await qbo.post("/customer", {"Id": beta["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    marts = await qbo.query("select * from Customer where DisplayName like '%mart'")
    assert [r["DisplayName"] for r in marts["QueryResponse"]["Customer"]] == ["Alpha Mart"]
    both = await qbo.query("select * from Customer where DisplayName like '%Mart' and Active in (true, false)")
    assert len(both["QueryResponse"]["Customer"]) == 2
    posted = await qbo.client.post(qbo.url("/query"), data="select * from Customer maxresults 1",
                                   headers=qbo.headers({"Content-Type": "application/text"}))
    assert len((await qbo.json(posted))["QueryResponse"]["Customer"]) == 1


@pytest.mark.parametrize(("text", "code"), [
    ("select * from Invoice where TotalAmt > '1' or TotalAmt < '5'", "4000"),
    ("select * Invoice", "4000"),
    ("", "4000"),
    ("select * from Invoice where TotalAmt # 3", "4000"),
    ("select * from Gadget", "4001"),
    ("select * from Invoice where Colour = 'red'", "4001"),
    ("select * from Invoice where Id > '3'", "4001"),
])
async def test_bad_queries(qbo, text, code):
    response = await qbo.json(await qbo.get("/query", query=text), 400)
    error = response["Fault"]["Error"][0]
    assert response["Fault"]["type"] == "ValidationFault"
    assert error["code"] == code
    prefix = "QueryParserError" if code == "4000" else "QueryValidationError"
    assert error["Detail"].startswith(prefix)


def test_parser_structure():
    parsed = qlang.parse("SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime > '2024-01-01T00:00:00-08:00' "
                         "AND Id IN ('1','2') AND DocNumber = 'O\\'Brien' ORDER BY TxnDate DESC, Id "
                         "STARTPOSITION 11 MAXRESULTS 5000")
    assert parsed.entity == "Invoice" and not parsed.count
    assert [(c.field, c.op) for c in parsed.where] == [
        ("Metadata.LastUpdatedTime", ">"), ("Id", "IN"), ("DocNumber", "=")]
    assert parsed.where[1].values == ("1", "2")
    assert parsed.where[2].values == ("O'Brien",)
    assert parsed.order == [("TxnDate", True), ("Id", False)]
    assert parsed.start_position == 11 and parsed.max_results == 1000
    with pytest.raises(QboFault):
        qlang.parse("select count(Id) from Invoice")
