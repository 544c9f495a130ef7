"""Ledger accounts, contacts, products, services, tax rates, settings and enumerations."""

from __future__ import annotations

from tests.emulators.sage_accounting.conftest import contact_id, ledger_id


async def test_ledger_account_create_and_update(sage):
    created = await sage.post("/ledger_accounts", {"ledger_account": {
        "ledger_account_type_id": "OVERHEADS", "included_in_chart": True, "name": "Travel",
        "display_name": "Travel", "nominal_code": 7400, "tax_rate_id": "GB_STANDARD"}})
    assert created["displayed_as"] == "Travel (7400)"
    assert created["visible_in_expenses"] is True and created["visible_in_sales"] is False
    assert "purchasing" in created["visible_scopes"] and created["is_control_account"] is False
    status, body = await sage.call("POST", "/ledger_accounts", body={"ledger_account": {
        "ledger_account_type_id": "OVERHEADS", "included_in_chart": True, "name": "Dup", "display_name": "Dup",
        "nominal_code": 7400}})
    assert status == 422 and body[0]["$source"] == "nominal_code"
    status, body = await sage.call("POST", "/ledger_accounts", body={"ledger_account": {"name": "x"}})
    assert status == 422
    assert {e["$source"] for e in body} == {"ledger_account_type_id", "included_in_chart", "display_name",
                                            "nominal_code"}
    updated = await sage.put(f"/ledger_accounts/{created['id']}", {"ledger_account": {"name": "Travel & Subs"}})
    assert updated["displayed_as"] == "Travel & Subs (7400)"
    control = await ledger_id(sage, 1100)
    status, _ = await sage.call("PUT", f"/ledger_accounts/{control}", body={"ledger_account": {
        "ledger_account_type_id": "SALES"}})
    assert status == 422
    status, _ = await sage.call("DELETE", f"/ledger_accounts/{created['id']}")
    assert status == 405


async def test_contacts(sage):
    created = await sage.post("/contacts", {"contact": {
        "name": "Delta Ltd", "reference": "DELTA1", "contact_type_ids": ["CUSTOMER", "VENDOR"],
        "credit_limit": "500", "credit_days": 14, "credit_terms": "date_from_invoice",
        "main_address": {"address_line_1": "3 High St", "city": "York", "country_id": "GB"},
        "main_contact_person": {"name": "Dee", "email": "dee@delta.example"}}})
    assert created["displayed_as"] == "Delta Ltd (DELTA1)"
    assert [t["id"] for t in created["contact_types"]] == ["CUSTOMER", "VENDOR"]
    assert created["main_address"]["country"]["id"] == "GB" and created["email"] == "dee@delta.example"
    assert created["currency"]["id"] == "GBP" and created["deletable"] is True
    status, body = await sage.call("POST", "/contacts", body={"contact": {"name": "X", "contact_type_ids": ["ALIEN"]}})
    assert status == 422 and body[0]["$source"] == "contact_type_ids"
    status, body = await sage.call("POST", "/contacts", body={"contact": {"name": "X", "contact_type_ids": ["CUSTOMER"],
                                                                          "credit_terms": "whenever"}})
    assert status == 422 and body[0]["$source"] == "credit_terms"
    updated = await sage.put(f"/contacts/{created['id']}", {"contact": {"contact_type_ids": ["VENDOR"]}})
    assert [t["id"] for t in updated["contact_types"]] == ["VENDOR"] and updated["name"] == "Delta Ltd"
    await sage.delete(f"/contacts/{created['id']}")
    acme = await contact_id(sage, "ACME001")
    status, body = await sage.call("DELETE", f"/contacts/{acme}")
    assert status == 422
    balance = await sage.get(f"/contacts/{acme}", show_balance="true")
    assert balance["balance"] == 0  # SI-1 paid; the draft SI-4 owes nothing yet
    north = await sage.get(f"/contacts/{await contact_id(sage, 'NORTH01')}", show_balance="true")
    assert north["balance"] == 40 - 480  # SI-3 outstanding 40 less the unpaid NW-55 bill
    assert "balance" not in await sage.get(f"/contacts/{acme}")


