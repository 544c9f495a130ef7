"""The resource table against Sage's spec, and ``emulators.sage_accounting.spec`` itself."""

from __future__ import annotations

import re

import pytest

from emulators.sage_accounting import spec
from emulators.sage_accounting.catalogue import resource_specs
from tests.emulators.sage_accounting.conftest import CLIENT_ID, CLIENT_SECRET, connect, contact_id, ledger_id

OPERATION_METHODS = {"list": ("get", ""), "create": ("post", ""), "get": ("get", "/{key}"),
                     "update": ("put", "/{key}"), "delete": ("delete", "/{key}"), "release": ("post", "/{key}/release")}
#: List parameters the emulator reads itself (not through `filters`).
HANDLED = {"updated_or_created_since", "deleted_since", "from_date", "to_date", "search", "sort", "attributes",
           "page", "items_per_page"}


def _ref(schema: dict) -> str:
    return schema.get("$ref", schema.get("items", {}).get("$ref", "")).rsplit("/", 1)[-1]


@pytest.mark.parametrize("name", sorted(resource_specs()))
def test_resource_table_matches_the_spec(name):
    row = resource_specs()[name]
    document = spec.load().documents["accounts"]
    paths, definitions = document["paths"], document["definitions"]
    for operation in row.operations:
        method, suffix = OPERATION_METHODS[operation]
        op = paths[f"/{name}{suffix}"][method]
        responses = op["responses"]
        if operation in ("list", "get", "create", "update", "release") or "200" in responses:
            schema = next(iter(responses.values()))["schema"]
            assert _ref(schema) == row.definition, (name, operation)
        body = next((p for p in op.get("parameters", []) if p.get("in") == "body"), None)
        if body is not None:
            wrapper = definitions[_ref(body["schema"])]
            assert list(wrapper["properties"]) == [row.singular]
            if operation == "create":
                assert tuple(wrapper["properties"][row.singular].get("required", ())) == row.required
    if "list" in row.operations:
        documented = {p["name"]: p for p in paths[f"/{name}"]["get"]["parameters"]}
        assert set(row.filters) <= set(documented), name
        used = ({"search"} if row.search else set()) | ({"sort"} if row.sort else set()) | \
            ({"from_date", "to_date"} if row.dated else set()) | ({"deleted_since"} if row.deleted else set())
        assert used <= set(documented), name
        if row.sort:
            text = documented["sort"]["description"]
            listed = re.search(r"Available attributes are:\s*([a-z_, ]+)", text).group(1)
            assert set(row.sort) == {a.strip() for a in listed.split(",")}, name


def test_validate_detects_mismatches():
    good = {"id": "a" * 32, "displayed_as": "SI-1", "$path": "/sales_invoices/x", "total_amount": 12.5,
            "date": "2025-01-01", "status": {"id": "UNPAID"}}
    spec.validate("GET", "/v3.1/sales_invoices/x", 200, good)
    spec.validate("GET", "https://api.accounting.sage.com/v3.1/sales_invoices/x?attributes=all", 200, good)
    with pytest.raises(spec.SpecMismatch, match="total_amount"):
        spec.validate("GET", "/sales_invoices/x", 200, {**good, "total_amount": "12.5"})
    with pytest.raises(spec.SpecMismatch, match="date"):
        spec.validate("GET", "/sales_invoices/x", 200, {**good, "date": "01/01/2025"})
    with pytest.raises(spec.SpecMismatch):
        spec.validate("GET", "/sales_invoices", 200, [good])  # the spec's bare array is not what Sage sends
    envelope = {"$total": 1, "$page": 1, "$next": None, "$back": None, "$itemsPerPage": 20, "$items": [good]}
    spec.validate("GET", "/sales_invoices", 200, envelope)
    spec.validate("GET", "/sales_invoices", 200, {**{k: v for k, v in envelope.items() if k != "$itemsPerPage"},
                                                  "$items_per_page": 20})
    with pytest.raises(spec.SpecMismatch, match=r"\$items\.0\.total_amount"):
        spec.validate("GET", "/sales_invoices", 200, {**envelope, "$items": [{**good, "total_amount": "x"}]})
    with pytest.raises(spec.SpecMismatch, match="not declared"):
        spec.validate("DELETE", "/purchase_invoices/x", 200, good)
    spec.validate("DELETE", "/purchase_invoices/x", 204, b"")
    with pytest.raises(spec.SpecMismatch, match="204"):
        spec.validate("DELETE", "/purchase_invoices/x", 204, b"{}")
    spec.validate("GET", "/anything", 404, [{"$severity": "error", "$dataCode": "RecordNotFound", "$message": "m",
                                             "$source": ""}])
    with pytest.raises(spec.SpecMismatch):
        spec.validate("GET", "/contacts", 422, {"error": "bad"})
    with pytest.raises(spec.SpecMismatch, match="no GET operation"):
        spec.validate("GET", "/customers", 200, {})
    spec.validate("GET", "/businesses", 200, {"$total": 0, "$page": 1, "$next": None, "$back": None,
                                              "$items_per_page": 2147483647, "$items": []})


def test_validate_request_bodies():
    body = {"sales_invoice": {"contact_id": "c", "date": "2025-01-01", "invoice_lines": [
        {"description": "d", "ledger_account_id": "l", "unit_price": 10}]}}
    spec.validate("POST", "/sales_invoices", None, body)
    assert spec.request_errors("POST", "/sales_invoices", {"sales_invoice": {"date": "2025-01-01"}})
    problems = spec.request_errors("POST", "/sales_invoices", {"sales_invoice": {
        **body["sales_invoice"], "invoice_lines": [{"description": "d", "unit_price": "ten"}]}})
    assert {p.source for p in problems} == {"sales_invoice.invoice_lines.0", "sales_invoice.invoice_lines.0.unit_price"}
    with pytest.raises(spec.SpecMismatch):
        spec.validate("PUT", "/contacts/x", None, {"contact": {"credit_terms": "whenever"}})
    spec.validate("PUT", "/user", None, {"user": {"locale": "en-GB"}})


@pytest.mark.parametrize("emulator_config", [{"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
                                              "validate_requests": True}])
async def test_validate_requests_option_answers_422(client, emulator_config):
    sage = await connect(client)
    account = await ledger_id(sage, 4000)
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": await contact_id(sage, "ACME001"), "date": "2025-05-01", "invoice_lines": [
            {"description": "x", "ledger_account_id": account, "unit_price": "10", "tax_rate_id": "GB_ZERO"}]}})
    assert status == 422
    assert body[0]["$source"] == "sales_invoice.invoice_lines.0.unit_price"
    await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": await contact_id(sage, "ACME001"), "date": "2025-05-01", "invoice_lines": [
            {"description": "x", "ledger_account_id": account, "unit_price": 10, "tax_rate_id": "GB_ZERO"}]}})


def test_missing_spec_directory(tmp_path):
    with pytest.raises(OSError):
        spec.load(tmp_path)
