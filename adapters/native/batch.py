"""Running a write over a batch of elements with Xero's ``summarizeErrors`` semantics.

Source: https://developer.xero.com/documentation/api/accounting/invoices ("summarizeErrors") and the contract in
``adapters/base.py``:

- ``summarizeErrors=true`` (default): any invalid element → ``ValidationException`` (HTTP 400) echoing every
  element with its ``ValidationErrors``; the caller's transaction is rolled back, so nothing is written.
- ``summarizeErrors=false``: valid elements are written; every element is answered in order, failed ones with
  their errors flagged (``HasErrors`` on invoices, ``HasValidationErrors`` on contacts and payments) and
  ``StatusAttributeString`` ``"ERROR"``, good ones ``"OK"`` (HTTP 200).

Each element is fully validated before anything is written for it (:class:`ElementInvalid` is raised before the
first write), so a failed element never leaves partial rows behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from gateway.xero.errors import ValidationException, element_with_errors
from gateway.xero.models import ValidationError, XeroModel

from .validation import ElementInvalid, echo_model

M = TypeVar("M", bound=XeroModel)

#: The model field that flags an element with errors, per model class name (spec schemas).
_ERROR_FLAG = {"Invoice": "HasErrors", "Contact": "HasValidationErrors", "Payment": "HasValidationErrors"}


def mark_ok(model: M) -> M:
    """Flag a written element as Xero does: ``StatusAttributeString`` ``"OK"``, no errors."""
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "OK"
    flag = _ERROR_FLAG.get(type(model).__name__)
    if flag:
        setattr(model, flag, False)
    return model


def mark_error(model: M, errors: list[str]) -> M:
    """Flag an element that was not written: errors, flag field, ``StatusAttributeString`` ``"ERROR"`` (the fields
    the spec requires of the echo are the front end's: :func:`gateway.xero.echo.fill_failed`)."""
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "ERROR"
    flag = _ERROR_FLAG.get(type(model).__name__)
    if flag:
        setattr(model, flag, True)
    model.ValidationErrors = [ValidationError(Message=m) for m in errors]
    return model


async def run_batch(elements: list[Any], apply: Callable[[Any], Awaitable[M]], *, model: type[M],
                    summarize_errors: bool) -> list[M]:
    """Apply ``apply`` to each element in order inside the caller's transaction.

    Args:
        elements: the request elements (dicts with Xero's field names).
        apply: validates then writes one element, returning its canonical model; raises
            :class:`ElementInvalid` before writing anything when the element is invalid.
        model: the canonical model class of the elements (for echoing invalid ones).
        summarize_errors: ``req.query.summarize_errors``.

    Returns:
        One model per element, in order.

    Raises:
        ValidationException: ``summarize_errors`` and at least one element is invalid (the caller must let it
            propagate out of its transaction so that nothing is committed).
    """
    results: list[M] = []
    failures: list[list[str]] = []
    for element in elements:
        try:
            results.append(mark_ok(await apply(element)))
            failures.append([])
        except ElementInvalid as exc:
            results.append(mark_error(echo_model(model, element), exc.messages))
            failures.append(exc.messages)
    if summarize_errors and any(failures):
        raise ValidationException([element_with_errors(el if isinstance(el, dict) else {}, errs)
                                   for el, errs in zip(elements, failures, strict=True)])
    return results


async def run_single(element: Any, apply: Callable[[Any], Awaitable[M]]) -> M:
    """Apply one element (single-object operations such as ``createAccount``).

    Raises:
        ValidationException: the element is invalid (one echoed element with its messages).
    """
    try:
        return await apply(element)
    except ElementInvalid as exc:
        raise ValidationException([element_with_errors(element if isinstance(element, dict) else {},
                                                       exc.messages)]) from None
