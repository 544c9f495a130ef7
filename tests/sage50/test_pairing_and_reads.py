"""Pairing consent, the agent protocol's sync, and reads of the replica through the Accounting API."""

from __future__ import annotations

import json
from decimal import Decimal

from .conftest import CODE, Consent, connect
from .rows import TABLES

API = f"/{CODE}/api.xro/2.0"


async def _synced(gw, partner, agent):
    tokens, tenant = await connect(gw, partner, agent)
    for table, rows in TABLES.items():
        status, body = await agent.sync(table, rows)
        assert status == 200 and body == {"accepted": len(rows)}, body
    return tokens["access_token"], tenant


async def _get(gw, token, tenant, tail, xero_spec=None, **params):
    response = await gw.client.get(API + tail, headers={"Authorization": f"Bearer {token}", "xero-tenant-id": tenant,
                                                        "Accept": "application/json"}, params=params or None)
    body = await response.read()
    assert response.status == 200, body
    if xero_spec is not None:
        xero_spec.validate_response("GET", API + tail, 200, body, {"Content-Type": "application/json"})
    return response, json.loads(body)


async def test_pairing_page_waits_for_the_agent_then_lists_its_companies(gw, partner, agent):
    consent = Consent(gw, partner)
    html = await consent.start()
    assert "sage50-connector pair --gateway" in html and consent.pairing_code in html
    assert '<meta http-equiv="refresh"' in html and "Continue" in html
    status, waiting = await consent.page()
    assert status == 200 and "data-pairing-code" in waiting
    status, body = await agent.pair(consent.pairing_code.lower().replace("-", ""))  # typed loosely
    assert status == 200 and body["agent_token"] and body["agent_id"]
    status, html = await consent.page()
    assert "Stationery &amp; Computer Mart UK" in html and "SAGE-PC" in html
    response = await consent.decide(html, approve=False)
    assert response.status == 302 and "error=access_denied" in response.headers["Location"]
    assert "state=st-1" in response.headers["Location"]


async def test_a_pairing_code_is_single_use_and_a_revoked_agent_is_refused(gw, partner, agent):
    tokens, tenant = await connect(gw, partner, agent)
    assert tenant
    status, body = await agent.pair("ZZZZ-ZZZZ")
    assert status == 400 and body["error"] == "invalid_pairing_code"
    # A second consent on the same PC is confirmed by the enrolled agent (its token), not a new enrolment.
    consent = Consent(gw, partner)
    await consent.start(state="st-2")
    first_agent = agent.agent_id
    status, body = await agent.pair(consent.pairing_code)
    assert status == 200 and body == {"agent_id": first_agent}
    status, body = await agent.pair(consent.pairing_code)
    assert status == 400
    from gateway.appkeys import AGENTS

    assert await gw.client.app[AGENTS].store.revoke(first_agent)
    response = await agent.post("/poll", {"companies": agent.companies}, wait="0")
    assert response.status == 401


