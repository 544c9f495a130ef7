"""``/analysis_types`` (fixed per business, renamed), ``/analysis_type_categories`` and categories on lines."""

from __future__ import annotations

from tests.emulators.sage_accounting.conftest import contact_id, ledger_id


async def test_types_categories_and_lines(sage):
    types = (await sage.get("/analysis_types", attributes="all"))["$items"]
    assert [t["name"] for t in types] == ["Department", "Cost Centre", "Project"]
    department = types[0]
    assert {c["name"] for c in department["analysis_type_categories"]} == {"Sales", "Support"}
    made = await sage.post("/analysis_type_categories", {"analysis_type_category": {
        "analysis_type_id": department["id"], "name": "Research"}})
    assert made["analysis_type"]["id"] == department["id"] and made["code"] == "Research"
    status, body = await sage.call("POST", "/analysis_type_categories", body={"analysis_type_category": {
        "analysis_type_id": department["id"], "name": "research"}})
    assert status == 422 and body[0]["$source"] == "name"
    renamed = await sage.put(f"/analysis_types/{department['id']}", {"analysis_type": {"name": "Team"}})
    assert renamed["name"] == "Team"
    invoice = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": await contact_id(sage, "ACME001"), "date": "2025-04-01",
        "invoice_lines": [{"description": "x", "ledger_account_id": await ledger_id(sage, 4000), "unit_price": 10,
                           "tax_rate_id": "GB_ZERO", "analysis_type_categories": [made["id"]]}]}})
    line = invoice["invoice_lines"][0]
    assert [c["id"] for c in line["analysis_type_categories"]] == [made["id"]]
    assert line["analysis_type_categories"][0]["analysis_type"]["id"] == department["id"]
    status, _ = await sage.call("DELETE", f"/analysis_type_categories/{made['id']}")
    assert status == 422  # in use
    spare = await sage.post("/analysis_type_categories", {"analysis_type_category": {
        "analysis_type_id": department["id"], "name": "Spare"}})
    await sage.delete(f"/analysis_type_categories/{spare['id']}")


async def test_cis_settings(sage):
    settings = await sage.get("/cis_settings")
    assert settings["contractor"] is False and settings["subcontractor"] is False
    changed = await sage.put("/cis_settings", {"cis_settings": {"contractor": True,
                                                                "unique_tax_reference": "1234567890"}})
    assert changed["contractor"] is True and changed["unique_tax_reference"] == "1234567890"
    assert (await sage.get("/cis_settings"))["contractor"] is True
