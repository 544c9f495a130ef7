"""Writing a batch of Xero elements to QBO with ``summarizeErrors`` semantics.

QBO has no transaction spanning several records (a ``/batch`` runs its items independently,
samples/platform/Batch.json), so the gateway's rule for one Xero request is:

- each element is translated and checked completely (accounts, items, tax types, tracking, contact) before its
  first write; a failure there writes nothing for that element;
- ``summarizeErrors=true`` (default): on the first failing element, what the earlier elements of the request created
  is undone (transactions deleted, name-list records made inactive: QBO cannot delete those, upstream-contracts.md
  §1 "CRUD"), then ``ValidationException`` echoes the failing element with its messages; what an *update* changed
  cannot be undone and stays (QBO keeps no previous version to restore);
- ``summarizeErrors=false``: every element is tried; failed ones come back flagged (``StatusAttributeString``
  ``"ERROR"``, ``ValidationErrors``, and ``HasErrors``/``HasValidationErrors`` where the schema has them), written
  ones ``"OK"`` (HTTP 200).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog

from gateway.xero.errors import ValidationException
from gateway.xero.models import ValidationError, XeroModel

from .call import Call

log = structlog.get_logger("adapters.qbo")

M = TypeVar("M", bound=XeroModel)

_ERROR_FLAG = {"Invoice": "HasErrors", "CreditNote": "HasErrors", "Contact": "HasValidationErrors",
               "Payment": "HasValidationErrors"}
#: Entities whose records are made inactive rather than deleted when a batch is undone.
NAME_LIST = frozenset({"Account", "Customer", "Vendor", "Item", "Class", "Department"})


def mark_ok(model: M) -> M:
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "OK"
    flag = _ERROR_FLAG.get(type(model).__name__)
    if flag and flag in type(model).model_fields:
        setattr(model, flag, False)
    return model


def mark_error(model: M, messages: list[str]) -> M:
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "ERROR"
    flag = _ERROR_FLAG.get(type(model).__name__)
    if flag and flag in type(model).model_fields:
        setattr(model, flag, True)
    if "ValidationErrors" in type(model).model_fields:
        model.ValidationErrors = [ValidationError(Message=m) for m in messages]
    return model


def echo(model: type[M], element: dict[str, Any]) -> M:
    """The element as a model of its resource (what could be read of it)."""
    try:
        return model.model_validate(element)
    except ValueError:
        return model()


def _messages(exc: ValidationException) -> list[str]:
    return [e.get("Message", "") for element in exc.elements for e in element.get("ValidationErrors") or []] \
        or [exc.message]


class Journal:
    """What one Xero request created at QBO, to undo it if a later element fails (summarizeErrors)."""

    def __init__(self) -> None:
        self.created: list[tuple[str, dict[str, Any]]] = []

    def add(self, entity: str, row: dict[str, Any]) -> None:
        self.created.append((entity, row))

    async def undo(self, call: Call) -> None:
        for entity, row in reversed(self.created):
            try:
                if entity in NAME_LIST:
                    await call.update(entity, row, {"Active": False}, label=f"undo:{entity}:{row['Id']}")
                else:
                    await call.delete(entity, row, label=f"undo:{entity}:{row['Id']}")
            except Exception as exc:  # noqa: BLE001 - best effort: log and go on undoing the others
                log.warning("qbo_undo_failed", entity=entity, qbo_id=row.get("Id"), error=str(exc))
        self.created.clear()


async def write_all(call: Call, elements: list[dict[str, Any]],
                    one: Callable[[int, dict[str, Any], Journal], Awaitable[M]], *, model: type[M]) -> list[M]:
    """Write every element (rules in the module docstring).

    Args:
        call: the Xero call.
        elements: the request elements.
        one: ``(index, element, journal) → model``; validates, writes (recording creations in ``journal``) and
            returns the written record as a model; raises ``ValidationException`` for a bad element.
        model: the resource's model (to echo failed elements).

    Raises:
        ValidationException: ``summarizeErrors`` is true and an element failed (earlier creations undone).
    """
    if not elements:
        raise ValidationException.single("No elements were supplied")
    journal = Journal()
    out: list[M] = []
    summarize = call.req.query.summarize_errors
    for index, element in enumerate(elements):
        try:
            out.append(mark_ok(await one(index, element, journal)))
        except ValidationException as exc:
            if summarize:
                await journal.undo(call)
                raise
            out.append(mark_error(echo(model, element), _messages(exc)))
    return out
