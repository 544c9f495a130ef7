"""Writing a batch of Xero elements to Sage with Xero's ``summarizeErrors`` semantics: the shared runner of
:mod:`adapters.common.batch` with Sage's compensation.

Sage has no transaction spanning calls, so (the contract in :mod:`adapters.base`; the steps in
:mod:`adapters.common.batch`):

1. every element is *prepared* first — validated and translated into its Sage bodies, references resolved — before
   anything is written for any element; an element that fails here is never written. Each operation module gives a
   named ``_prepare_…`` function, which answers the named ``_create_…``/``_update_…`` function that performs the
   element's writes (bound with :func:`functools.partial`);
2. ``summarizeErrors=true`` (default): when Sage itself refuses an element (a rule only Sage knows), the records this
   call created for the earlier elements are *compensated* (:func:`compensate`) — deleted again, in reverse order
   (``DELETE``, which voids a posted document: Sage keeps it as VOID; swagger ``DELETE /sales_invoices/{key}``,
   with :data:`COMPENSATION_REASON` as ``void_reason``) — and the refusal is answered. After an unknown outcome (5xx,
   timeout) or a rate limit, a request carrying an ``Idempotency-Key`` is not compensated: its retry finds the
   records already made in the write ledger (:mod:`adapters.sage_accounting.ledger`) and completes the batch without
   duplicates. Updates made earlier in the batch cannot be undone (Sage keeps no previous version);
3. ``summarizeErrors=false``: the valid elements are written; every element is answered in order, failed ones echoed
   as models of their resource (what could be read of them, rendered as Xero renders it) with ``ValidationErrors``,
   their error flag and ``StatusAttributeString`` ``"ERROR"``, good ones ``"OK"``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import structlog

from adapters.common import batch as common_batch
from adapters.common.batch import Perform, Prepare, echo, mark_error, mark_ok
from gateway.xero.errors import XeroApiError
from gateway.xero.models import Contact, XeroModel
from gateway.xero.models.catalogue import Item
from gateway.xero.models.documents import (
    Allocation,
    BankTransaction,
    BankTransfer,
    CreditNote,
    Invoice,
    ManualJournal,
    Payment,
)

from .unit import SageUnit

__all__ = ["COMPENSATION_REASON", "Perform", "Prepare", "compensate", "run_batch"]

log = structlog.get_logger("adapters.sage_accounting")

#: ``void_reason`` sent when a compensation voids a posted document (Sage requires one unless DRAFT).
COMPENSATION_REASON = "Rolled back by xero-gateway: a later element of the same request was refused"
#: The model a failed element of each Xero collection is echoed as.
MODELS: dict[str, type[XeroModel]] = {
    "Allocations": Allocation, "BankTransactions": BankTransaction,
    "BankTransfers": BankTransfer, "Contacts": Contact, "CreditNotes": CreditNote, "Invoices": Invoice,
    "Items": Item, "ManualJournals": ManualJournal, "Payments": Payment,
}


async def compensate(unit: SageUnit) -> None:
    """Delete (void) the records ``unit`` created, newest first, and drop their write-ledger rows; failures are
    logged, not raised."""
    while unit.created:
        resource, sage_id, scope = unit.created.pop()
        try:
            await unit.delete(resource, sage_id, params={"void_reason": COMPENSATION_REASON})
        except XeroApiError as exc:
            log.error("sage_compensation_failed", resource=resource, sage_id=sage_id, error=exc.message)
            continue
        if scope is not None:
            await unit.ledger.forget(scope)
        log.warning("sage_compensated", resource=resource, sage_id=sage_id)


def _failed(collection: str, _index: int, element: dict[str, Any], messages: list[str]) -> XeroModel:
    return mark_error(echo(MODELS[collection], element), messages)


async def run_batch(unit: SageUnit, elements: list[dict[str, Any]], prepare: Prepare, *, collection: str,
                    summarize_errors: bool) -> list[Any]:
    """Prepare every element, then write them (rules in the module docstring).

    Args:
        unit: the Xero call's unit of work (its :attr:`~adapters.sage_accounting.unit.SageUnit.created` list tracks
            creations).
        elements: the request elements.
        prepare: ``(index, element) → perform``: validates and translates, raising ``ValidationException`` before
            any write; ``perform()`` writes and returns the element's model.
        collection: the Xero collection (error flags).
        summarize_errors: the request's ``summarizeErrors``.

    Returns:
        One item per element, in order: models (flagged OK when ``summarize_errors`` is false) or failed elements.

    Raises:
        ValidationException: with ``summarize_errors``, any failure.
    """
    if not elements:
        return []  # kept from before the common runner, which refuses an empty batch (QBO's rule)
    return await common_batch.run_batch(
        elements, prepare, summarize_errors=summarize_errors, compensate=partial(compensate, unit),
        on_failure=partial(_failed, collection), on_success=partial(mark_ok, collection=collection),
        compensate_unknown=not unit.req.idempotency_key)
