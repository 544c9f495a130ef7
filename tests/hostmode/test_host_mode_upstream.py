"""Host mode with the real upstream adapters (issue 12): one browser connects QuickBooks Online (1004) and Sage
Accounting (1009) through their emulators' own consent, and the native ledger (1000) through its sign-in, all from
Xero's one authorize URL; one token of the partner app then lists and calls the tenants of all three, each call
reaching the source of its ``xero-tenant-id``."""

from __future__ import annotations

from gateway.appkeys import IDENTITY
from tests.identity.helpers import claims_of

from .upstream_stack import (  # noqa: F401 - fixtures used by name
    LOGIN,
    NATIVE_COMPANY,
    NATIVE_EMAIL,
    NATIVE_PASSWORD,
    NATIVE_TENANT,
    fake_sources,
    host_stack,
)

#: The Organisation names each source serves: the QBO sample company, the Sage emulator's businesses (the lead
#: first); the native company is the fixture's.
QBO_COMPANY = "Larry's Bakery"
SAGE_COMPANIES = ("Emulator Trading Ltd", "Emulator Services Ltd")  # one Sage consent: every business


async def test_one_browser_connects_qbo_sage_and_native_and_one_token_reaches_all(host_stack):  # noqa: F811
    stack = host_stack
    identity = stack.gateway.app[IDENTITY]
    offered = ["1000", "1001", "1004", "1009"]  # 1001 (Sage 50) pairs a connector in its consent; 1010 unregistered
    qbo = await stack.connect("1004", offered=offered)
    sage = await stack.connect("1009", offered=offered)
    native = await stack.connect("1000", offered=offered, sign_in=(NATIVE_EMAIL, NATIVE_PASSWORD))
    # QBO and Sage sent the browser back to login.xero.com, where its session cookie and host mode's link live
    for code, origin in (("1004", stack.qbo_url), ("1009", stack.sage.base)):
        at_source = next(u for u in stack.browser.visited if str(u.origin()) == origin)
        assert at_source.query["redirect_uri"] == f"{LOGIN}/{code}/callback"
        assert any(str(u).startswith(f"{LOGIN}/{code}/callback?") for u in stack.browser.visited)
    events = [claims_of(t["access_token"], identity) for t in (qbo, sage, native)]
    assert {c["iss"] for c in events} == {"https://identity.xero.com"}
    assert len({c["authentication_event_id"] for c in events}) == 3

    # a write through host mode lands in the native ledger only
    written = await stack.api("PUT", "/api.xro/2.0/Invoices", native["access_token"], tenant=NATIVE_TENANT, json={
        "Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Host Mode Customer"}, "Reference": "HM-1",
                      "LineItems": [{"Description": "Set-up", "Quantity": 1, "UnitAmount": 100,
                                     "AccountCode": "200"}]}]})
    assert written.status == 200, await written.text()

    # ONE token, refreshed (the refresh token rotates): the QBO consent's
    status, refreshed = await stack.token({"grant_type": "refresh_token", "refresh_token": qbo["refresh_token"]})
    assert status == 200, refreshed
    assert refreshed["refresh_token"] != qbo["refresh_token"]
    assert claims_of(refreshed["access_token"], identity)["authentication_event_id"] == (
        events[0]["authentication_event_id"])
    status, rotated = await stack.token({"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]})
    assert status == 200 and rotated["refresh_token"] not in (qbo["refresh_token"], refreshed["refresh_token"])
    token = rotated["access_token"]

    listed = await stack.api("GET", "/connections", token)
    assert listed.status == 200, await listed.text()
    tenants = {c["tenantName"]: c for c in await listed.json()}
    assert sorted(tenants) == sorted([QBO_COMPANY, *SAGE_COMPANIES, NATIVE_COMPANY])
    assert tenants[NATIVE_COMPANY]["tenantId"] == NATIVE_TENANT

    # each call reaches the source of its xero-tenant-id: its organisation, its invoices
    expected = {QBO_COMPANY: ("1037", "Sonnenschein Family Store"), SAGE_COMPANIES[0]: ("SI-1", "Acme Retail Ltd"),
                NATIVE_COMPANY: (None, "Host Mode Customer")}
    for name, (number, contact) in expected.items():
        tenant = tenants[name]["tenantId"]
        organisation = await stack.api("GET", "/api.xro/2.0/Organisation", token, tenant=tenant)
        assert organisation.status == 200, await organisation.text()
        assert (await organisation.json())["Organisations"][0]["Name"] == name
        answer = await stack.api("GET", "/api.xro/2.0/Invoices", token, tenant=tenant)
        assert answer.status == 200, await answer.text()
        invoices = (await answer.json())["Invoices"]
        contacts = {i["Contact"]["Name"] for i in invoices if "Contact" in i}
        assert contact in contacts and (number is None or number in {i.get("InvoiceNumber") for i in invoices})
        assert ("Host Mode Customer" in contacts) == (name == NATIVE_COMPANY)

    # deleting one connection ends that one only, the same Sage consent's other business included
    gone = tenants[SAGE_COMPANIES[0]]
    assert (await stack.api("DELETE", f"/connections/{gone['id']}", token)).status == 204
    left = {c["tenantName"] for c in await (await stack.api("GET", "/connections", token)).json()}
    assert left == {QBO_COMPANY, SAGE_COMPANIES[1], NATIVE_COMPANY}
    assert (await stack.api("GET", "/api.xro/2.0/Organisation", token, tenant=gone["tenantId"])).status == 403
    for name in left:
        organisation = await stack.api("GET", "/api.xro/2.0/Organisation", token, tenant=tenants[name]["tenantId"])
        assert organisation.status == 200 and (await organisation.json())["Organisations"][0]["Name"] == name
