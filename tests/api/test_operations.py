"""The operation table as typed objects, and the route set derived from it (no HTTP)."""

from __future__ import annotations

import re

import pytest

from gateway.api.operations import (
    API_PREFIX,
    OperationTableError,
    build_table,
    load_operations,
)
from gateway.api.routes import ALIASES, prefers, route_entries
from gateway.http.routing import Router
from tests.xero_spec import load_xero_spec

GUID = "4c1e9b1a-2d9f-4c8e-8a61-3e1a5b0c6f7d"
#: A value for each non-GUID path parameter, shaped as clients send it.
NOT_GUID = {"ContactNumber": "CUST-001", "JournalNumber": "42", "PurchaseOrderNumber": "PO-0001",
            "FileName": "receipt.pdf", "TaxType": "OUTPUT2", "InvoiceNumber": "INV-001", "ReportID": "1099"}


def concrete(path: str) -> str:
    """A request path for a spec path: GUIDs for ``…ID`` parameters, sample values for the others."""
    return re.sub(r"\{(\w+)\}", lambda m: GUID if m.group(1).endswith("ID") and m.group(1) != "ReportID"
                  else NOT_GUID.get(m.group(1), "x"), path)


async def _never(request, code, params):  # pragma: no cover - resolution only
    raise AssertionError


@pytest.fixture(scope="module")
def router() -> Router:
    r = Router()
    for entry in route_entries(load_operations()):
        r.add(entry.method, entry.template, _never, guard=entry.guard, extra=entry.binding)
    return r


def test_table_has_every_spec_operation():
    table = load_operations()
    spec = load_xero_spec().spec
    spec_ops = {(m.upper(), path): op["operationId"] for path, item in spec["paths"].items()
                for m, op in item.items() if m in ("get", "put", "post", "delete")}
    assert len(table) == len(spec_ops) == 235
    assert {(op.method, op.path): op.id for op in table.values()} == spec_ops


def test_operation_attributes():
    table = load_operations()
    invoices = table["getInvoices"]
    assert invoices.route_template == "/api.xro/2.0/Invoices"
    assert invoices.snake_name == "get_invoices" and invoices.response_key == "Invoices"
    assert "accounting.transactions.read" in invoices.scopes
    assert {"ids", "pagesize", "where", "unitdp"} <= invoices.query_names
    assert table["getInvoiceAttachmentByFileName"].path_params == ("InvoiceID", "FileName")
    assert table["createInvoiceAttachmentByFileName"].binary_body
    assert not table["getInvoiceAttachmentByFileName"].binary_body
    # Collection bodies vs single objects whose request_key is merely an array property.
    assert table["createInvoices"].body_is_collection
    assert table["deleteBankTransfers"].body_is_collection  # BankTransfersDelete → BankTransfers
    assert not table["createPayment"].body_is_collection
    assert not table["createTrackingCategory"].body_is_collection  # TrackingCategory has Options[]
    assert not table["postSetup"].body_is_collection  # Setup has ConversionBalances[]


def test_history_operations_get_history_records_keys():
    table = load_operations()
    for op in table.values():
        if op.path.endswith("/History"):
            assert op.response_key == "HistoryRecords", op.id
            if op.method == "PUT":
                assert op.request_key == "HistoryRecords" and op.body_is_collection, op.id


@pytest.mark.parametrize("row, message", [
    ({"id": "x"}, "'method' missing"),
    ({"id": "x", "method": "PATCH", "path": "/X", "scopes": ["s"], "response_schema": "", "response_key": "",
      "request_schema": "", "request_key": "", "query": []}, "unknown method"),
    ({"id": "x", "method": "GET", "path": "X", "scopes": ["s"], "response_schema": "", "response_key": "",
      "request_schema": "", "request_key": "", "query": []}, "does not start"),
])
def test_malformed_rows_are_refused(row, message):
    with pytest.raises(OperationTableError, match=message):
        build_table({"operation": [row]})


def test_duplicate_operation_is_refused():
    row = {"id": "x", "method": "GET", "path": "/X", "scopes": ["s"], "response_schema": "", "response_key": "",
           "request_schema": "", "request_key": "", "query": []}
    with pytest.raises(OperationTableError, match="twice"):
        build_table({"operation": [row, row]})
    with pytest.raises(OperationTableError, match="twice"):
        build_table({"operation": [row, {**row, "id": "y", "path": "/x"}]})