async def test_reads_translate_the_synced_rows(gw, partner, agent, xero_spec):
    token, tenant = await _synced(gw, partner, agent)
    response, org = await _get(gw, token, tenant, "/Organisation", xero_spec)
    assert response.headers["X-Sage50-Last-Sync"].endswith("Z")
    org = org["Organisations"][0]
    assert org["Name"] == "Stationery & Computer Mart UK" and org["OrganisationID"] == tenant
    assert org["FinancialYearEndMonth"] == 3 and org["TaxNumber"] == "GB999999973"

    _, accounts = await _get(gw, token, tenant, "/Accounts", xero_spec)
    by_code = {a["Code"]: a for a in accounts["Accounts"]}
    assert by_code["1200"]["Type"] == "BANK" and by_code["1200"]["BankAccountNumber"] == "20-32-06 40312087"
    assert by_code["1100"]["SystemAccount"] == "DEBTORS" and by_code["4000"]["Type"] == "REVENUE"
    assert by_code["0030"]["Type"] == "FIXED" and by_code["7502"]["Class"] == "EXPENSE"

    _, taxes = await _get(gw, token, tenant, "/TaxRates", xero_spec)
    assert {"OUTPUT2", "INPUT2", "ZERORATEDOUTPUT", "NONE"} <= {t["TaxType"] for t in taxes["TaxRates"]}

    _, contacts = await _get(gw, token, tenant, "/Contacts", xero_spec)
    names = {c["ContactNumber"]: c for c in contacts["Contacts"]}
    assert set(names) == {"ABS001", "BBS001"}  # SUP001 is archived
    assert names["BBS001"]["IsCustomer"] and names["BBS001"]["IsSupplier"]
    _, archived = await _get(gw, token, tenant, "/Contacts", xero_spec, includeArchived="true")
    assert len(archived["Contacts"]) == 3

    _, invoices = await _get(gw, token, tenant, "/Invoices", xero_spec, page="1")
    by_number = {i["InvoiceNumber"]: i for i in invoices["Invoices"]}
    golden = by_number["24"]
    assert golden["Type"] == "ACCREC" and golden["Status"] == "AUTHORISED"
    assert Decimal(str(golden["SubTotal"])) == Decimal("12.56") and Decimal(str(golden["TotalTax"])) == Decimal("2.43")
    assert Decimal(str(golden["AmountDue"])) == Decimal("4.99") and Decimal(str(golden["AmountPaid"])) == 10
    line = golden["LineItems"][0]
    assert line["TaxType"] == "OUTPUT2" and line["AccountCode"] == "4000"
    assert line["Tracking"][0]["Option"] == "Sales North"
    bill = by_number["BB-778"]
    assert bill["Type"] == "ACCPAY" and Decimal(str(bill["Total"])) == Decimal("120.00")
    assert bill["LineItems"][0]["TaxType"] == "INPUT2"

    _, one = await _get(gw, token, tenant, f"/Invoices/{golden['InvoiceID']}", xero_spec)
    assert one["Invoices"][0]["Payments"][0]["Amount"] == 10
    _, where = await _get(gw, token, tenant, "/Invoices", xero_spec, where='Type=="ACCPAY"')
    assert [i["InvoiceNumber"] for i in where["Invoices"]] == ["BB-778"]


async def test_a_deleted_row_disappears_and_a_changed_one_is_seen_at_once(gw, partner, agent, xero_spec):
    token, tenant = await _synced(gw, partner, agent)
    changed = dict(TABLES["SALES_LEDGER"][0], NAME="A1 Design Services Ltd", RECORD_MODIFY_DATE="2026-12-01T10:00:00")
    status, _ = await agent.sync("SALES_LEDGER", [changed], deleted=["BBS001"])
    assert status == 200
    _, contacts = await _get(gw, token, tenant, "/Contacts", xero_spec)
    names = {c["ContactNumber"]: c["Name"] for c in contacts["Contacts"]}
    assert names["ABS001"] == "A1 Design Services Ltd"
    assert "BBS001" in names  # still a supplier
    bbs = next(c["ContactID"] for c in contacts["Contacts"] if c["ContactNumber"] == "BBS001")
    _, contact = await _get(gw, token, tenant, f"/Contacts/{bbs}")
    assert contact["Contacts"][0]["IsCustomer"] is False


async def test_sync_refuses_rows_without_their_key_and_unknown_companies(gw, partner, agent):
    await connect(gw, partner, agent)
    status, body = await agent.sync("SALES_LEDGER", [{"NAME": "no ref"}])
    assert status == 400 and body["error"] == "invalid_rows"
    status, body = await agent.sync("NOT_A_TABLE", [{"X": 1}])
    assert status == 400
    status, body = await agent.sync("SALES_LEDGER", [], company_key="f" * 64)
    assert status == 403
