"""Writing a batch of Xero elements to QBO with ``summarizeErrors`` semantics (the runner and the error flags are
:mod:`adapters.common.batch`'s; the undo journal is QBO's own).

QBO has no transaction spanning several records (a ``/batch`` runs its items independently,
samples/platform/Batch.json), so the gateway's rule for one Xero request is:

- each element is translated and checked completely (accounts, items, tax types, tracking, contact) right before
  its first write (a QBO element may need what the earlier ones created, so preparation is not hoisted before all
  writes); a failure there writes nothing for that element;
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

from adapters.common import batch as common
from adapters.common.batch import echo, mark_error, mark_ok
from gateway.xero.errors import ValidationException
from gateway.xero.models import XeroModel

from .unit import QboUnit

log = structlog.get_logger("adapters.qbo")

M = TypeVar("M", bound=XeroModel)

__all__ = ["NAME_LIST", "Journal", "echo", "mark_error", "mark_ok", "write_all"]

#: Entities whose records are made inactive rather than deleted when a batch is undone.
NAME_LIST = frozenset({"Account", "Customer", "Vendor", "Item", "Class", "Department"})


class Journal:
    """What one Xero request created at QBO, to undo it if a later element fails (summarizeErrors)."""

    def __init__(self) -> None:
        self.created: list[tuple[str, dict[str, Any]]] = []

    def add(self, entity: str, row: dict[str, Any]) -> None:
        """Remember a record the request created."""
        self.created.append((entity, row))

    async def undo(self, unit: QboUnit) -> None:
        """Undo the creations, newest first: delete transactions, make name-list records inactive. Best effort:
        a failure is logged and the others are still undone."""
        for entity, row in reversed(self.created):
            try:
                if entity in NAME_LIST:
                    await unit.update(entity, row, {"Active": False}, label=f"undo:{entity}:{row['Id']}")
                else:
                    await unit.delete(entity, row, label=f"undo:{entity}:{row['Id']}")
            except Exception as exc:  # noqa: BLE001 - best effort: log and go on undoing the others
                log.warning("qbo_undo_failed", entity=entity, qbo_id=row.get("Id"), error=str(exc))
        self.created.clear()


async def write_all(unit: QboUnit, elements: list[dict[str, Any]],
                    one: Callable[[int, dict[str, Any], Journal], Awaitable[M]], *, model: type[M]) -> list[M]:
    """Write every element (rules in the module docstring; the runner is :func:`adapters.common.batch.run_batch`).

    Args:
        unit: the Xero call.
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

    async def prepare(index: int, element: dict[str, Any]) -> common.Perform:
        async def perform() -> XeroModel:
            return mark_ok(await one(index, element, journal))
        return perform

    async def compensate() -> None:
        await journal.undo(unit)

    return await common.run_batch(
        elements, prepare, summarize_errors=unit.req.query.summarize_errors, compensate=compensate,
        on_failure=lambda _i, element, messages: mark_error(echo(model, element), messages),
        on_success=mark_ok, compensate_unknown=False, prepare_all_first=False)
