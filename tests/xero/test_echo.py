"""The fields filled into a failed element's echo (:mod:`gateway.xero.echo`) are the spec's required ones, and
an echo of nothing validates against each resource's schema."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gateway.xero.echo import REQUIRED, REQUIRED_OF_ITEMS, TRACKING_REFERENCE, fill_required
from gateway.xero.models import dump
from gateway.xero.models.catalogue import Item
from gateway.xero.models.documents import Allocation, BankTransaction, BankTransfer, CreditNote, ManualJournal
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

#: Schemas with a ``required`` list that are request bodies only (deletions), never echoed as elements.
NOT_ECHOED = {"BankTransferDelete", "BankTransferDeleteByUrlParam", "BatchPaymentDelete",
              "BatchPaymentDeleteByUrlParam", "PaymentDelete"}


def test_the_filled_fields_are_the_specs_required_ones(xero_spec):  # noqa: F811
    schemas = xero_spec.spec["components"]["schemas"]
    required = {name: set(schema["required"]) for name, schema in schemas.items()
                if schema.get("required") and name not in NOT_ECHOED}
    filled = {name: set(fields) for name, fields in REQUIRED.items()}
    filled["TrackingReference"] = set(TRACKING_REFERENCE)
    assert filled == required
    assert set(REQUIRED_OF_ITEMS["BankTransfer"]) == {
        name for name, field in schemas["BankTransfer"]["properties"].items()
        if field.get("items", {}).get("$ref") == "#/components/schemas/TrackingReference"}


@pytest.mark.parametrize(("model", "method", "path", "collection"), [
    (BankTransaction, "PUT", "/BankTransactions", "BankTransactions"),
    (BankTransfer, "PUT", "/BankTransfers", "BankTransfers"),
    (Item, "PUT", "/Items", "Items"),
    (ManualJournal, "PUT", "/ManualJournals", "ManualJournals"),
    (Allocation, "PUT", "/CreditNotes/0d64a2ab-0a2c-4a0f-a2f8-3c5b1b8e8e11/Allocations", "Allocations"),
])
def test_an_echo_of_nothing_conforms_once_filled(xero_spec, model, method, path, collection):  # noqa: F811
    echo = model.model_validate({"StatusAttributeString": "ERROR", "FromTracking": [{"Name": "Region"}]})
    body = json.dumps({collection: [dump(fill_required(echo))]})
    xero_spec.validate_response(method, path, 200, body, {"Content-Type": "application/json"})
    with pytest.raises(AssertionError, match="required property"):
        xero_spec.validate_response(method, path, 200, json.dumps({collection: [{"StatusAttributeString": "ERROR"}]}),
                                    {"Content-Type": "application/json"})


def test_fill_keeps_what_was_sent_and_reaches_nested_elements():
    echo = BankTransaction.model_validate({"Type": "SPEND", "BankAccount": {"Code": "090"}})
    fill_required(echo)
    assert echo.Type == "SPEND" and echo.BankAccount.Code == "090" and echo.LineItems == []
    note = CreditNote.model_validate({"Type": "ACCRECCREDIT", "Allocations": [{"Amount": "5.00"}]})
    (allocation,) = fill_required(note).Allocations
    assert allocation.Amount == Decimal("5.00") and allocation.Invoice is not None and allocation.Date is not None
