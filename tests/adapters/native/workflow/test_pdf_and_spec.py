"""Document PDFs (real PDFs with the document's number, organisation, contact and totals) and the adapter's
workflow answers rendered in Xero's envelope against Xero's spec."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from pypdf import PdfReader

from adapters.native.resources import pdf
from gateway.xero import models as xm
from gateway.xero.envelope import build_envelope
from gateway.xero.errors import NotFound, OperationNotSupported
from gateway.xero.models.workflow import Quote

from .conftest import bill_element, call, invoice_element, purchase_order_element, quote_element


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_invoice_pdf_shows_the_document(adapter) -> None:
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element(Reference="Spring term")])).items[0]
    result = await call(adapter, "getInvoiceAsPdf", path={"InvoiceID": invoice.InvoiceID})
    assert result.content_type == "application/pdf" and result.content.startswith(b"%PDF-")
    text = _text(result.content)
    for expected in (invoice.InvoiceNumber, "INVOICE", "Demo Company (UK)", "Meridian University", "Manchester",
                     "Consulting", "Spring term", "200.00", "40.00", "240.00", "Amount Due"):
        assert expected in text, expected
    by_number = await call(adapter, "getInvoiceAsPdf", path={"InvoiceID": invoice.InvoiceNumber})
    assert invoice.InvoiceNumber in _text(by_number.content)


async def test_bill_quote_and_purchase_order_pdfs(adapter) -> None:
    bill = (await call(adapter, "createInvoices", elements=[bill_element()])).items[0]
    assert "BILL" in _text((await call(adapter, "getInvoiceAsPdf", path={"InvoiceID": bill.InvoiceID})).content)
    quote = (await call(adapter, "createQuotes", elements=[quote_element(Terms="Valid 30 days")])).items[0]
    text = _text((await call(adapter, "getQuoteAsPdf", path={"QuoteID": quote.QuoteID})).content)
    assert all(s in text for s in (quote.QuoteNumber, "QUOTE", "Website refresh", "Valid 30 days", "144.00"))
    order = (await call(adapter, "createPurchaseOrders", elements=[purchase_order_element()])).items[0]
    text = _text((await call(adapter, "getPurchaseOrderAsPdf",
                             path={"PurchaseOrderID": order.PurchaseOrderID})).content)
    assert all(s in text for s in (order.PurchaseOrderNumber, "PURCHASE ORDER", "Greenfield Office Supplies",
                                   "Stores", "30.00"))
    with pytest.raises(NotFound):
        await call(adapter, "getQuoteAsPdf", path={"QuoteID": "00000000-0000-0000-0000-000000000003"})


async def test_credit_note_pdf_needs_credit_notes(adapter, monkeypatch) -> None:
    if getattr(adapter, "get_credit_note", None) is None:
        with pytest.raises(OperationNotSupported):
            await call(adapter, "getCreditNoteAsPdf", path={"CreditNoteID": "00000000-0000-0000-0000-000000000004"})
    else:
        with pytest.raises(NotFound):
            await call(adapter, "getCreditNoteAsPdf", path={"CreditNoteID": "00000000-0000-0000-0000-000000000004"})


def test_render_handles_long_text_and_non_latin_names() -> None:
    organisation = xm.Organisation(Name="Łódź Trading", BaseCurrency="GBP")
    quote = Quote(QuoteNumber="QU-9", Contact=xm.Contact(Name="Zoë & Søn"), Date=dt.date(2026, 1, 2),
                  LineItems=[xm.LineItem(Description="word " * 300, Quantity=Decimal("1.5"),
                                         UnitAmount=Decimal("10"), LineAmount=Decimal("15"))] * 30,
                  SubTotal=Decimal("450"), TotalTax=Decimal("0"), Total=Decimal("450"), LineAmountTypes="NOTAX")
    content = pdf.render(pdf.from_model("QUOTE", quote, organisation=organisation))
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 1 and "QU-9" in reader.pages[0].extract_text()
    assert "Zoë & Søn" in reader.pages[0].extract_text()


def _validate(xero_spec, method: str, path: str, key: str, result) -> None:
    body = build_envelope(key, result.items, provider_name="Tests", pagination=result.pagination)
    xero_spec.validate_response(method, path, 200, json.dumps(body), {"Content-Type": "application/json"})


async def test_answers_match_the_spec(adapter, xero_spec) -> None:
    quote = await call(adapter, "createQuotes", elements=[quote_element()])
    _validate(xero_spec, "PUT", "/Quotes", "Quotes", quote)
    quote_id = quote.items[0].QuoteID
    _validate(xero_spec, "GET", "/Quotes", "Quotes", await call(adapter, "getQuotes", page=1))
    _validate(xero_spec, "GET", f"/Quotes/{quote_id}", "Quotes", await call(adapter, "getQuote",
                                                                             path={"QuoteID": quote_id}))
    order = await call(adapter, "createPurchaseOrders", summarize_errors=False,
                       elements=[purchase_order_element(), {"Contact": {}}])
    _validate(xero_spec, "PUT", "/PurchaseOrders", "PurchaseOrders", order)
    _validate(xero_spec, "GET", "/PurchaseOrders", "PurchaseOrders", await call(adapter, "getPurchaseOrders", page=1))
    notes = await call(adapter, "createQuoteHistory", path={"QuoteID": quote_id}, elements=[{"Details": "Hi"}])
    _validate(xero_spec, "PUT", f"/Quotes/{quote_id}/History", "HistoryRecords", notes)
    _validate(xero_spec, "GET", f"/Quotes/{quote_id}/History", "HistoryRecords",
              await call(adapter, "getQuoteHistory", path={"QuoteID": quote_id}))
    bill = (await call(adapter, "createInvoices", elements=[bill_element()])).items[0]
    linked = await call(adapter, "createLinkedTransaction", elements=[{
        "SourceTransactionID": bill.InvoiceID, "SourceLineItemID": bill.LineItems[0].LineItemID}])
    _validate(xero_spec, "PUT", "/LinkedTransactions", "LinkedTransactions", linked)
    _validate(xero_spec, "GET", "/LinkedTransactions", "LinkedTransactions",
              await call(adapter, "getLinkedTransactions"))
