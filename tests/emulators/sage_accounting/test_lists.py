"""List calls: Sage's envelope, paging, attributes, change and date filters, search and sort."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.emulators.sage_accounting.conftest import connect, contact_id, ledger_id


async def test_envelope_and_base_attributes(sage):
    body = await sage.get("/sales_invoices")
    assert set(body) == {"$total", "$page", "$next", "$back", "$itemsPerPage", "$items"}
    assert body["$total"] == 4 and body["$page"] == 1 and body["$itemsPerPage"] == 20
    assert body["$next"] is None and body["$back"] is None
    for item in body["$items"]:
        assert set(item) == {"id", "displayed_as", "$path"}
        assert item["$path"] == f"/sales_invoices/{item['id']}"
    full = await sage.get("/sales_invoices", attributes="all")
    assert "total_amount" in full["$items"][0] and "invoice_lines" in full["$items"][0]
    some = await sage.get("/sales_invoices", attributes="total_amount,status")
    assert set(some["$items"][0]) == {"id", "displayed_as", "$path", "total_amount", "status"}
    one = await sage.get(f"/sales_invoices/{body['$items'][0]['id']}")
    assert "invoice_lines" in one  # a single GET has every attribute
    assert "payments_allocations" not in one
    shown = await sage.get(f"/sales_invoices/{body['$items'][0]['id']}", show_payments_allocations="true")
    assert shown["payments_allocations"][0]["amount"] == 120


async def test_paging_links_and_limits(sage):
    first = await sage.get("/ledger_accounts", items_per_page=5)
    total = first["$total"]
    assert total > 10 and len(first["$items"]) == 5 and first["$back"] is None
    nxt = urlsplit(first["$next"])
    assert nxt.path == "/ledger_accounts"
    assert parse_qs(nxt.query) == {"page": ["2"], "items_per_page": ["5"]}
    second = await sage.get("/ledger_accounts", page=2, items_per_page=5)
    assert parse_qs(urlsplit(second["$back"]).query)["page"] == ["1"]
    assert {i["id"] for i in first["$items"]}.isdisjoint({i["id"] for i in second["$items"]})
    last_page = -(-total // 5)
    beyond = await sage.get("/ledger_accounts", page=99, items_per_page=5)
    assert beyond["$page"] == last_page and beyond["$next"] is None
    assert len(beyond["$items"]) == total - 5 * (last_page - 1)
    capped = await sage.get("/ledger_accounts", items_per_page=500)
    assert capped["$itemsPerPage"] == 200
    kept = await sage.get("/ledger_accounts", items_per_page=5, search="a")
    if kept["$next"]:
        assert parse_qs(urlsplit(kept["$next"]).query)["search"] == ["a"]
    status, body = await sage.call("GET", "/ledger_accounts", params={"items_per_page": "0"})
    assert status == 422 and body[0]["$source"] == "items_per_page"
    status, body = await sage.call("GET", "/ledger_accounts", params={"page": "two"})
    assert status == 422 and body[0]["$source"] == "page"


async def test_ledger_accounts_order_and_filters(sage):
    accounts = await sage.all("ledger_accounts")
    codes = [a["nominal_code"] for a in accounts]
    assert codes == sorted(codes)
    sales = await sage.all("ledger_accounts", ledger_account_type_id="SALES")
    assert sales and all(a["ledger_account_type"]["id"] == "SALES" for a in sales)
    banking = await sage.all("ledger_accounts", visible_in="banking")
    assert {a["nominal_code"] for a in banking} == {1200, 1210}
    controls = await sage.all("ledger_accounts", show_control_accounts="true")
    assert {a["nominal_code"] for a in controls} == {1100, 2100, 2200, 2201}
    found = await sage.all("ledger_accounts", search="debtors")
    assert [a["nominal_code"] for a in found] == [1100]


async def test_updated_or_created_since_is_inclusive(sage):
    state = sage.state
    state.clock.advance(10)
    before = state.clock.stamp()
    created = await sage.post("/contacts", {"contact": {"name": "Fresh Ltd", "contact_type_ids": ["CUSTOMER"]}})
    assert created["created_at"] == before
    changed = await sage.all("contacts", updated_or_created_since=before)
    assert [c["id"] for c in changed] == [created["id"]]
    state.clock.advance(5)
    later = state.clock.stamp()
    assert await sage.all("contacts", updated_or_created_since=later) == []
    await sage.put(f"/contacts/{created['id']}", {"contact": {"notes": "edited"}})
    assert [c["id"] for c in await sage.all("contacts", updated_or_created_since=later)] == [created["id"]]
    offset = await sage.all("contacts", updated_or_created_since=later.replace("Z", "+00:00"))
    assert len(offset) == 1
    status, body = await sage.call("GET", "/contacts", params={"updated_or_created_since": "yesterday"})
    assert status == 422 and body[0]["$source"] == "updated_or_created_since"


async def test_paid_invoice_shows_as_updated(sage):
    since = sage.state.clock.stamp()
    invoices = await sage.all("sales_invoices", status_id="PART_PAID")
    target = next(i for i in invoices if i["displayed_as"] == "SI-2")
    sage.state.clock.advance(1)
    await sage.post("/contact_payments", {"contact_payment": {
        "transaction_type_id": "CUSTOMER_RECEIPT", "contact_id": target["contact"]["id"],
        "bank_account_id": (await sage.all("bank_accounts"))[0]["id"], "date": "2025-03-20",
        "total_amount": 685, "allocated_artefacts": [{"artefact_id": target["id"], "amount": 685}]}})
    changed = await sage.all("sales_invoices", updated_or_created_since=since)
    assert [i["displayed_as"] for i in changed] == ["SI-2"] and changed[0]["status"]["id"] == "PAID"


async def test_deleted_since_is_exclusive(sage):
    since = sage.state.clock.stamp()
    created = await sage.post("/contacts", {"contact": {"name": "Gone Ltd", "contact_type_ids": ["VENDOR"]}})
    sage.state.clock.advance(1)
    await sage.delete(f"/contacts/{created['id']}")
    gone = await sage.get("/contacts", deleted_since=since)
    assert gone["$total"] == 1
    assert gone["$items"][0]["id"] == created["id"] and "deleted_at" in gone["$items"][0]
    assert (await sage.get("/contacts", deleted_since=gone["$items"][0]["deleted_at"]))["$total"] == 0
    await sage.get(f"/contacts/{created['id']}", status=404)


async def test_date_contact_status_search_and_sort(sage):
    in_feb = await sage.all("sales_invoices", from_date="2025-02-01", to_date="2025-02-28")
    assert [i["displayed_as"] for i in in_feb] == ["SI-2"]
    acme = await contact_id(sage, "ACME001")
    assert {i["displayed_as"] for i in await sage.all("sales_invoices", contact_id=acme)} == {"SI-1", "SI-4"}
    assert [i["displayed_as"] for i in await sage.all("sales_invoices", status_id="DRAFT")] == ["SI-4"]
    assert [i["displayed_as"] for i in await sage.all("sales_invoices", search="bright")] == ["SI-2"]
    newest = await sage.all("sales_invoices", sort="date:desc")
    assert [i["date"] for i in newest] == sorted((i["date"] for i in newest), reverse=True)
    status, body = await sage.call("GET", "/sales_invoices", params={"sort": "total_amount"})
    assert status == 422 and body[0]["$source"] == "sort"
    customers = await sage.all("contacts", contact_type_id="VENDOR")
    assert {c["reference"] for c in customers} == {"PAPER01", "NORTH01"}


async def test_ledger_entries_filters(sage):
    sales = await ledger_id(sage, 4000)
    entries = await sage.all("ledger_entries", ledger_account_id=sales)
    assert entries and all(e["ledger_account"]["id"] == sales for e in entries)
    invoice_entries = await sage.all("ledger_entries", transaction_type_id="SALES_INVOICE")
    transactions = {e["transaction"]["id"] for e in invoice_entries}
    assert len(transactions) == 3  # SI-1..SI-3; the draft SI-4 posts nothing
    one = next(iter(transactions))
    assert {e["id"] for e in await sage.all("ledger_entries", transaction_id=one)} <= {e["id"] for e in
                                                                                      invoice_entries}
    transaction = await sage.get(f"/transactions/{one}")
    assert transaction["transaction_type"]["id"] == "SALES_INVOICE"
    assert transaction["origin"]["$path"].startswith("/sales_invoices/")


@pytest.mark.parametrize("emulator_config", [{"items_per_page_key": "$items_per_page"}])
async def test_page_size_key_is_configurable(client, emulator_config):
    sage = await connect(client)
    body = await sage.get("/contacts")
    assert "$items_per_page" in body and "$itemsPerPage" not in body

