"""Writing a batch of Xero elements to Sage with Xero's ``summarizeErrors`` semantics.

Sage has no transaction spanning calls, so the adapter keeps Xero's all-or-nothing rule as follows (the contract in
:mod:`adapters.base`):

1. Every element is *prepared* first — validated and translated into its Sage bodies, references resolved — before
   anything is written for any element. An element that fails here is never written.
2. ``summarizeErrors=true`` (default): any element failing preparation → ``ValidationException`` (HTTP 400) echoing
   the failing elements with their ``ValidationErrors``; nothing is written. Then the elements are written in order;
   when Sage itself refuses one (a rule only Sage knows), the records this call created for the earlier elements are
   *compensated* — deleted again, in reverse order (``DELETE``, which voids a posted document: Sage keeps it as VOID;
   swagger ``DELETE /sales_invoices/{key}``) — and the refusal is answered. After an unknown outcome (5xx, timeout)
   or a rate limit, a request carrying an ``Idempotency-Key`` is not compensated: its retry finds the records already
   made in the write ledger (:mod:`adapters.sage_accounting.writes`) and completes the batch without duplicates.
   Updates made earlier in the batch cannot be undone (Sage keeps no previous version): a batch mixing updates and
   creates may leave the updates.
3. ``summarizeErrors=false``: the valid elements are written; every element is answered in order, failed ones echoed
   with ``ValidationErrors``, their error flag (``HasErrors`` on invoices, ``HasValidationErrors`` on contacts and
   payments) and ``StatusAttributeString`` ``"ERROR"``, good ones ``"OK"`` (HTTP 200).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import structlog

from gateway.xero.errors import ValidationException, XeroApiError, element_with_errors
from gateway.xero.models import XeroModel

if TYPE_CHECKING:
    from .call import Call

log = structlog.get_logger("adapters.sage_accounting")

#: The field flagging an element with errors, per collection (spec schemas).
ERROR_FLAGS = {"Invoices": "HasErrors", "CreditNotes": "HasErrors", "Contacts": "HasValidationErrors",
               "Payments": "HasValidationErrors"}
#: ``void_reason`` sent when a compensation voids a posted document (Sage requires one unless DRAFT).
COMPENSATION_REASON = "Rolled back by xero-gateway: a later element of the same request was refused"

Perform = Callable[[], Awaitable[XeroModel]]
Prepare = Callable[[int, dict[str, Any]], Awaitable[Perform]]


def _messages(exc: ValidationException) -> list[str]:
    return [e.get("Message", "") for element in exc.elements for e in element.get("ValidationErrors") or []]


def failed(element: dict[str, Any], messages: list[str], collection: str) -> dict[str, Any]:
    """An element echoed as failed (summarizeErrors=false)."""
    out = element_with_errors(element, messages)
    out["StatusAttributeString"] = "ERROR"
    flag = ERROR_FLAGS.get(collection)
    if flag:
        out[flag] = True
    return out


def succeeded(model: XeroModel, collection: str) -> XeroModel:
    """A written element flagged as Xero does with summarizeErrors=false."""
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "OK"
    flag = ERROR_FLAGS.get(collection)
    if flag and flag in type(model).model_fields:
        setattr(model, flag, False)
    return model


async def compensate(call: Call) -> None:
    """Delete (void) the records ``call`` created, newest first; failures are logged, not raised."""
    while call.created:
        resource, sage_id, scope = call.created.pop()
        try:
            await call.delete(resource, sage_id, params={"void_reason": COMPENSATION_REASON})
        except XeroApiError as exc:
            log.error("sage_compensation_failed", resource=resource, sage_id=sage_id, error=exc.message)
            continue
        if scope is not None:
            await call.adapter.writes.forget(scope)
        log.warning("sage_compensated", resource=resource, sage_id=sage_id)


async def run_batch(call: Call, elements: list[dict[str, Any]], prepare: Prepare, *, collection: str,
                    summarize_errors: bool) -> list[Any]:
    """Prepare every element, then write them (rules in the module docstring).

    Args:
        call: the Xero call (its :attr:`~adapters.sage_accounting.call.Call.created` list tracks creations).
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
    performs: dict[int, Perform] = {}
    failures: dict[int, ValidationException] = {}
    for index, element in enumerate(elements):
        try:
            performs[index] = await prepare(index, element)
        except ValidationException as exc:
            failures[index] = exc
    if summarize_errors and failures:
        raise ValidationException([e for i in sorted(failures) for e in failures[i].elements])
    out: list[Any] = []
    for index, element in enumerate(elements):
        if index in failures:
            out.append(failed(element, _messages(failures[index]), collection))
            continue
        try:
            model = await performs[index]()
        except ValidationException as exc:
            if summarize_errors:
                await compensate(call)
                raise
            out.append(failed(element, _messages(exc), collection))
            continue
        except XeroApiError:
            # An unknown outcome (5xx, timeout) or a rate limit: with an Idempotency-Key the client's retry finds
            # the records already made in the write ledger and completes the batch; without one, undo them.
            if summarize_errors and not call.req.idempotency_key:
                await compensate(call)
            raise
        out.append(model if summarize_errors else succeeded(model, collection))
    return out
