"""XML answers, exactly as Xero's: the same call answered as XML and as JSON, compared field by field.

The gateway runs for real (``gateway.app.create_app`` on a fresh data directory, the native ledger's demo company
"Demo Company (UK)", a real ``client_credentials`` token), as in ``tests/conformance``. Each call is made twice:
``Accept: application/json`` and no ``Accept`` at all (Xero's default is XML).

- The JSON answer is read as pyxero reads it (``json.loads`` with pyxero 0.9.5's ``xero.utils.json_load_object_hook``,
  which turns ``/Date(…)/`` into datetimes) and validated against Xero's spec.
- The XML answer is read with xmltodict, and errors also with pyxero's own XML error reader
  (``xero.exceptions.XeroBadRequest``).
- :func:`assert_same` walks the JSON answer and finds every field in the XML answer: lists are a wrapper element
  holding items named as Xero's XML schemas name them (:data:`XSD_ITEMS`, XeroAPI-Schemas v2.00), booleans
  ``true``/``false``, numbers plain decimals, dates ``xs:dateTime`` text for the same instant; the JSON-only ISO
  companions (``DateString``…) are absent from the XML, whose date text starts with them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import requests
import xmltodict
from aiohttp.test_utils import TestClient, TestServer
from xero.exceptions import XeroBadRequest
from xero.utils import json_load_object_hook

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway import appkeys
from gateway.api.operations import load_operations
from gateway.app import create_app
from gateway.identity import apps
from gateway.settings import load_settings
from tests.xero_spec import load_xero_spec

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

API = "/1000/api.xro/2.0"
APP_NAME = "XML Answers"
RATE_LIMITS = "[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\n"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"

#: Xero's XML item names of the lists met below: the ``ArrayOf…`` types of Xero's XML schemas (XeroAPI-Schemas
#: v2.00; ``pagination`` and ``Warnings`` as in Xero's XML answers); written out here so that the test does not
#: take the serialiser's own rule for granted.
XSD_ITEMS = {
    "Accounts": "Account", "Addresses": "Address", "Allocations": "Allocation", "Attributes": "Attribute",
    "BankTransactions": "BankTransaction", "Cells": "Cell", "ContactGroups": "ContactGroup",
    "ContactPersons": "ContactPerson", "Contacts": "Contact", "CreditNotes": "CreditNote", "Fields": "ReportField",
    "Invoices": "Invoice", "Items": "Item", "JournalLines": "JournalLine", "Journals": "Journal",
    "LineItems": "LineItem", "ManualJournals": "ManualJournal", "Options": "Option",
    "Organisations": "Organisation", "Overpayments": "Overpayment", "Payments": "Payment", "Phones": "Phone",
    "Prepayments": "Prepayment", "ReportTitles": "ReportTitle", "Reports": "Report", "Rows": "Row",
    "TaxComponents": "TaxComponent", "TaxRates": "TaxRate", "Tracking": "TrackingCategory",
    "TrackingCategories": "TrackingCategory", "ValidationErrors": "ValidationError", "Warnings": "Warning",
}
#: Fields Xero's XML names otherwise, per element (``Allocation.xsd``: ``AppliedAmount``).
XML_NAMES = {"Allocation": {"Amount": "AppliedAmount"}}
#: Values that differ between two calls by nature: a report's ``UpdatedDateUTC`` is the time it was run.
VOLATILE = {"Reports[0].UpdatedDateUTC"}
_DATETIME_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")


# --- the gateway ------------------------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("xml-answers")
    config = data_dir / "limits.toml"
    config.write_text(RATE_LIMITS)
    client = TestClient(TestServer(create_app(load_settings(config, data_dir=data_dir / "data"))))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def auth(gateway: TestClient) -> dict[str, str]:
    """Bearer and tenant headers of a custom connection to the demo tenant with every accounting scope."""
    scopes = sorted({scope for op in load_operations().values() for scope in op.scopes})
    registered = await apps.create_app(gateway.app[appkeys.DB], name=APP_NAME, redirect_uris=[], scopes=scopes,
                                       custom_connection=True, code="1000", tenant_id=DEMO_TENANT_ID)
    resp = await gateway.post("/1000/connect/token", data={
        "grant_type": "client_credentials", "client_id": registered["client_id"],
        "client_secret": registered["client_secret"]})
    assert resp.status == 200
    return {"Authorization": f"Bearer {(await resp.json())['access_token']}", "xero-tenant-id": DEMO_TENANT_ID}


async def call(gateway: TestClient, auth: dict[str, str], method: str, path: str, *, accept: str | None,
               **kwargs: Any) -> tuple[int, str, bytes]:
    """``(status, Content-Type, body)``; ``accept=None`` sends no ``Accept`` header at all."""
    headers = {**auth, **kwargs.pop("headers", {})}
    if accept is not None:
        headers["Accept"] = accept
    resp = await gateway.request(method, API + path, headers=headers,
                                 skip_auto_headers=("Accept",) if accept is None else (), **kwargs)
    return resp.status, resp.headers.get("Content-Type", ""), await resp.read()


def read_json(body: bytes) -> Any:
    """The JSON answer as pyxero reads it: ``/Date(…)/`` → datetime, numbers → ``Decimal``."""
    return json.loads(body, object_hook=json_load_object_hook, parse_float=Decimal)


def read_xml(body: bytes) -> dict[str, Any]:
    return xmltodict.parse(body)


# --- the comparison ---------------------------------------------------------------------------------------------


def _is_companion(key: str, obj: dict[str, Any]) -> bool:
    return key.endswith("String") and key[: -len("String")] in obj


def _companion_text(value: Any) -> str:
    # pyxero's hook reads an ISO companion without offset as a date (midnight) or a datetime
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00"
    return value.rstrip("Z")


def _instant(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def assert_same(xml: Any, js: Any, where: str, tag: str) -> None:
    """``xml`` (xmltodict's reading of element ``tag``) carries exactly the JSON value ``js``."""
    if isinstance(js, dict):
        names = XML_NAMES.get(tag, {})
        expected = {names.get(k, k): v for k, v in js.items() if not _is_companion(k, js)}
        got = {k: v for k, v in (xml or {}).items() if not k.startswith("@")}
        assert set(got) == set(expected), f"{where}: XML {sorted(got)} != JSON {sorted(expected)}"
        for key, value in expected.items():
            assert_same(got[key], value, f"{where}.{key}", key)
        for key, value in js.items():
            if _is_companion(key, js):  # the XML date text is the companion's (plus milliseconds)
                base = got[names.get(key[: -len("String")], key[: -len("String")])]
                assert base.startswith(_companion_text(value)), f"{where}.{key}: {base!r} vs {value!r}"
    elif isinstance(js, list):
        if not js:
            assert xml is None, f"{where}: {xml!r} for an empty list"
            return
        item = XSD_ITEMS[tag]
        assert isinstance(xml, dict) and list(xml) == [item], f"{where}: items {list(xml or {})}, not <{item}>"
        entries = xml[item] if isinstance(xml[item], list) else [xml[item]]
        assert len(entries) == len(js), f"{where}: {len(entries)} XML items, {len(js)} JSON items"
        for i, (x, j) in enumerate(zip(entries, js, strict=True)):
            assert_same(x, j, f"{where}[{i}]", item)
    elif isinstance(js, bool):
        assert xml == ("true" if js else "false"), f"{where}: {xml!r} vs {js!r}"
    elif isinstance(js, (int, Decimal)):
        assert re.fullmatch(r"-?\d+(\.\d+)?", xml), f"{where}: {xml!r} is not a plain decimal"
        assert Decimal(xml) == Decimal(js), f"{where}: {xml!r} vs {js!r}"
    elif isinstance(js, datetime):  # pyxero read an MS date
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?", xml), f"{where}: {xml!r}"
        if where in VOLATILE:
            assert abs(_instant(xml) - _instant(js)) < timedelta(minutes=1), f"{where}: {xml!r} vs {js!r}"
        else:
            assert _instant(xml) == _instant(js), f"{where}: {xml!r} vs {js!r}"
    elif isinstance(js, date):  # pyxero reads an ISO date-only text as a date
        assert xml == f"{js.isoformat()}T00:00:00", f"{where}: {xml!r} vs {js!r}"
    else:
        assert (xml or "") == js, f"{where}: {xml!r} vs {js!r}"


def assert_same_envelope(xml_body: bytes, json_body: bytes, key: str) -> dict[str, Any]:
    """The XML ``<Response>`` carries the JSON envelope; returns the JSON envelope as pyxero reads it."""
    js = read_json(json_body)
    root = read_xml(xml_body)
    assert list(root) == ["Response"]
    response = root["Response"]
    assert response["@xmlns:xsi"] == "http://www.w3.org/2001/XMLSchema-instance"
    fields = [k for k in response if not k.startswith("@")]
    assert fields[:4] == ["Id", "Status", "ProviderName", "DateTimeUTC"], fields
    expected = {"Id", "Status", "ProviderName", "DateTimeUTC", key} | ({"pagination"} & set(js)) | (
        {"Warnings"} & set(js))
    assert set(fields) == expected
    uuid.UUID(response["Id"])
    assert response["Status"] == js["Status"] == "OK"
    assert response["ProviderName"] == js["ProviderName"] == APP_NAME
    assert _DATETIME_UTC.match(response["DateTimeUTC"]), response["DateTimeUTC"]
    moment = datetime.fromisoformat(response["DateTimeUTC"][:26]).replace(tzinfo=UTC)
    assert abs(moment - js["DateTimeUTC"]) < timedelta(minutes=1)
    for name in ("pagination", "Warnings"):
        if name in js:
            assert_same(response[name], js[name], name, name)
    assert_same(response[key], js[key], key, key)
    return js


def _lists(value: Any, name: str) -> list[list[Any]]:
    """Every non-empty list under the key ``name``, anywhere in ``value``."""
    found: list[list[Any]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            if key == name and isinstance(child, list) and child:
                found.append(child)
            found.extend(_lists(child, name))
    elif isinstance(value, list):
        for child in value:
            found.extend(_lists(child, name))
    return found


# --- the answers ------------------------------------------------------------------------------------------------

#: (path, collection key, lists the demo data must exercise somewhere in the answer)
READS = [
    ("/Organisation", "Organisations", ()),
    ("/Accounts", "Accounts", ()),
    ("/Contacts?page=1&pageSize=10", "Contacts", ()),
    ("/Invoices?page=1", "Invoices", ("LineItems", "Payments")),
    ("/CreditNotes?page=1", "CreditNotes", ("LineItems", "Allocations")),
    ("/Payments", "Payments", ()),
    ("/BankTransactions?page=1", "BankTransactions", ("LineItems",)),
    ("/ManualJournals?page=1", "ManualJournals", ("JournalLines",)),
    ("/TaxRates", "TaxRates", ("TaxComponents",)),
    ("/TrackingCategories", "TrackingCategories", ("Options",)),
    ("/Items", "Items", ()),
    ("/Journals", "Journals", ("JournalLines",)),
    ("/Reports/ProfitAndLoss", "Reports", ("ReportTitles", "Rows", "Cells", "Attributes")),
]


@pytest.mark.parametrize(("path", "key", "exercised"), READS, ids=[r[0] for r in READS])
async def test_xml_answer_is_the_json_answer(gateway, auth, path, key, exercised):
    json_status, json_type, json_body = await call(gateway, auth, "GET", path, accept="application/json")
    xml_status, xml_type, xml_body = await call(gateway, auth, "GET", path, accept=None)
    assert (json_status, xml_status) == (200, 200), xml_body[:500]
    assert json_type.startswith("application/json") and xml_type == XML_CONTENT_TYPE
    load_xero_spec().validate_response("GET", API + path, json_status, json_body,
                                       {"Content-Type": json_type})
    js = assert_same_envelope(xml_body, json_body, key)
    assert js[key], f"{path}: the demo company has nothing to compare"
    if "page=" in path:
        assert "pagination" in js
    for name in exercised:
        assert _lists(js[key], name), f"{path}: no {name} in the demo data"


async def test_single_invoice_with_payments(gateway, auth):
    _, _, listed = await call(gateway, auth, "GET", "/Invoices?page=1", accept="application/json")
    paid = [inv for inv in json.loads(listed)["Invoices"] if inv.get("Payments") and inv.get("LineItems")]
    assert paid, "the demo company has no paid invoice"
    path = f"/Invoices/{paid[0]['InvoiceID']}"
    _, _, json_body = await call(gateway, auth, "GET", path, accept="application/json")
    status, content_type, xml_body = await call(gateway, auth, "GET", path, accept="text/xml")
    assert (status, content_type) == (200, XML_CONTENT_TYPE)
    js = assert_same_envelope(xml_body, json_body, "Invoices")
    assert len(js["Invoices"]) == 1 and js["Invoices"][0]["Payments"]


async def test_line_item_tracking_is_tracking_category(gateway, auth):
    """Xero's XML names a line's tracking items ``<TrackingCategory>`` (``LineItem.xsd``), not by the JSON type."""
    tracked: list[list[Any]] = []
    for path, key in (("/Invoices?page=1", "Invoices"), ("/Invoices?page=2", "Invoices"),
                      ("/BankTransactions?page=1", "BankTransactions")):
        _, _, json_body = await call(gateway, auth, "GET", path, accept="application/json")
        _, _, xml_body = await call(gateway, auth, "GET", path, accept="application/xml")
        tracked = _lists(json.loads(json_body)[key], "Tracking")
        if tracked:
            assert_same_envelope(xml_body, json_body, key)
            assert b"<Tracking><TrackingCategory>" in xml_body
            break
    assert tracked, "no tracked line item in the demo data"


# --- errors -----------------------------------------------------------------------------------------------------


def _requests_response(status: int, content_type: str, body: bytes) -> requests.Response:
    """A ``requests`` response as pyxero's error classes receive it."""
    resp = requests.Response()
    resp.status_code = status
    resp.headers["content-type"] = content_type
    resp._content = body
    resp.encoding = "utf-8"
    return resp


async def test_validation_exception_with_elements(gateway, auth):
    body = {"Invoices": [{"Type": "ACCREC", "LineItems": [{"Description": "No contact", "Quantity": 1,
                                                              "UnitAmount": 10, "AccountCode": "200"}]}]}
    json_status, json_type, json_body = await call(gateway, auth, "PUT", "/Invoices", accept="application/json",
                                                   json=body)
    xml_status, xml_type, xml_body = await call(gateway, auth, "PUT", "/Invoices", accept="application/xml",
                                                json=body)
    assert (json_status, xml_status) == (400, 400) and xml_type == XML_CONTENT_TYPE
    js = json.loads(json_body, parse_float=Decimal)
    assert js["Type"] == "ValidationException" and js["Elements"]
    root = read_xml(xml_body)["ApiException"]
    assert [k for k in root if not k.startswith("@")] == ["ErrorNumber", "Type", "Message", "Elements"]
    assert (root["ErrorNumber"], root["Type"], root["Message"]) == (str(js["ErrorNumber"]), js["Type"],
                                                                     js["Message"])
    elements = root["Elements"]["DataContractBase"]
    elements = elements if isinstance(elements, list) else [elements]
    assert [e["@xsi:type"] for e in elements] == ["Invoice"] * len(js["Elements"])
    for i, (xml_element, json_element) in enumerate(zip(elements, js["Elements"], strict=True)):
        assert_same({k: v for k, v in xml_element.items() if k != "@xsi:type"}, json_element, f"Elements[{i}]",
                    "Invoice")
    # pyxero's own XML error reader finds the same messages as its JSON reader
    from_json = XeroBadRequest(_requests_response(400, json_type, json_body))
    from_xml = XeroBadRequest(_requests_response(400, xml_type, xml_body))
    assert from_xml.errors == from_json.errors and from_xml.errors
    assert from_xml.problem == from_json.problem


async def test_query_parse_exception_is_an_api_exception(gateway, auth):
    status, content_type, body = await call(gateway, auth, "GET", "/Invoices?where=Total%3D%3D(", accept=None)
    assert (status, content_type) == (400, XML_CONTENT_TYPE)
    root = read_xml(body)["ApiException"]
    assert (root["ErrorNumber"], root["Type"]) == ("16", "QueryParseException") and "Elements" not in root


async def test_not_found_is_the_same_plain_text(gateway, auth):
    path = f"/Invoices/{uuid.uuid4()}"
    answers = [await call(gateway, auth, "GET", path, accept=accept) for accept in ("application/json", None)]
    assert answers[0] == answers[1]
    status, content_type, body = answers[0]
    assert status == 404 and content_type.startswith("text/plain") and b"cannot be found" in body


async def test_summarize_errors_false_answers_xml_elements(gateway, auth):
    body = {"Invoices": [{"Type": "ACCREC", "LineItems": [{"Description": "No contact", "Quantity": 1,
                                                              "UnitAmount": 10, "AccountCode": "200"}]}]}
    path = "/Invoices?summarizeErrors=false"
    _, _, json_body = await call(gateway, auth, "POST", path, accept="application/json", json=body)
    status, content_type, xml_body = await call(gateway, auth, "POST", path, accept=None, json=body)
    assert (status, content_type) == (200, XML_CONTENT_TYPE)
    js = assert_same_envelope(xml_body, json_body, "Invoices")
    assert js["Invoices"][0]["StatusAttributeString"] == "ERROR"


# --- negotiation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "xml"), [
    (None, True),
    ("", True),
    ("application/json", False),
    ("text/xml", True),
    ("application/xml", True),
    ("application/xml;q=0.9, application/json", True),
    ("application/json, text/xml", False),
    ("*/*", False),
])
async def test_accept_picks_the_format(gateway, auth, accept, xml):
    status, content_type, body = await call(gateway, auth, "GET", "/TaxRates", accept=accept)
    assert status == 200
    if xml:
        assert content_type == XML_CONTENT_TYPE and body.startswith(b"<Response ")
        assert read_xml(body)["Response"]["Status"] == "OK"
    else:
        assert content_type.startswith("application/json") and json.loads(body)["Status"] == "OK"


async def test_pdf_is_unchanged(gateway, auth):
    _, _, listed = await call(gateway, auth, "GET", "/Invoices?page=1", accept="application/json")
    invoice_id = json.loads(listed)["Invoices"][0]["InvoiceID"]
    status, content_type, body = await call(gateway, auth, "GET", f"/Invoices/{invoice_id}",
                                            accept="application/pdf")
    assert (status, content_type) == (200, "application/pdf") and body.startswith(b"%PDF")
