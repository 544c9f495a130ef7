"""The demo company's money documents: credit notes (allocated, refunded, open, draft), spend and receive money,
a bank transfer, a prepayment and an overpayment (each partly allocated) and two manual journals.

Data is ``mappings/native_demo_documents.toml`` (steps in chronological order, dates counted back from the demo's
first-start date). Every step goes through the API's own write path (:mod:`.credit_notes`, :mod:`.allocations`,
:mod:`.refunds`, :mod:`.payments`, :mod:`.invoices`, :mod:`.bank_transactions`, :mod:`.bank_transfers`,
:mod:`.manual_journals`), so the demo passes the same validation and posts the same balanced journals. Ids come
from the demo's :class:`~adapters.native.ids.SequentialIds` (uuid5) and amounts from the table, so two first starts
on the same day write the same documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from functools import cache
from typing import Any, Protocol, TypeVar

import mappings

from ..books import Books
from ..resources import (
    allocations,
    bank_transactions,
    bank_transfers,
    credit_notes,
    credits,
    invoices,
    manual_journals,
    payments,
)
from ..tables.documents import BankTransaction, CreditNote
from ..validation import ElementInvalid

T = TypeVar("T")

KINDS = ("invoice", "credit_note", "allocation", "payment", "bank_transaction", "bank_transfer", "manual_journal")


class SettableClock(Protocol):
    """The demo's clock (:class:`adapters.native.demo.company.DemoClock`): ``at`` is the time documents are written
    at."""

    at: dt.datetime


@cache
def steps() -> tuple[dict[str, Any], ...]:
    """The table's steps.

    Raises:
        ValueError: an unknown kind, or a reference to a key no earlier step defines.
    """
    out: list[dict[str, Any]] = []
    keys: set[str] = set()
    for step in mappings.load("native_demo_documents")["step"]:
        if step["kind"] not in KINDS:
            raise ValueError(f"native_demo_documents.toml: unknown kind {step['kind']!r}")
        for ref in ("credit", "invoice"):
            if ref in step and step["kind"] in ("allocation", "payment") and step[ref] not in keys:
                raise ValueError(f"native_demo_documents.toml: {ref} {step[ref]!r} is not defined before use")
        if "key" in step:
            keys.add(step["key"])
        out.append(step)
    return tuple(out)


async def _checked(coro: Awaitable[T]) -> T:
    try:
        return await coro
    except ElementInvalid as exc:  # pragma: no cover - a bug in the table or the write paths
        raise RuntimeError(f"demo documents failed validation: {exc.messages}") from exc


def _payment_target(row: Any) -> dict[str, Any]:
    """The payment element's reference to an invoice or a credit."""
    if isinstance(row, CreditNote):
        return {"CreditNote": {"CreditNoteID": row.id}}
    if isinstance(row, BankTransaction):
        resource = credits.kind(row).resource
        name, id_field = ("Prepayment", "PrepaymentID") if resource == "Prepayments" else ("Overpayment",
                                                                                          "OverpaymentID")
        return {name: {id_field: row.credit_id}}
    return {"Invoice": {"InvoiceID": row.id}}


async def seed(books: Books, *, clock: SettableClock, today: dt.date) -> None:
    """Write the demo's money documents.

    Args:
        books: the demo company's books (its id factory is the demo's deterministic one).
        clock: the demo clock, moved to each document's date (``UpdatedDateUTC``).
        today: the demo's first-start date; ``days_ago`` counts back from it.

    Raises:
        RuntimeError: a document failed validation (a bug in the table or a write path).
    """
    written: dict[str, Any] = {}
    for number, step in enumerate(steps()):
        day = today - dt.timedelta(days=step["days_ago"])
        clock.at = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
        kind = step["kind"]
        element = {**step.get("element", {}), "Date": day.isoformat()}
        row: Any
        if kind == "invoice":
            element["DueDate"] = (day + dt.timedelta(days=step["due_days"])).isoformat()
            row = await _checked(invoices.write(books, element, mode="create"))
        elif kind == "credit_note":
            row = await _checked(credit_notes.write(books, element, mode="create"))
        elif kind == "bank_transaction":
            row = await _checked(bank_transactions.write(books, element, mode="create"))
        elif kind == "bank_transfer":
            row = await _checked(bank_transfers.create(books, element))
        elif kind == "manual_journal":
            row, _ = await _checked(manual_journals.write(books, element, mode="create"))
        elif kind == "allocation":
            row = await _checked(allocations.create(books, written[step["credit"]], {
                "Invoice": {"InvoiceID": written[step["invoice"]].id}, "Amount": step["amount"],
                "Date": day.isoformat()}))
        else:
            target = written[step["credit"] if "credit" in step else step["invoice"]]
            row = await _checked(payments.create(books, {
                **_payment_target(target), "Account": {"Code": step["account"]}, "Date": day.isoformat(),
                "Amount": step["amount"]}))
        if "key" in step:
            written[step["key"]] = row
