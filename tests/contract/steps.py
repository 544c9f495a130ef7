"""Building blocks of the contract walk's recipes: phases, the recipe record, registries, shared helpers.

A recipe (:class:`Recipe`) says how to call one operation: a coroutine taking the :class:`~tests.contract.walker.
Walker`, and when it runs (:class:`Phase`, then its rank). Modules of explicit recipes register them with a
:class:`Registry` used as a decorator; :mod:`tests.contract.recipes` puts them together with the families.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .walker import Answer, Walker

RecipeFn = Callable[[Walker], Awaitable[None]]


class Phase(IntEnum):
    """Walk phases, in order."""

    LOOKUP = 0  # list reads of the company: resolve ids and facts
    READ = 1  # single records of the company, reports, PDFs
    CREATE = 2  # the walk's own records
    UPDATE = 3  # updates of the walk's records
    SETTLE = 4  # payments and allocations on the walk's documents
    NOTES = 5  # history notes and attachments on the walk's records
    DELETE = 6  # deletes of the walk's records


@dataclass(frozen=True)
class Recipe:
    """How to call one operation.

    Attributes:
        operation_id: the spec's ``operationId``.
        phase: when it runs.
        rank: order within the phase.
        run: the coroutine making the calls.
        family: the family name for generic recipes, ``None`` for explicit ones.
    """

    operation_id: str
    phase: Phase
    rank: int
    run: RecipeFn
    family: str | None = None

    @property
    def order(self) -> tuple[int, int]:
        return (int(self.phase), self.rank)


class Registry:
    """The explicit recipes of one module; used as a decorator, ``@recipe("getInvoices", Phase.LOOKUP)``.

    Declaration order is the order within a phase.
    """

    def __init__(self) -> None:
        self.recipes: dict[str, Recipe] = {}

    def __call__(self, operation_id: str, phase: Phase) -> Callable[[RecipeFn], RecipeFn]:
        def register(fn: RecipeFn) -> RecipeFn:
            assert operation_id not in self.recipes, f"two recipes for {operation_id}"
            self.recipes[operation_id] = Recipe(operation_id, phase, len(self.recipes), fn)
            return fn
        return register


# Shared values ------------------------------------------------------------------------------------------------------

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
HISTORY_NOTE = "Conformance walk note"


def today() -> dt.date:
    """The walk's document date (UTC, as the ledger's clock)."""
    return dt.datetime.now(dt.UTC).date()


def iso(day: dt.date) -> str:
    return day.isoformat()


def png(tag: str) -> bytes:
    """A small PNG-signed file, distinct per ``tag``."""
    return PNG_MAGIC + f"conformance walk attachment: {tag}".encode()


def first(items: Iterable[dict[str, Any]], what: str, **where: Any) -> dict[str, Any]:
    """The first element whose fields equal ``where``."""
    for item in items:
        if all(item.get(k) == v for k, v in where.items()):
            return item
    raise AssertionError(f"the demo company has no {what} with {where}")


def line(w: Walker, side: str, amount: str | int = 100, quantity: int = 1, **extra: Any) -> dict[str, Any]:
    """A line item on the demo's sales (``side="sales"``) or expense account with its side's tax type."""
    account, tax = (w.facts["sales_account"], w.facts["output_tax"]) if side == "sales" else (
        w.facts["expense_account"], w.facts["input_tax"])
    return {"Description": f"Conformance walk {side} line", "Quantity": quantity, "UnitAmount": amount,
            "AccountCode": account, "TaxType": tax, **extra}


def remember(w: Walker, key: str, value: Any) -> Any:
    assert value, f"nothing to remember as {key}"
    w.own[key] = value
    return value


def check_id(answer: Answer, field: str, expected: str) -> dict[str, Any]:
    """The answer's one element, checked to be the record asked for."""
    element = answer.one()
    assert str(element.get(field, "")).lower() == str(expected).lower(), (
        f"{answer}: {field} {element.get(field)!r} is not the requested {expected!r}")
    return element
