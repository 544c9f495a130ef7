"""Items, and item defaults on invoice lines (direct adapter calls)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import NotFound, ValidationException

from .conftest import call, invoice_element


def _messages(exc: ValidationException, index: int = 0) -> list[str]:
    return [e["Message"] for e in exc.elements[index]["ValidationErrors"]]


async def test_demo_items_listed_by_code(adapter) -> None:
    items = (await call(adapter, "getItems")).items
    codes = [i.Code for i in items]
    assert codes == sorted(codes) and "CONSULT-HR" in codes
    lighting = next(i for i in items if i.Code == "LIGHTING")
    assert lighting.IsSold and lighting.IsPurchased and lighting.IsTrackedAsInventory is False
    assert lighting.SalesDetails.UnitPrice == Decimal("35.00") and lighting.SalesDetails.AccountCode == "200"
    assert lighting.PurchaseDetails.TaxType == "RRINPUT"
    consult = next(i for i in items if i.Code == "CONSULT-HR")
    assert consult.IsPurchased is False and consult.PurchaseDetails.UnitPrice is None
    (by_id,) = (await call(adapter, "getItem", path={"ItemID": lighting.ItemID})).items
    (by_code,) = (await call(adapter, "getItem", path={"ItemID": "lighting"})).items
    assert by_id.ItemID == by_code.ItemID == lighting.ItemID
    filtered = (await call(adapter, "getItems", where='SalesDetails.UnitPrice > 500', order="Code DESC")).items
    assert [i.Code for i in filtered] == ["SUPPORT-YR", "INSTALL"]


async def test_create_update_upsert_delete(adapter) -> None:
    (item,) = (await call(adapter, "createItems", unitdp=4, elements=[{
        "Code": "WIDGET", "Name": "Widget", "Description": "A widget",
        "SalesDetails": {"UnitPrice": "12.34567", "AccountCode": "200", "TaxType": "OUTPUT2"},
        "PurchaseDetails": {"UnitPrice": 5, "AccountCode": "310"}}])).items
    assert item.StatusAttributeString == "OK" and item.SalesDetails.UnitPrice == Decimal("12.3457")
    assert item.PurchaseDetails.AccountCode == "310" and item.PurchaseDetails.TaxType is None
    (two_dp,) = (await call(adapter, "getItem", path={"ItemID": item.ItemID})).items
    assert two_dp.SalesDetails.UnitPrice == Decimal("12.35")
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createItems", elements=[{"Code": "widget"}])
    assert _messages(exc.value) == ["Price List Item with Code ''widget'' already exists"]
    (upserted,) = (await call(adapter, "updateOrCreateItems", elements=[{"Code": "WIDGET", "Name": "Widget v2"}])).items
    assert upserted.ItemID == item.ItemID and upserted.Name == "Widget v2" and upserted.Description == "A widget"
    (unsold,) = (await call(adapter, "updateItem", path={"ItemID": item.ItemID}, elements=[{"IsSold": False}])).items
    assert unsold.IsSold is False and unsold.Description is None and unsold.SalesDetails.UnitPrice is None
    assert unsold.PurchaseDetails.UnitPrice == Decimal("5.00")
    result = await call(adapter, "deleteItem", path={"ItemID": item.ItemID})
    assert result.items == [] and result.status == 200
    with pytest.raises(NotFound):
        await call(adapter, "getItem", path={"ItemID": item.ItemID})
    with pytest.raises(NotFound):
        await call(adapter, "deleteItem", path={"ItemID": item.ItemID})


@pytest.mark.parametrize(("element", "message"), [
    ({"Name": "No code"}, "Item Code must be specified."),
    ({"Code": "X" * 31}, "Item Code must be 30 characters or less."),
    ({"Code": "BAD-ACC", "SalesDetails": {"AccountCode": "090"}},
     "Account code '090' is not a valid code for this item."),
    ({"Code": "BAD-TAX", "SalesDetails": {"AccountCode": "200", "TaxType": "INPUT2"}},
     "The TaxType code 'INPUT2' cannot be used with account code '200'."),
    ({"Code": "TRACKED", "InventoryAssetAccountCode": "630", "PurchaseDetails": {"COGSAccountCode": "310"}},
     "Tracked inventory items are not supported by this organisation's ledger."),
])
async def test_invalid_items(adapter, element, message) -> None:
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createItems", elements=[element])
    assert message in _messages(exc.value)


async def test_partial_success(adapter) -> None:
    good, bad = (await call(adapter, "createItems", summarize_errors=False,
                            elements=[{"Code": "OK-1"}, {"Code": "CONSULT-HR"}])).items
    assert good.StatusAttributeString == "OK" and bad.StatusAttributeString == "ERROR"
    assert [e.Message for e in bad.ValidationErrors] == ["Price List Item with Code ''CONSULT-HR'' already exists"]
    assert "OK-1" in {i.Code for i in (await call(adapter, "getItems")).items}


async def test_invoice_line_takes_item_defaults(adapter) -> None:
    element = invoice_element(LineItems=[{"ItemCode": "consult-hr", "Quantity": 3},
                                         {"ItemCode": "LIGHTING", "Quantity": 1, "UnitAmount": 40,
                                          "Description": "Own words"}])
    (inv,) = (await call(adapter, "createInvoices", elements=[element])).items
    first, second = inv.LineItems
    assert (first.ItemCode, first.Description, first.UnitAmount, first.AccountCode, first.TaxType) == (
        "CONSULT-HR", "Consulting services - hourly", Decimal("120.00"), "200", "OUTPUT2")
    assert first.LineAmount == Decimal("360.00") and first.TaxAmount == Decimal("72.00")
    assert (second.Description, second.UnitAmount, second.TaxType) == ("Own words", Decimal("40.00"), "RROUTPUT")
    bill = invoice_element(Type="ACCPAY", InvoiceNumber="B-1", Contact={"Name": "Brightwire Electrical Supplies"},
                           LineItems=[{"ItemCode": "LIGHTING", "Quantity": 10}])
    (line,) = (await call(adapter, "createInvoices", elements=[bill])).items[0].LineItems
    assert (line.Description, line.UnitAmount, line.AccountCode, line.TaxType) == (
        "LED lighting units (trade)", Decimal("18.00"), "310", "RRINPUT")


async def test_unknown_item_code_on_a_line(adapter) -> None:
    with pytest.raises(ValidationException) as exc:
        await call(adapter, "createInvoices", elements=[invoice_element(LineItems=[
            {"ItemCode": "NOPE", "Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "200"}])])
    assert "Item code 'NOPE' is not valid." in _messages(exc.value)


async def test_deleting_an_item_leaves_its_invoices_editable(adapter) -> None:
    element = invoice_element(Status="DRAFT", LineItems=[{"ItemCode": "RENTAL", "Quantity": 2}])
    (inv,) = (await call(adapter, "createInvoices", elements=[element])).items
    rental = next(i for i in (await call(adapter, "getItems")).items if i.Code == "RENTAL")
    await call(adapter, "deleteItem", path={"ItemID": rental.ItemID})
    (edited,) = (await call(adapter, "updateInvoice", path={"InvoiceID": inv.InvoiceID},
                            elements=[{"Reference": "still editable"}])).items
    assert edited.Reference == "still editable" and edited.LineItems[0].ItemCode == "RENTAL"
    with pytest.raises(ValidationException) as exc:  # a new line cannot name the deleted item
        await call(adapter, "updateInvoice", path={"InvoiceID": inv.InvoiceID}, elements=[{"LineItems": [
            {"ItemCode": "RENTAL", "Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "260"}]}])
    assert "Item code 'RENTAL' is not valid." in _messages(exc.value)
