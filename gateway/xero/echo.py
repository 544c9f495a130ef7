"""The fields the spec requires of an element answered with errors, filled when the failed element lacks them.

The front end fills them when it renders an answer to ``summarizeErrors=false`` (:func:`fill_failed`, called by
:func:`gateway.api.render.render_result`), whatever adapter echoed the element: the answer's shape is the spec's.

With ``summarizeErrors=false`` Xero answers HTTP 200 and echoes every element, a failed one with
``StatusAttributeString`` ``"ERROR"`` and its ``ValidationErrors`` (shared/notes/xero-contract.md §2; the 200 example
of ``PUT /BankTransactions`` in ``xero_accounting.yaml``). The echo is the element as it could be read, so a field the
client left out (or sent in a form that does not read) is missing, while the response schema requires some fields
(``components.schemas.<name>.required``): ``BankTransaction`` ``Type``, ``LineItems``, ``BankAccount``;
``BankTransfer`` ``FromBankAccount``, ``ToBankAccount``, ``Amount``; ``Item`` ``Code``; ``ManualJournal``
``Narration``; ``Allocation`` ``Amount``, ``Invoice``, ``Date``; and ``TrackingReference`` (a bank transfer's
``FromTracking``/``ToTracking`` item) ``TrackingCategoryID``, ``TrackingOptionID``. :func:`fill_required` gives a
missing one the value Xero writes for a value that was never set, as the spec's examples show them:

- text: ``""`` (``Reference: ""`` of the failed bank transaction in the example above);
- amounts: ``0`` (``TaxAmount: 0.00`` and ``TotalDiscount: 0.00`` in the examples);
- lists: ``[]`` (``Tracking: []``, ``ValidationErrors: []`` in the example above);
- a record referred to: its id as the zero GUID (``AccountID: 00000000-0000-0000-0000-000000000000`` of the failed
  account echoed by the 400 example of ``PUT /Accounts``; ``InvoiceID`` likewise in the ``PUT /BatchPayments``
  example);
- a date: ``/Date(-62135596800000+0000)/``, the first day of year 1, which is what an unset date of Xero's .NET models
  (``DateTime.MinValue``) renders as (unconfirmed: no example in the spec shows an unset date);
- an enumeration (``BankTransaction.Type``): the spec gives no default and no empty member, so the echo carries the
  first member the spec lists (``RECEIVE``), the zero value of the enumeration in the model the spec is generated
  from (ours, unconfirmed). The element's ``ValidationErrors`` say why its type was refused.

Nothing else is added: an echo carries no invented data beyond what the schema requires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from gateway.xero.models import XeroModel
from gateway.xero.models.core import AccountRef, Invoice
from gateway.xero.models.documents import BANK_TRANSACTION_TYPES

#: An id never set, as Xero renders it (module docstring).
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
#: A date never set (module docstring).
UNSET_DATE = date(1, 1, 1)


def _account() -> AccountRef:
    return AccountRef(AccountID=ZERO_GUID)


def _zero() -> Decimal:
    return Decimal(0)


#: Canonical model name (the spec schema of the same name) → required field → the value a failed echo without it
#: carries. The required fields are the spec's ``required`` lists of the schemas written with ``summarizeErrors``
#: (tests/xero/test_echo.py keeps them in step with the spec).
REQUIRED: dict[str, dict[str, Callable[[], Any]]] = {
    "BankTransaction": {"Type": lambda: BANK_TRANSACTION_TYPES[0], "LineItems": list, "BankAccount": _account},
    "BankTransfer": {"FromBankAccount": _account, "ToBankAccount": _account, "Amount": _zero},
    "Item": {"Code": str},
    "ManualJournal": {"Narration": str},
    "Allocation": {"Amount": _zero, "Invoice": lambda: Invoice(InvoiceID=ZERO_GUID), "Date": lambda: UNSET_DATE},
}
#: Spec ``TrackingReference`` (the canonical model shares ``LineItemTracking``, whose lines' use requires nothing).
TRACKING_REFERENCE: dict[str, Callable[[], Any]] = {"TrackingCategoryID": lambda: ZERO_GUID,
                                                    "TrackingOptionID": lambda: ZERO_GUID}
#: Canonical model name → list field → the required fields of its items, where the items' schema differs from their
#: canonical model's other uses.
REQUIRED_OF_ITEMS: dict[str, dict[str, dict[str, Callable[[], Any]]]] = {
    "BankTransfer": {"FromTracking": TRACKING_REFERENCE, "ToTracking": TRACKING_REFERENCE},
}


def _fill(model: XeroModel, required: dict[str, Callable[[], Any]]) -> None:
    for name, make in required.items():
        if getattr(model, name, None) is None:
            setattr(model, name, make())


def fill_required(model: XeroModel) -> XeroModel:
    """Give a failed element, and the elements nested in it, the required fields they lack (module docstring).

    Args:
        model: the echo of a failed element (any canonical model; models without required fields are left alone).

    Returns:
        ``model`` itself, changed in place.
    """
    _fill(model, REQUIRED.get(type(model).__name__, {}))
    for name, required in REQUIRED_OF_ITEMS.get(type(model).__name__, {}).items():
        for item in getattr(model, name) or []:
            _fill(item, required)
    for name in type(model).model_fields:
        value = getattr(model, name)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, XeroModel):
                fill_required(child)
    return model


def failed(model: XeroModel) -> bool:
    """Whether ``model`` is the echo of an element answered with errors: ``StatusAttributeString`` ``"ERROR"``, or
    ``ValidationErrors`` on a model without a status."""
    return getattr(model, "StatusAttributeString", None) == "ERROR" or bool(getattr(model, "ValidationErrors", None))


def fill_failed(items: Iterable[object]) -> None:
    """Give every failed element of ``items`` (:func:`failed`) the required fields it lacks (:func:`fill_required`),
    in place. Written elements, and plain dicts (elements already rendered), are left as they are."""
    for item in items:
        if isinstance(item, XeroModel) and failed(item):
            fill_required(item)