def test_every_operation_resolves_to_itself(router):
    """Each spec operation, called with realistic values, reaches its own operation (collisions included)."""
    table = load_operations()
    for op in table.values():
        route, params, _ = router.resolve(op.method, API_PREFIX + concrete(op.path))
        assert route is not None, f"{op.method} {op.path} does not resolve"
        assert route.extra.operation.id == op.id, f"{op.method} {concrete(op.path)} → {route.extra.operation.id}"
        assert set(params) == set(op.path_params)


def test_route_count_and_aliases():
    entries = route_entries(load_operations())
    assert len(entries) == 235 + len(ALIASES)


@pytest.mark.parametrize("method, path, operation_id, params", [
    ("GET", f"/Contacts/{GUID}", "getContact", {"ContactID": GUID}),
    ("GET", f"/Contacts/{GUID.replace('-', '').upper()}", "getContact", None),
    ("GET", "/Contacts/CUST-001", "getContactByContactNumber", {"ContactNumber": "CUST-001"}),
    ("POST", "/Contacts/CUST-001", "updateContact", {"ContactID": "CUST-001"}),
    ("GET", f"/Journals/{GUID}", "getJournal", None),
    ("GET", "/Journals/42", "getJournalByNumber", {"JournalNumber": "42"}),
    ("GET", f"/PurchaseOrders/{GUID}", "getPurchaseOrder", None),
    ("GET", "/PurchaseOrders/PO-0001", "getPurchaseOrderByNumber", None),
    ("GET", f"/Invoices/{GUID}/Attachments/{GUID}", "getInvoiceAttachmentById", None),
    ("GET", f"/Invoices/{GUID}/Attachments/scan.pdf", "getInvoiceAttachmentByFileName", None),
    ("PUT", f"/Invoices/{GUID}/Attachments/{GUID}", "createInvoiceAttachmentByFileName", {"InvoiceID": GUID,
                                                                                          "FileName": GUID}),
    ("GET", "/Reports/BalanceSheet", "getReportBalanceSheet", {}),
    ("GET", "/reports/profitandloss/", "getReportProfitAndLoss", {}),
    ("GET", "/Reports/TenNinetyNine", "getReportTenNinetyNine", {}),
    ("GET", "/Reports/8a6b3f0e-custom", "getReportFromId", {"ReportID": "8a6b3f0e-custom"}),
    ("GET", "/TaxRates/OUTPUT2", "getTaxRateByTaxType", {"TaxType": "OUTPUT2"}),
    ("GET", "/Organisations", "getOrganisations", {}),
    ("GET", "/organisations/actions", "getOrganisationActions", {}),
    ("GET", "/Organisation", "getOrganisations", {}),
    ("GET", "/Invoices/INV-001", "getInvoice", {"InvoiceNumber": "INV-001"}),
    ("GET", f"/invoices/{GUID}/history/", "getInvoiceHistory", {"InvoiceID": GUID}),
    ("PUT", f"/Invoices/{GUID}/history", "createInvoiceHistory", None),
    ("POST", "/Payments", "createPayment", {}),
    ("PUT", "/Payments", "createPayments", {}),
])
def test_collisions_and_aliases(router, method, path, operation_id, params):
    route, got, _ = router.resolve(method, API_PREFIX + path)
    assert route is not None and route.extra.operation.id == operation_id
    if params is not None:
        assert got == params


def test_pdf_siblings():
    bindings = {e.binding.operation.id: e.binding for e in route_entries(load_operations())
                if e.binding.pdf_operation is not None}
    assert {k: b.pdf_operation.id for k, b in bindings.items()} == {
        "getInvoice": "getInvoiceAsPdf", "getCreditNote": "getCreditNoteAsPdf",
        "getPurchaseOrder": "getPurchaseOrderAsPdf", "getQuote": "getQuoteAsPdf"}
    binding = bindings["getInvoice"]
    assert binding.select("application/pdf").id == "getInvoiceAsPdf"
    assert binding.select("application/json").id == "getInvoice"
    assert binding.select(None).id == "getInvoice"


@pytest.mark.parametrize("accept, expected", [
    ("application/pdf", True),
    ("Application/PDF", True),
    ("application/pdf, application/json;q=0.5", True),
    ("application/json, application/pdf", False),
    ("application/json;q=0.5, application/pdf", True),
    ("application/pdf;q=0", False),
    ("*/*", False),
    ("", False),
    (None, False),
])
def test_prefers(accept, expected):
    assert prefers(accept, "application/pdf") is expected
