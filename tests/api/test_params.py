"""Query parameters → ListQuery: names in any case, CSV vs repeated, GUIDs, bounds, where/order, dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from multidict import CIMultiDict, MultiDict

from gateway.api.operations import load_operations
from gateway.api.params import parse_list_query
from gateway.xero.errors import QueryParseException, ValidationException
from gateway.xero.guids import parse_guid as normalise_guid
from gateway.xero.request import DEFAULT_PAGE_SIZE, OrderTerm

G1 = "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"
G2 = "4c1e9b1a-2d9f-4c8e-8a61-3e1a5b0c6f7d"


def parse(pairs, headers=None, operation_id="getInvoices"):
    return parse_list_query(MultiDict(pairs), CIMultiDict(headers or {}), load_operations()[operation_id])


def test_defaults():
    query, raw = parse([])
    assert query.page is None and query.page_size == DEFAULT_PAGE_SIZE == 100
    assert query.where is None and query.order == [] and query.ids == []
    assert query.summarize_errors is True and query.unitdp == 2 and raw == {}


def test_csv_and_repeated_ids_normalised():
    hyphenless = G1.replace("-", "").upper()
    query, raw = parse([("IDs", f"{hyphenless},{G2}"), ("ids", "{" + G2.upper() + "}")])
    assert query.ids == [G1, G2, G2]
    assert raw == {"IDs": f"{hyphenless},{G2},{{{G2.upper()}}}"}
    query, _ = parse([("ContactIDs", G1), ("ContactIDs", G2.replace("-", ""))])
    assert query.contact_ids == [G1, G2]


def test_lists_and_flags_in_any_case():
    query, _ = parse([("invoicenumbers", "INV-001, INV-002"), ("InvoiceNumbers", "INV-003"),
                      ("STATUSES", "authorised,PAID"), ("includearchived", "TRUE"), ("summaryOnly", "true"),
                      ("createdByMyApp", "False"), ("UNITDP", "4"), ("searchterm", "Bay side"),
                      ("PAGE", "3"), ("pagesize", "1000")])
    assert query.invoice_numbers == ["INV-001", "INV-002", "INV-003"]
    assert query.statuses == ["AUTHORISED", "PAID"]
    assert query.include_archived and query.summary_only and not query.created_by_my_app
    assert query.unitdp == 4 and query.search_term == "Bay side"
    assert query.page == 3 and query.page_size == 1000


def test_where_and_order_are_parsed():
    query, _ = parse([("where", 'Status=="AUTHORISED" && Contact.ContactID==Guid("' + G1 + '")'),
                      ("order", "Date DESC, InvoiceNumber")])
    assert query.where is not None and query.where_text.startswith('Status=="AUTHORISED"')
    assert query.order == [OrderTerm("Date", descending=True), OrderTerm("InvoiceNumber", descending=False)]


@pytest.mark.parametrize("pairs, fragment", [
    ([("page", "-1")], "page must be a whole number of at least 0; '-1'"),
    ([("page", "abc")], "'abc'"),
    ([("page", "1.5")], "'1.5'"),
    ([("pageSize", "0")], "pageSize must be a whole number from 1 to 1000; '0'"),
    ([("pageSize", "1001")], "'1001'"),
    ([("pageSize", "-5")], "'-5'"),
    ([("IDs", "not-a-guid")], "'not-a-guid' in IDs is not a valid GUID"),
    ([("ContactIDs", f"{G1},1234")], "'1234' in ContactIDs"),
    ([("includeArchived", "yes")], "includeArchived must be true or false; 'yes'"),
    ([("unitdp", "3")], "unitdp must be 2 or 4; '3'"),
])
def test_bad_values_point_at_the_fault(pairs, fragment):
    with pytest.raises(ValidationException) as err:
        parse(pairs)
    body = err.value.body()
    assert err.value.status == 400 and body["Type"] == "ValidationException"
    assert fragment in body["Elements"][0]["ValidationErrors"][0]["Message"]


@pytest.mark.parametrize("where", ['Status=="AUTHORISED', "Status==", "(Total > 5", 'Status=="A" &&'])
def test_bad_where_is_query_parse_exception(where):
    with pytest.raises(QueryParseException):
        parse([("where", where)])


def test_summarize_errors_only_where_declared():
    query, _ = parse([("summarizeErrors", "false")], operation_id="createInvoices")
    assert query.summarize_errors is False
    with pytest.raises(ValidationException):
        parse([("summarizeErrors", "nope")], operation_id="createInvoices")
    # getInvoice declares only unitdp: other list parameters pass through raw, unparsed.
    query, raw = parse([("where", "((("), ("page", "x"), ("unitdp", "4")], operation_id="getInvoice")
    assert query.where is None and query.page is None and query.unitdp == 4
    assert raw == {"where": "(((", "page": "x", "unitdp": "4"}


@pytest.mark.parametrize("header, expected", [
    ("2020-02-06T12:17:43.202-08:00", datetime(2020, 2, 6, 20, 17, 43, tzinfo=UTC)),  # xero-python
    ("Tue, 02 Jan 2024 03:04:05 GMT", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),  # pyxero, datetime since
    ('"2024-01-02"', datetime(2024, 1, 2, tzinfo=UTC)),  # pyxero quotes a non-datetime since
    ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),  # xero-node toISOString
])
def test_if_modified_since(header, expected):
    query, _ = parse([], headers={"if-modified-since": header})
    assert query.if_modified_since == expected


def test_if_modified_since_that_is_not_a_date_is_ignored():
    # RFC 9110 §13.1.3: a recipient MUST ignore an If-Modified-Since that is not a valid date (issue 12)
    query, _ = parse([], headers={"If-Modified-Since": "last tuesday"})
    assert query.if_modified_since is None


def test_page_zero_is_page_one():
    query, _ = parse([("page", "0")])
    assert query.page == 1


def test_normalise_guid():
    assert normalise_guid(G1.replace("-", "").upper()) == G1
    with pytest.raises(ValueError):
        normalise_guid("xyz")


async def test_over_http(api, adapter):
    hyphenless = G1.replace("-", "")
    resp, body = await api.call(
        "GET", f"/Invoices?IDs={hyphenless}&IDs={G2}&Statuses=AUTHORISED,PAID&page=1&pageSize=1"
               "&where=Type%3D%3D%22ACCREC%22&order=Date%20DESC&unitdp=4",
        headers={"If-Modified-Since": "Tue, 02 Jan 2024 03:04:05 GMT"})
    assert resp.status == 200
    call = adapter.calls[-1]
    assert call.query.ids == [G1, G2] and call.query.statuses == ["AUTHORISED", "PAID"]
    assert call.query.page == 1 and call.query.page_size == 1 and call.query.unitdp == 4
    assert call.query.where_text == 'Type=="ACCREC"' and call.query.order == [OrderTerm("Date", True)]
    assert call.query.if_modified_since == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert call.params["pageSize"] == "1" and call.params["IDs"] == f"{hyphenless},{G2}"
    data = json.loads(body)
    assert data["pagination"] == {"page": 1, "pageSize": 1, "pageCount": 2, "itemCount": 2}
    assert len(data["Invoices"]) == 1


@pytest.mark.parametrize("query, error_type", [
    ("where=Status%3D%3D", "QueryParseException"),
    ("order=Date%20SIDEWAYS", "QueryParseException"),
    ("pageSize=5000", "ValidationException"),
    ("page=-1", "ValidationException"),
    ("IDs=1234", "ValidationException"),
])
async def test_bad_query_over_http_is_400(api, adapter, query, error_type):
    resp, body = await api.call("GET", f"/Invoices?{query}")
    assert resp.status == 400
    data = json.loads(body)
    assert data["Type"] == error_type and data["Message"]
    assert not adapter.calls or adapter.calls[-1].operation_id != "getInvoices"
