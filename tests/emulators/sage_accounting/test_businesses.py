"""``/businesses``, ``/user`` and the ``X-Business`` header."""

from __future__ import annotations

import pytest

from tests.emulators.sage_accounting.conftest import connect


async def test_businesses_and_user(sage):
    listed = await sage.get("/businesses")
    assert listed["$total"] == 2
    assert listed["$items_per_page"] == 2147483647
    names = [b["displayed_as"] for b in listed["$items"]]
    assert names == ["Emulator Trading Ltd", "Emulator Services Ltd"]
    assert all(len(b["id"]) == 32 and int(b["id"], 16) >= 0 for b in listed["$items"])
    lead = await sage.get("/businesses/lead")
    assert lead["id"] == listed["$items"][0]["id"] == sage.business_id
    assert lead["country"]["id"] == "GB"
    other = await sage.get(f"/businesses/{listed['$items'][1]['id']}")
    assert other["name"] == "Emulator Services Ltd"
    await sage.get("/businesses/0123456789abcdef0123456789abcdef", status=404)
    user = await sage.get("/user")
    assert user["first_name"] == "Emma"
    assert user["locale"] == "en-GB"
    changed = await sage.put("/user", {"user": {"first_name": "Erin", "locale": "en-IE"}})
    assert changed["displayed_as"] == "Erin Ulator"
    status, body = await sage.call("PUT", "/user", body={"user": {"locale": "xx-XX"}})
    assert status == 422 and body[0]["$source"] == "locale"
    renamed = await sage.put("/businesses/lead", {"business": {"name": "Renamed Ltd"}})
    assert renamed["displayed_as"] == "Renamed Ltd"


async def test_x_business_switches_data(sage):
    listed = await sage.get("/businesses")
    second = listed["$items"][1]["id"]
    lead_invoices = await sage.all("sales_invoices")
    status, body = await sage.call("GET", "/sales_invoices", params={"attributes": "all"}, business=second)
    assert status == 200
    assert {i["id"] for i in body["$items"]}.isdisjoint({i["id"] for i in lead_invoices})
    assert [i["total_amount"] for i in body["$items"]] == [600]
    status, _ = await sage.call("GET", f"/sales_invoices/{lead_invoices[0]['id']}", business=second)
    assert status == 404


async def test_missing_or_foreign_business(sage):
    status, body = await sage.call("GET", "/contacts", business="")
    assert status == 422
    assert body[0]["$source"] == "X-Business"
    status, body = await sage.call("GET", "/contacts", business="ffffffffffffffffffffffffffffffff")
    assert status == 403
    assert body[0]["$dataCode"] == "MultiUserAccessDenied"
    status, _ = await sage.call("GET", "/businesses", business="")
    assert status == 200  # /businesses and /user are not business-scoped


@pytest.mark.parametrize("emulator_config", [{"require_business_header": False}])
async def test_without_header_the_lead_business_is_used_when_not_strict(client, emulator_config):
    sage = await connect(client)
    status, body = await sage.call("GET", "/sales_invoices", business="")
    assert status == 200
    assert body["$total"] == 4
