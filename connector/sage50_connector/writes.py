"""A write job's payload executed through an SDO session: the same code for real SDO and the stand-in's fake.

Payload (protocol v1 ``WritePayload``): ``header`` and ``items`` carry SDO field names; amounts arrive as decimal
strings and dates as ISO strings, and are handed to SDO as ``Decimal`` and ``datetime`` (COM turns them into
``VT_CY``/``VT_DATE``; SDO coerces them to its field types). Per object (sage50.md §4, §5):

- ``TransactionPost`` (and ``JournalPost``): header fields, one ``Items.Add()`` per item, ``Update()``; SDO gives
  no header number back, so :mod:`sage50_connector.jobs` reads the posting back by its reference.
- ``InvoicePost``: the same shape; the document number is the header's ``INVOICE_NUMBER`` after ``Update()``.
- ``SalesRecord``/``PurchaseRecord``: ``create`` = ``AddNew()`` + fields + ``Update()``; ``update`` = key field +
  ``Find(False)`` + ``Edit()`` + fields + ``Update()`` (the key itself is not rewritten).
- ``AllocatePayment``: per item ``TransactionPost.AllocatePayment(SPLIT_NUMBER, SPLIT_CROSSREF, AMOUNT, DATE)``: the
  split being paid, the paying split, the amount and date; item names are the ``AUDIT_USAGE`` columns the
  allocation writes. Allocation is per split, so one Xero payment may be several items.

Only refusals are raised; what Sage numbered is returned in :class:`Applied`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sage50_connector.errors import SdoError
from sage50_connector.protocol import WritePayload
from sage50_connector.sdo import Session

_AMOUNT = re.compile(r"^(AMOUNT|.*_AMOUNT|FOREIGN_RATE|CREDIT_LIMIT|UNIT_PRICE|QTY_.*|QUANTITY|.*_RATE|.*_VALUE)$")
_DATE = re.compile(r"^(DATE|.*_DATE)$")


def sdo_value(name: str, value: Any) -> Any:
    """A payload value as SDO takes it: amounts ``Decimal``, dates ``datetime``, the rest unchanged.

    Raises:
        SdoError: ``sdoInvalidValue`` for an amount or date that does not parse (the gateway sent bad data).
    """
    if isinstance(value, str) and _AMOUNT.match(name):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise SdoError("sdoInvalidValue", f"{name} is not an amount: {value!r}") from None
    if isinstance(value, str) and _DATE.match(name):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise SdoError("sdoInvalidDate", f"{name} is not an ISO date: {value!r}") from None
        return parsed.replace(tzinfo=None)
    return value


@dataclass(frozen=True)
class Applied:
    """What SDO numbered (``0``/``None`` where it gave nothing: the SopPost quirk, sage50.md §4)."""

    header_number: int | None = None
    account_ref: str | None = None
    invoice_number: int | None = None


def _set_fields(fields: Any, values: dict[str, Any], *, skip: frozenset[str] = frozenset()) -> None:
    for name, value in values.items():
        if name not in skip and value is not None:
            fields.Item(name).Value = sdo_value(name, value)


def _number(value: Any) -> int | None:
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


def apply(session: Session, payload: WritePayload, *, skip_items: frozenset[int] = frozenset()) -> Applied:
    """Execute ``payload`` in ``session``.

    Args:
        session: a connected SDO session.
        payload: the job's write.
        skip_items: ``AllocatePayment`` item indexes already applied (found in Sage after a crash).

    Raises:
        SdoError: SDO refused the write (``LastError``) or a field (``sdoInvalidName``…).
    """
    try:
        match payload.object:
            case "TransactionPost" | "JournalPost" | "InvoicePost":
                return _post(session, payload)
            case "SalesRecord" | "PurchaseRecord":
                return _record(session, payload)
            case "AllocatePayment":
                return _allocate(session, payload, skip_items)
    except SdoError:
        raise
    except Exception as exc:  # COM exceptions from field access: unknown field, type mismatch
        raise session.last_error(exc) from exc
    raise SdoError("sdoNotSupportedException", f"unknown object {payload.object}")


def _post(session: Session, payload: WritePayload) -> Applied:
    post = session.create(payload.object)
    _set_fields(post.Header.Fields, payload.header)
    for item in payload.items:
        _set_fields(post.Items.Add().Fields, item)
    if not post.Update():
        raise session.last_error()
    if payload.object == "InvoicePost":
        return Applied(invoice_number=_number(post.Header.Fields.Item("INVOICE_NUMBER").Value),
                       account_ref=payload.header.get("ACCOUNT_REF"))
    # SDO documents no number for a posting (the caller reads it back by reference); take one if the engine has it
    return Applied(header_number=_number(getattr(post, "PostingNumber", None)),
                   account_ref=payload.header.get("ACCOUNT_REF"))


def _record(session: Session, payload: WritePayload) -> Applied:
    record = session.create(payload.object)
    ref = str(payload.header.get("ACCOUNT_REF") or "")
    if payload.action == "create":
        record.AddNew()
        _set_fields(record.Fields, payload.header)
    else:
        record.Fields.Item("ACCOUNT_REF").Value = ref
        if not record.Find(False):
            raise SdoError("sdoInvalidKey", f"no account {ref}")
        record.Edit()
        _set_fields(record.Fields, payload.header, skip=frozenset({"ACCOUNT_REF"}))
    if not record.Update():
        raise session.last_error()
    return Applied(account_ref=str(record.Fields.Item("ACCOUNT_REF").Value or ref))


def _allocate(session: Session, payload: WritePayload, skip_items: frozenset[int]) -> Applied:
    post = session.create("TransactionPost")
    for index, item in enumerate(payload.items):
        if index in skip_items:
            continue
        try:
            paid, paying = int(item["SPLIT_NUMBER"]), int(item["SPLIT_CROSSREF"])
            amount, date = sdo_value("AMOUNT", item["AMOUNT"]), sdo_value("DATE", item["DATE"])
        except (KeyError, TypeError, ValueError):
            raise SdoError("sdoInvalidArg", "an allocation needs SPLIT_NUMBER, SPLIT_CROSSREF, AMOUNT and DATE") \
                from None
        if not post.AllocatePayment(paid, paying, amount, date):
            raise session.last_error()
    return Applied(account_ref=payload.header.get("ACCOUNT_REF"))