async def test_products_and_services(sage):
    sales, cost = await ledger_id(sage, 4000), await ledger_id(sage, 5000)
    product = await sage.post("/products", {"product": {
        "description": "Gadget", "item_code": "GAD-1", "sales_ledger_account_id": sales,
        "purchase_ledger_account_id": cost, "sales_prices": [{"price_name": "Trade", "price": "9.99"}]}})
    assert product["displayed_as"] == "Gadget" and product["sales_prices"][0]["price"] == 9.99
    assert product["active"] is True
    status, body = await sage.call("POST", "/products", body={"product": {"description": "x"}})
    assert status == 422 and {e["$source"] for e in body} == {"sales_ledger_account_id", "purchase_ledger_account_id"}
    service = await sage.post("/services", {"service": {
        "description": "Audit", "sales_ledger_account_id": await ledger_id(sage, 4010),
        "sales_rates": [{"rate_name": "Daily", "rate": 700, "rate_includes_tax": False}]}})
    assert service["sales_rates"][0]["rate"] == 700
    inactive = await sage.put(f"/products/{product['id']}", {"product": {"active": False}})
    assert inactive["active"] is False
    assert [p["id"] for p in await sage.all("products", active="false")] == [product["id"]]
    assert [p["item_code"] for p in await sage.all("products", search="gad")] == ["GAD-1"]
    await sage.delete(f"/products/{product['id']}")
    widget = (await sage.all("products", search="WID"))[0]
    status, _ = await sage.call("DELETE", f"/products/{widget['id']}")
    assert status == 422  # used on invoices
    await sage.delete(f"/services/{service['id']}")


async def test_tax_rates_and_enumerations(sage):
    rates = {r["id"]: r for r in await sage.all("tax_rates")}
    assert set(rates) == {"GB_STANDARD", "GB_LOWER", "GB_ZERO", "GB_EXEMPT", "GB_NO_TAX"}
    assert rates["GB_STANDARD"]["percentage"] == 20 and rates["GB_LOWER"]["percentage"] == 5
    assert "_kind" not in rates["GB_ZERO"]
    status, body = await sage.call("POST", "/tax_rates", body={"tax_rate": {"name": "Special"}})
    assert status == 422
    statuses = {s["id"] for s in await sage.all("artefact_statuses")}
    assert statuses == {"DRAFT", "UNPAID", "PART_PAID", "PAID", "VOID"}
    assert {t["id"] for t in await sage.all("contact_types")} == {"CUSTOMER", "VENDOR"}
    assert "CUSTOMER_RECEIPT" in {t["id"] for t in await sage.all("transaction_types")}
    assert (await sage.get("/ledger_account_types/BANK"))["displayed_as"] == "Bank"
    await sage.get("/currencies/XYZ", status=404)


async def test_settings(sage):
    financial = await sage.get("/financial_settings")
    assert financial["base_currency"]["id"] == "GBP" and financial["accounting_type"] == "accrual"
    assert financial["sales_tax_calculation"] == "invoice"
    changed = await sage.put("/financial_settings", {"financial_settings": {
        "year_end_date": "2025-03-31", "accounting_type": "cash", "sales_tax_calculation": "cash"}})
    assert changed["year_end_date"] == "2025-03-31" and changed["accounting_type"] == "cash"
    status, body = await sage.call("PUT", "/financial_settings", body={"financial_settings": {
        "accounting_type": "barter"}})
    assert status == 422 and body[0]["$source"] == "accounting_type"
    business = await sage.get("/business_settings")
    defaults = business["default_ledger_accounts"]
    assert defaults["sales_ledger_account"]["displayed_as"] == "Sales - Products (4000)"
    updated = await sage.put("/business_settings", {"business_settings": {"default_ledger_accounts": {
        "sales_ledger_account_id": await ledger_id(sage, 4010)}}})
    assert updated["default_ledger_accounts"]["sales_ledger_account"]["displayed_as"] == "Sales - Services (4010)"
