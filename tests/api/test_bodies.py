"""Request bodies: JSON envelopes, single objects, XML as pyxero writes it, and bad bodies (400)."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from xero.manager import Manager

from gateway.api.body import elements_from_data
from gateway.api.operations import load_operations
from gateway.xero.errors import PostDataInvalidException
from gateway.xero.xmlbody import parse_xml_body
from tests.api.fake_adapter import CONTACT_ID, INVOICE_ID

INVOICE = {
    "Type": "ACCREC",
    "Contact": {"ContactID": CONTACT_ID},
    "Date": date(2024, 1, 15),
    "DueDate": date(2024, 2, 14),
    "LineAmountTypes": "Exclusive",
    "Reference": "R&D <phase 1>",
    "SentToContact": False,
    "LineItems": [
        {"Description": "Consulting", "Quantity": 2, "UnitAmount": "50.00", "AccountCode": "200",
         "Tracking": [{"Name": "Region", "Option": "North"}]},
        {"Description": "Travel", "Quantity": 1, "UnitAmount": "12.50", "AccountCode": "400"},
    ],
}
CONTACT = {
    "Name": "Bayside Club",
    "IsCustomer": True,
    "Addresses": [{"AddressType": "POBOX", "AddressLine1": "PO Box 1", "City": "Ridge"},
                  {"AddressType": "STREET", "AddressLine1": "1 Bay St"}],
    "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "555-1234"}],
    "ContactPersons": [{"FirstName": "Ann", "LastName": "Lee", "IncludeInEmails": True}],
}


def pyxero_xml(manager_name: str, data) -> bytes:
    """The exact body pyxero 0.9.5 sends for ``Xero(...).<manager>.put(data)`` / ``.save(data)``."""
    manager = Manager(manager_name, SimpleNamespace(base_url="http://gateway.test/1000"))
    return manager._prepare_data_for_save(data)


def test_pyxero_invoice_list_xml():
    body = pyxero_xml("Invoices", [INVOICE])
    assert body.startswith(b"<Invoices><Invoice>")
    data = parse_xml_body(body)
    assert list(data) == ["Invoices"] and len(data["Invoices"]) == 1
    invoice = data["Invoices"][0]
    assert invoice["Contact"] == {"ContactID": CONTACT_ID}
    assert invoice["Date"] == "2024-01-15T00:00:00" and invoice["SentToContact"] == "false"
    assert invoice["Reference"] == "R&D <phase 1>"
    assert [li["Description"] for li in invoice["LineItems"]] == ["Consulting", "Travel"]
    assert invoice["LineItems"][0]["Tracking"] == [{"Name": "Region", "Option": "North"}]
    assert invoice["LineItems"][0]["UnitAmount"] == "50.00"
    elements = elements_from_data(data, load_operations()["createInvoices"])
    assert elements == [invoice]


def test_pyxero_single_object_xml():
    body = pyxero_xml("Contacts", CONTACT)
    assert body.startswith(b"<Contact>")
    data = parse_xml_body(body)
    assert data["Name"] == "Bayside Club" and data["IsCustomer"] == "true"
    assert data["Addresses"] == [{"AddressType": "POBOX", "AddressLine1": "PO Box 1", "City": "Ridge"},
                                 {"AddressType": "STREET", "AddressLine1": "1 Bay St"}]
    assert data["Phones"] == [{"PhoneType": "MOBILE", "PhoneNumber": "555-1234"}]  # one child: still a list
    assert data["ContactPersons"] == [{"FirstName": "Ann", "LastName": "Lee", "IncludeInEmails": "true"}]
    assert elements_from_data(data, load_operations()["createContacts"]) == [data]


def test_xml_and_json_give_the_same_elements():
    op = load_operations()["createContacts"]
    from_xml = elements_from_data(parse_xml_body(pyxero_xml("Contacts", [CONTACT])), op)
    as_text = json.loads(json.dumps({"Contacts": [CONTACT]}), parse_int=str, parse_constant=str)
    as_text["Contacts"][0]["IsCustomer"] = "true"
    as_text["Contacts"][0]["ContactPersons"][0]["IncludeInEmails"] = "true"
    assert from_xml == elements_from_data(as_text, op)


def test_xml_edge_shapes():
    assert parse_xml_body(b"<Invoices/>") == {"Invoices": []}
    assert parse_xml_body(b"<RequestEmpty/>") == {}
    # A known container with one child keeps list shape; an object container with distinct children does not.
    data = parse_xml_body(b"<Contact><Name>x</Name><BatchPayments><Details>d</Details><Code>c</Code>"
                          b"</BatchPayments></Contact>")
    assert data == {"Name": "x", "BatchPayments": {"Details": "d", "Code": "c"}}
    # Repeated children without a container element, namespaces and empty leaves.
    data = parse_xml_body(b'<x:Item xmlns:x="urn:x"><x:Code>A</x:Code><Note>1</Note><Note>2</Note>'
                          b"<Description/></x:Item>")
    assert data == {"Code": "A", "Note": ["1", "2"], "Description": ""}
    # A root holding several objects of one kind is a collection even if unknown.
    assert parse_xml_body(b"<Things><Thing><A>1</A></Thing><Thing><A>2</A></Thing></Things>") == {
        "Things": [{"A": "1"}, {"A": "2"}]}


@pytest.mark.parametrize("body", [
    b"<Invoices><Invoice>",
    b"not xml at all <",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Invoice><Reference>&a;</Reference></Invoice>',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><Invoice/>',
    b"<Invoice>text only</Invoice>",
])
def test_bad_xml_is_post_data_invalid(body):
    with pytest.raises(PostDataInvalidException):
        parse_xml_body(body)


def test_deeply_nested_xml_is_refused_not_crashed():
    depth = 5000
    body = b"<Invoice>" + b"<A>" * depth + b"x" + b"</A>" * depth + b"</Invoice>"
    with pytest.raises(PostDataInvalidException):
        parse_xml_body(body)


@pytest.mark.parametrize("operation_id, data, expected", [
    ("createInvoices", {"Invoices": [{"Type": "ACCREC"}]}, [{"Type": "ACCREC"}]),
    ("createInvoices", {"invoices": [{"Type": "ACCREC"}, {"Type": "ACCPAY"}]},
     [{"Type": "ACCREC"}, {"Type": "ACCPAY"}]),
    ("createInvoices", {"Type": "ACCREC"}, [{"Type": "ACCREC"}]),  # bare object
    ("createInvoices", [{"Type": "ACCREC"}], [{"Type": "ACCREC"}]),  # bare list
    ("createInvoices", {"Invoices": {"Type": "ACCREC"}}, [{"Type": "ACCREC"}]),
    ("createPayment", {"Amount": 1, "Invoice": {"InvoiceID": INVOICE_ID}},
     [{"Amount": 1, "Invoice": {"InvoiceID": INVOICE_ID}}]),
    ("createPayment", {"Payments": [{"Amount": 1}]}, [{"Amount": 1}]),  # envelope tolerated
    ("createAccount", {"Code": "201", "Name": "Sales 2"}, [{"Code": "201", "Name": "Sales 2"}]),
    ("createTrackingCategory", {"Name": "Region", "Options": [{"Name": "North"}]},
     [{"Name": "Region", "Options": [{"Name": "North"}]}]),
    ("postSetup", {"ConversionBalances": [{"AccountCode": "200"}]}, [{"ConversionBalances": [{"AccountCode": "200"}]}]),
    ("deleteBankTransfers", {"BankTransfers": [{"BankTransferID": INVOICE_ID, "Status": "DELETED"}]},
     [{"BankTransferID": INVOICE_ID, "Status": "DELETED"}]),
    ("createInvoiceHistory", {"HistoryRecords": [{"Details": "Hello"}]}, [{"Details": "Hello"}]),
])
def test_json_shapes(operation_id, data, expected):
    assert elements_from_data(data, load_operations()[operation_id]) == expected


@pytest.mark.parametrize("data", ["text", 12, None, [1, 2], {"Invoices": ["x"]}])
def test_json_shapes_refused(data):
    with pytest.raises(PostDataInvalidException):
        elements_from_data(data, load_operations()["createInvoices"])


async def test_json_put_invoices(api, adapter, xero_spec):
    payload = {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": CONTACT_ID}, "Date": "/Date(1705276800000)/",
                             "LineItems": [{"Description": "Consulting", "Quantity": 2.0, "UnitAmount": 50.0,
                                            "AccountCode": "200"}]}]}
    resp, body = await api.call("PUT", "/Invoices", json=payload, headers={"Idempotency-Key": "key-1"})
    assert resp.status == 200
    call = adapter.calls[-1]
    assert call.operation_id == "createInvoices" and call.method == "PUT"
    assert call.elements == payload["Invoices"] and call.idempotency_key == "key-1"
    made = json.loads(body)["Invoices"][0]
    assert made["Date"] == "/Date(1705276800000+0000)/" and made["DateString"] == "2024-01-15T00:00:00"


async def test_json_post_single_payment(api, adapter):
    payment = {"Invoice": {"InvoiceID": INVOICE_ID}, "Account": {"Code": "090"}, "Date": "2024-03-20",
               "Amount": 120.0}
    resp, body = await api.call("POST", "/Payments", json=payment)
    assert resp.status == 200
    assert adapter.calls[-1].operation_id == "createPayment" and adapter.calls[-1].elements == [payment]
    data = json.loads(body)
    assert data["Payments"][0]["Amount"] == 120 and data["Payments"][0]["Date"] == "/Date(1710892800000+0000)/"


async def test_xml_put_from_pyxero_over_http(api, adapter):
    body = pyxero_xml("Invoices", [INVOICE])
    resp, out = await api.call("PUT", "/Invoices", data=body, headers={"Content-Type": "application/xml"})
    assert resp.status == 200, out
    element = adapter.calls[-1].elements[0]
    assert element["LineItems"][1]["UnitAmount"] == "12.50"
    made = json.loads(out)["Invoices"][0]
    assert made["LineItems"][0]["Tracking"] == [{"Name": "Region", "Option": "North"}]
    assert made["Reference"] == "R&D <phase 1>"


async def test_xml_sniffed_without_content_type(api, adapter):
    body = pyxero_xml("Contacts", CONTACT)
    resp, out = await api.call("PUT", "/Contacts", data=body, headers={"Content-Type": "text/plain"})
    assert resp.status == 200, out
    assert adapter.calls[-1].elements[0]["Phones"] == [{"PhoneType": "MOBILE", "PhoneNumber": "555-1234"}]


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"Invoices": [{"Type": "ACCREC",}]}'),
    ("application/json", b'{"Invoices": '),
    ("application/json", b"\xff\xfe not utf-8"),
    ("application/json", b'"just a string"'),
    ("application/xml", b"<Invoices><Invoice></Invoices>"),
])
async def test_unparseable_bodies_are_400(api, adapter, content_type, body):
    calls = len(adapter.calls)
    resp, out = await api.call("PUT", "/Invoices", data=body, headers={"Content-Type": content_type})
    assert resp.status == 400
    data = json.loads(out)
    assert data["Type"] == "PostDataInvalidException" and data["ErrorNumber"] == 14 and data["Message"]
    assert len(adapter.calls) == calls  # the adapter never saw it


async def test_attachment_upload_is_binary(api, adapter):
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    resp, out = await api.call("PUT", f"/Invoices/{INVOICE_ID}/Attachments/scan.png", data=content,
                               headers={"Content-Type": "image/png"})
    assert resp.status == 200, out
    element = adapter.calls[-1].elements[0]
    assert element["Content"] == content and element["MimeType"] == "image/png"
    assert element["FileName"] == "scan.png" and element["ContentLength"] == len(content)
    assert json.loads(out)["Attachments"][0]["ContentLength"] == len(content)


async def test_body_over_10_mb_is_refused(api, adapter):
    resp, _ = await api.call("PUT", "/Invoices", data=b"[" + b" " * (10 * 1024 * 1024) + b"]",
                             headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert not any(c.operation_id == "createInvoices" for c in adapter.calls)


async def test_idempotency_key_longer_than_128_is_400(api):
    resp, out = await api.call("PUT", "/Invoices", json={"Invoices": []}, headers={"Idempotency-Key": "k" * 129})
    assert resp.status == 400 and "Idempotency-Key" in json.loads(out)["Elements"][0]["ValidationErrors"][0]["Message"]


async def test_a_write_over_xeros_request_size_is_refused_before_it_is_read(client, auth):
    """Xero: no limit on elements, but a request of at most 3.5 MB (xero-api-limits); 413 in the Error shape."""
    from gateway.api.body import MAX_WRITE_BODY

    big = b'{"Invoices": [' + b'{"Type": "ACCREC"},' * (MAX_WRITE_BODY // 19) + b'{"Type": "ACCREC"}]}'
    response = await client.put("/1000/api.xro/2.0/Invoices", data=big,
                                headers={**auth, "Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["Type"] == "RequestTooLarge"
