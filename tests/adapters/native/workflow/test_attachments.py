"""Attachments at the adapter: storage on disk, replacing by name, limits, IncludeOnline, sanitised names,
tenant scoping, and no file left behind by a rolled-back upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.common import attachments as common_attachments
from adapters.native.resources import attachments
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.request import ListQuery
from tests.adapters.native.core.conftest import ctx
from tests.front import xero_request

from .conftest import call, invoice_element, purchase_order_element


def _upload(name: str, content: bytes, mime: str = "text/plain") -> dict:
    return {"FileName": name, "MimeType": mime, "ContentLength": len(content), "Content": content}


async def _put(adapter, operation: str, path: dict, name: str, content: bytes, **params: str):
    method = adapter.operation(operation)
    req = xero_request(operation, method="PUT", path_params={**path, "FileName": name},
                       params=params, elements=[_upload(name, content)], query=ListQuery())
    return await method(ctx(), req)


def _files(adapter) -> list[Path]:
    root = adapter.settings.data_dir / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_files_live_under_the_tenant_and_are_replaced_by_name(adapter) -> None:
    order = (await call(adapter, "createPurchaseOrders", elements=[purchase_order_element()])).items[0]
    path = {"PurchaseOrderID": order.PurchaseOrderID}
    first = (await _put(adapter, "createPurchaseOrderAttachmentByFileName", path, "quote.txt", b"one")).items[0]
    assert [p.name for p in _files(adapter)] == [first.AttachmentID]
    assert _files(adapter)[0].parent.name == ctx().tenant_id
    second = (await _put(adapter, "updatePurchaseOrderAttachmentByFileName", path, "QUOTE.txt", b"two")).items[0]
    assert second.AttachmentID != first.AttachmentID and second.FileName == "QUOTE.txt"
    assert [p.name for p in _files(adapter)] == [second.AttachmentID]  # the replaced file is gone
    got = await call(adapter, "getPurchaseOrderAttachmentByFileName", path={**path, "FileName": "quote.TXT"})
    assert got.content == b"two"
    assert (await call(adapter, "getPurchaseOrder", path=path)).items[0].HasAttachments is True
    with pytest.raises(NotFound):
        await call(adapter, "getPurchaseOrderAttachmentById", path={**path, "AttachmentID": first.AttachmentID})


async def test_limits_and_include_online(adapter, monkeypatch) -> None:
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element()])).items[0]
    path = {"InvoiceID": invoice.InvoiceID}
    for n in range(attachments.MAX_PER_DOCUMENT):
        await _put(adapter, "createInvoiceAttachmentByFileName", path, f"f{n}.txt", b"x")
    with pytest.raises(ValidationException) as err:
        await _put(adapter, "createInvoiceAttachmentByFileName", path, "eleventh.txt", b"x")
    assert "at most 10 attachments" in str(err.value.elements)
    await _put(adapter, "createInvoiceAttachmentByFileName", path, "f0.txt", b"replaced")  # replacing is fine
    listed = (await call(adapter, "getInvoiceAttachments", path=path)).items
    assert len(listed) == attachments.MAX_PER_DOCUMENT and len(_files(adapter)) == attachments.MAX_PER_DOCUMENT

    monkeypatch.setattr(attachments, "MAX_BYTES", 4)
    with pytest.raises(ValidationException):
        await _put(adapter, "updateInvoiceAttachmentByFileName", path, "f1.txt", b"12345")

    bill = (await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"}, InvoiceNumber="B-9",
        LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "429",
                    "TaxType": "INPUT2"}])])).items[0]
    with pytest.raises(ValidationException) as err:
        await _put(adapter, "createInvoiceAttachmentByFileName", {"InvoiceID": bill.InvoiceID}, "a.txt", b"x",
                   IncludeOnline="true")
    assert "IncludeOnline" in str(err.value.elements)
    shown = (await _put(adapter, "createInvoiceAttachmentByFileName", path, "f2.txt", b"y",
                        includeonline="TRUE")).items[0]
    assert shown.IncludeOnline is True


async def test_client_file_names_never_reach_the_file_system(adapter) -> None:
    contact = (await call(adapter, "getContacts", where='Name=="Ivy Lane Bakery"')).items[0]
    path = {"ContactID": contact.ContactID}
    with pytest.raises(ValidationException):  # a path (or NUL) in the name is refused, not cut down (issue 11)
        await _put(adapter, "createContactAttachmentByFileName", path, "../../etc/pass\x00wd", b"x")
    made = (await _put(adapter, "createContactAttachmentByFileName", path, "passwd", b"x")).items[0]
    assert made.FileName == "passwd" and made.MimeType == "text/plain"
    assert all(p.is_relative_to(adapter.settings.data_dir / "attachments") for p in _files(adapter))
    with pytest.raises(ValidationException):
        await _put(adapter, "createContactAttachmentByFileName", path, "..", b"x")
    assert common_attachments.sanitise_file_name("a\\b/c d.pdf ") == "c d.pdf"
    assert common_attachments.mime_type_for("scan.pdf", "application/octet-stream") == "application/pdf"
    assert common_attachments.mime_type_for("blob", "") == "application/octet-stream"


async def test_rolled_back_upload_leaves_no_file(adapter, monkeypatch) -> None:
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element()])).items[0]

    async def fail(*args, **kwargs):
        raise RuntimeError("history store down")

    monkeypatch.setattr("adapters.native.resources.history.record", fail)
    with pytest.raises(RuntimeError):
        await _put(adapter, "createInvoiceAttachmentByFileName", {"InvoiceID": invoice.InvoiceID}, "a.txt", b"x")
    assert _files(adapter) == []
    assert (await call(adapter, "getInvoiceAttachments", path={"InvoiceID": invoice.InvoiceID})).items == []


async def test_parent_must_exist(adapter) -> None:
    with pytest.raises(NotFound):
        await _put(adapter, "createQuoteAttachmentByFileName", {"QuoteID": "00000000-0000-0000-0000-00000000000a"},
                   "a.txt", b"x")
    with pytest.raises(NotFound):
        await call(adapter, "getAccountAttachments", path={"AccountID": "00000000-0000-0000-0000-00000000000a"})
    account = (await call(adapter, "getAccounts", where='Code=="200"')).items[0]
    made = (await _put(adapter, "createAccountAttachmentByFileName", {"AccountID": account.AccountID},
                       "chart.csv", b"a,b")).items[0]
    assert made.MimeType == "text/plain" and made.Url.endswith(f"/Accounts/{account.AccountID}/Attachments/chart.csv")
