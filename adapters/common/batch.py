"""Writing a batch of Xero elements to an upstream without transactions, with Xero's ``summarizeErrors`` semantics.

The rule of :mod:`adapters.base`: with ``summarizeErrors=true`` (the default) a write with any invalid element
raises ``ValidationException`` and writes nothing; with ``false`` the valid elements are written and every element
is answered in order, failed ones echoed with ``ValidationErrors``, their error flag (:data:`ERROR_FLAGS`) and
``StatusAttributeString`` ``"ERROR"``, written ones ``"OK"`` (HTTP 200).

No upstream here has a transaction spanning several records, so :func:`run_batch` keeps the rule as follows:

1. every element is *prepared* first (``prepare``: validated, translated, references resolved) before anything is
   written for any element, when the adapter can separate the two; an element failing here is never written;
2. ``summarizeErrors=true``: a preparation failure → ``ValidationException`` echoing the failing elements, nothing
   written. Then each element is *performed* in order; when the upstream refuses one (a rule only it knows), what the
   earlier elements created is *compensated* (``compensate``: deleted, voided or made inactive, newest first) and
   the refusal is raised. After an unknown outcome (5xx, timeout) or a rate limit the adapter chooses
   (``compensate_unknown``): a source with a durable write ledger lets the client's retry complete the batch instead;
3. ``summarizeErrors=false``: every element is tried; failures are flagged, successes marked OK.

Updates cannot be compensated (no upstream keeps a previous version to restore): a batch mixing updates and creates
may leave the updates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from gateway.xero.errors import ValidationException, XeroApiError, element_with_errors
from gateway.xero.models import ValidationError, XeroModel

M = TypeVar("M", bound=XeroModel)

#: The field flagging an element with errors, per Xero collection (spec schemas).
ERROR_FLAGS = {"Invoices": "HasErrors", "CreditNotes": "HasErrors", "Contacts": "HasValidationErrors",
               "Payments": "HasValidationErrors"}
#: The same per model name.
MODEL_ERROR_FLAGS = {"Invoice": "HasErrors", "CreditNote": "HasErrors", "Contact": "HasValidationErrors",
                     "Payment": "HasValidationErrors"}

#: ``() → model``: the write of one prepared element.
Perform = Callable[[], Awaitable[XeroModel]]
#: ``(index, element) → perform``: validates and translates, raising ``ValidationException`` before any write.
Prepare = Callable[[int, dict[str, Any]], Awaitable[Perform]]
#: ``() → None``: undo what the call created so far (best effort, never raises).
Compensate = Callable[[], Awaitable[None]]


def _flag(model_or_collection: str) -> str | None:
    return ERROR_FLAGS.get(model_or_collection) or MODEL_ERROR_FLAGS.get(model_or_collection)


def messages_of(exc: ValidationException) -> list[str]:
    """The messages of a ``ValidationException`` (its elements' ``ValidationErrors``, else its message)."""
    return [e.get("Message", "") for element in exc.elements for e in element.get("ValidationErrors") or []] \
        or [exc.message]


def mark_ok(model: M, collection: str | None = None) -> M:
    """A written element flagged as Xero does with ``summarizeErrors=false``: ``"OK"``, error flag false."""
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "OK"
    flag = _flag(collection or type(model).__name__)
    if flag and flag in type(model).model_fields:
        setattr(model, flag, False)
    return model


def mark_error(model: M, messages: list[str]) -> M:
    """A failed element as a model: ``"ERROR"``, error flag true, ``ValidationErrors`` (the fields the spec requires
    of the echo are the front end's: :func:`gateway.xero.echo.fill_failed`)."""
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "ERROR"
    flag = _flag(type(model).__name__)
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


def failed(element: dict[str, Any], messages: list[str], collection: str) -> dict[str, Any]:
    """A failed element echoed as a dict (its fields as sent), flagged for ``collection``."""
    out = element_with_errors(element, messages)
    out["StatusAttributeString"] = "ERROR"
    flag = ERROR_FLAGS.get(collection)
    if flag:
        out[flag] = True
    return out


async def run_batch(elements: list[dict[str, Any]], prepare: Prepare, *, summarize_errors: bool,
                    compensate: Compensate, on_failure: Callable[[int, dict[str, Any], list[str]], Any],
                    on_success: Callable[[XeroModel], Any], compensate_unknown: bool = True,
                    prepare_all_first: bool = True) -> list[Any]:
    """Prepare every element, then perform them (rules in the module docstring).

    Args:
        elements: the request elements.
        prepare: see :data:`Prepare`.
        summarize_errors: the request's ``summarizeErrors``.
        compensate: undo the creations made so far.
        on_failure: ``(index, element, messages) → item`` answered for a failed element (``summarizeErrors=false``).
        on_success: ``model → item`` answered for a written element (``summarizeErrors=false``).
        compensate_unknown: whether a non-validation failure (unknown outcome, rate limit) is compensated too.
        prepare_all_first: ``False`` prepares each element right before performing it (an adapter whose
            preparation needs the earlier writes), keeping the compensation rule.

    Returns:
        One item per element, in order (the models themselves when ``summarize_errors`` is true).

    Raises:
        ValidationException: with ``summarize_errors``, any element failure (after compensation).
        XeroApiError: any other failure (after compensation when ``compensate_unknown``).
    """
    performs: dict[int, Perform] = {}
    failures: dict[int, ValidationException] = {}
    if prepare_all_first:
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
            out.append(on_failure(index, element, messages_of(failures[index])))
            continue
        try:
            perform = performs[index] if prepare_all_first else await prepare(index, element)
            model = await perform()
        except ValidationException as exc:
            if summarize_errors:
                await compensate()
                raise
            out.append(on_failure(index, element, messages_of(exc)))
            continue
        except XeroApiError:
            if summarize_errors and compensate_unknown:
                await compensate()
            raise
        out.append(model if summarize_errors else on_success(model))
    return out
