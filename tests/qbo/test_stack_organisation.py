"""End to end: Users from QBO Employees, the default branding theme and the organisation's key actions on 1004."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


async def test_users_are_the_active_employees(qbo):
    employees = (await qbo.qbo("GET", "/query", params={"query": "SELECT * FROM Employee"}))["QueryResponse"]
    active = [e for e in employees["Employee"] if e.get("Active") is not False]
    users = (await qbo.api("GET", "/Users")).body["Users"]
    assert sorted(u["FirstName"] for u in users) == sorted(e["GivenName"] for e in active)
    assert {u["OrganisationRole"] for u in users} == {"UNKNOWN"} and not any(u["IsSubscriber"] for u in users)
    one = await qbo.api("GET", f"/Users/{users[0]['UserID']}")
    assert one.body["Users"] == [users[0]]
    assert (await qbo.api("GET", "/Users/6f9d8c2e-1111-4222-8333-944455556666")).status == 404


async def test_branding_theme_and_actions(qbo):
    themes = (await qbo.api("GET", "/BrandingThemes")).body["BrandingThemes"]
    assert [(t["Name"], t["SortOrder"], t["Type"]) for t in themes] == [("Standard", 0, "INVOICE")]
    again = await qbo.api("GET", f"/BrandingThemes/{themes[0]['BrandingThemeID']}")
    assert again.body["BrandingThemes"] == themes
    actions = {a["Name"]: a["Status"] for a in (await qbo.api("GET", "/Organisation/Actions")).body["Actions"]}
    assert actions["CreateApprovedInvoice"] == "ALLOWED" and actions["CreateDraftInvoice"] == "NOT-ALLOWED"
    assert actions["CreateRepeatingInvoice"] == "NOT-ALLOWED"  # 1004 writes no repeating invoices
