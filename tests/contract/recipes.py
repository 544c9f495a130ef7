"""Call recipes of the contract walk: how to call each operation, written once for every source.

Every recipe makes at least one call of its operation with a valid request and expects the operation's documented
2xx status (:meth:`tests.contract.walker.Walker.call` validates every answer against Xero's spec). Recipes take
everything they send from the company's own data (the native demo company, the QBO sample company, the Sage lead
business), resolved through the list operations (contact names and
numbers, account codes by type, tax types by side from ``/TaxRates``, tracking options…), or from the records the
walk itself created.

Two kinds of recipes:

- **Families**, recognised from the spec path and method alone (:func:`family_recipe`), so that a new operation of
  a family needs no new code: every ``PUT …/{id}/History`` (``{"HistoryRecords": [{"Details": …}]}``, then the
  ``GET …/History`` shows the note), every ``PUT``/``POST …/Attachments/{FileName}`` (a small PNG with its
  ``Content-Type``; the list, by-id and by-name reads return it byte for byte) and every ``GET …/pdf`` (``%PDF-``).
  History and attachments go on records the walk created; PDFs are rendered for demo documents
  (:mod:`tests.contract.families`).
- **Explicit recipes** for the rest (:data:`EXPLICIT`): :mod:`tests.contract.reads` and
  :mod:`tests.contract.writes`, registered in walk order.

The walk runs in :class:`Phase` order (then declaration order): list reads first (they resolve the ids and facts the
other recipes use), reads of single demo records and reports, creates, updates, settlements (payments and
allocations), history and attachments, and deletes last, which act only on records the walk created. The one
change the walk makes to a demo record is temporary: the native ledger allows 2 active tracking categories, so
``createTrackingCategory`` archives a demo category first and ``deleteTrackingCategory`` restores it.

The rules the write bodies respect are listed in :mod:`tests.contract.writes`. Where sources differ, a recipe asks
the walker what the source implements (:meth:`~tests.contract.walker.Walker.implements`) or provides
(:meth:`~tests.contract.walker.Walker.has`, declared in :mod:`tests.contract.requirements`), never which source it
is.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.api.operations import load_operations

from . import planning, reads, writes
from .families import family_recipe
from .steps import Recipe


def _explicit() -> dict[str, Recipe]:
    merged: dict[str, Recipe] = {}
    for registry in (reads.recipe, writes.recipe, planning.recipe):
        duplicated = set(merged) & set(registry.recipes)
        assert not duplicated, f"two recipes for {sorted(duplicated)}"
        merged.update(registry.recipes)
    return merged


#: Explicit recipes by operation id.
EXPLICIT: dict[str, Recipe] = _explicit()


def recipe_for(operation_id: str) -> Recipe | None:
    """The recipe of an operation: its explicit one, else its family's, else ``None``."""
    if operation_id in EXPLICIT:
        return EXPLICIT[operation_id]
    table = load_operations()
    index = list(table).index(operation_id)
    return family_recipe(table[operation_id], index)


def walk_order(operation_ids: Iterable[str]) -> list[str]:
    """The operations in walk order; operations without a recipe come last (their walk step fails). Ties keep the
    operation table's order, never the input's: a frozenset's order changes with the hash seed, and pytest-xdist's
    workers must collect the same parameters in the same order."""
    table = list(load_operations())

    def key(op_id: str) -> tuple[int, int, int, int]:
        found = recipe_for(op_id)
        tie = table.index(op_id) if op_id in table else len(table)
        return (0, *found.order, tie) if found else (1, 0, 0, tie)
    return sorted(operation_ids, key=key)
