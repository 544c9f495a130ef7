"""Running a Xero write as Sage 50 jobs: validate every element first, then queue each element's jobs in order.

- ``summarizeErrors=true`` (default): an element Sage 50 would refuse (:class:`~.translate.elements.Invalid`) makes
  the call a ``ValidationException`` before anything is queued; ``false``: the valid elements are written and every
  element is answered, failed ones with their errors (``StatusAttributeString`` ``ERROR``).
- Each element's jobs run one after the other (a contact record before the document that needs it; a receipt before
  its allocation). A job's ``Idempotency-Key`` is derived from the client's key, the operation and the job's label
  (``post:0``, ``allocate:0``…), so a retried Xero call finds every job it queued before and never queues one twice;
  its fingerprint is the element as the client sent it (the payload may differ on a retry: numbers made from the
  books, which now hold the first attempt's posting).
- Without an ``Idempotency-Key``, a write is refused with 503 while the connector is offline, before anything is
  queued (issue 9 §4). A job the connector has not finished within the wait answers 503 with ``Retry-After``: with a
  key the job stays queued and a retry with the same key returns its outcome; without one it is withdrawn if the
  connector has not taken it yet (the client's retry cannot post twice), else the 503 says it is being posted.
- A failed job becomes its Xero answer (:func:`adapters.sage50.errors.to_xero_error`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from adapters.agents import FAILED, PENDING, AgentCompanyInfo, AgentLink
from gateway.xero.errors import ValidationException, XeroApiError, element_with_errors
from gateway.xero.models import ValidationError, XeroModel
from gateway.xero.request import RequestContext, XeroRequest

from .errors import AgentUnavailable, to_xero_error
from .translate.elements import Invalid

M = TypeVar("M", bound=XeroModel)
#: The model field that flags an element with errors (spec schemas).
_ERROR_FLAG = {"Invoice": "HasErrors", "Contact": "HasValidationErrors", "Payment": "HasValidationErrors"}


def job_key(key: str | None, operation_id: str, label: str) -> str | None:
    """The key of one job of a keyed Xero call (sha256 of the client's key, the operation and the label)."""
    if key is None:
        return None
    return hashlib.sha256(f"{key}\x1f{operation_id}\x1f{label}".encode()).hexdigest()


def fingerprint(element: Mapping[str, Any], label: str) -> str:
    return hashlib.sha256(json.dumps([label, element], sort_keys=True, default=str).encode()).hexdigest()


class Jobs:
    """Submits one Xero call's jobs and turns their outcomes into results or Xero errors.

    Args:
        link: the gateway's agent link; company: the tenant's company; wait: seconds to wait for each job.
    """

    def __init__(self, *, link: AgentLink, code: str, company: AgentCompanyInfo, ctx: RequestContext,
                 req: XeroRequest, wait: float) -> None:
        self.link, self.code, self.company, self.ctx, self.req, self.wait = link, code, company, ctx, req, wait

    def check_online(self) -> None:
        """Refuse a write without ``Idempotency-Key`` while the connector is offline (nothing queued)."""
        if self.req.idempotency_key is None and not self.company.online:
            raise AgentUnavailable("the connector on the Sage 50 PC is offline; retry with an Idempotency-Key to "
                                   "queue the write until it is back")

    async def queued(self, label: str) -> bool:
        """Whether an earlier attempt of this keyed call queued the job ``label`` (then it must not be validated
        again against books that may already hold its posting: it is resumed as it was)."""
        key = job_key(self.req.idempotency_key, self.req.operation_id, label)
        if key is None:
            return False
        return await self.link.find(code=self.code, tenant_id=self.ctx.tenant_id, client_id=self.ctx.client_id,
                                    idempotency_key=key) is not None

    async def run(self, label: str, payload: dict[str, Any], element: Mapping[str, Any]) -> Mapping[str, Any]:
        """Queue (or find) one job and return its result.

        Raises:
            AgentUnavailable: not finished within the wait (queued), or Sage busy/offline.
            ValidationException: Sage 50 refused it.
        """
        try:
            outcome = await self.link.submit(
                code=self.code, tenant_id=self.ctx.tenant_id, client_id=self.ctx.client_id,
                operation_id=self.req.operation_id, payload=payload,
                idempotency_key=job_key(self.req.idempotency_key, self.req.operation_id, label),
                fingerprint=fingerprint(element, label), wait=self.wait)
        except ValueError:
            raise ValidationException.single("This Idempotency-Key was used for another request.",
                                             dict(element)) from None
        if outcome.status == PENDING:
            if self.req.idempotency_key:
                raise AgentUnavailable("the write is queued for the Sage 50 connector, which has not answered yet; "
                                       "retry with the same Idempotency-Key for its result")
            if await self.link.cancel(code=self.code, tenant_id=self.ctx.tenant_id, job_id=outcome.job_id):
                raise AgentUnavailable("the Sage 50 connector did not take the write in time and nothing was "
                                       "posted; retry later, or with an Idempotency-Key to let it wait in the queue")
            raise AgentUnavailable("the Sage 50 connector is posting the write and has not answered yet; check "
                                   "before retrying (send an Idempotency-Key to retry safely)")
        if outcome.status == FAILED:
            raise to_xero_error(outcome.error, element=element, code=_first_code(payload))
        return outcome.result


def _first_code(payload: Mapping[str, Any]) -> str:
    for item in payload.get("items") or []:
        if item.get("NOMINAL_CODE"):
            return str(item["NOMINAL_CODE"])
    return ""


async def run_elements(elements: Sequence[Mapping[str, Any]], *, summarize_errors: bool, model: type[M],
                       prepare: Callable[[int, Mapping[str, Any]], Awaitable[Any]],
                       perform: Callable[[int, Mapping[str, Any], Any], Awaitable[M]]) -> list[M]:
    """Validate every element (``prepare`` → a plan, or :class:`Invalid`), then ``perform`` the valid plans.

    Raises:
        ValidationException: ``summarize_errors`` and an element is invalid (nothing queued), or a job of an element
            failed while ``summarize_errors`` (elements before it stay written: Sage 50 has no transaction across
            postings).
    """
    if not elements:
        raise ValidationException.single("The request has no elements.")
    plans: list[Any] = []
    failures: list[str | None] = []
    for index, element in enumerate(elements):
        try:
            plans.append(await prepare(index, element))
            failures.append(None)
        except Invalid as exc:
            plans.append(None)
            failures.append(str(exc))
    if summarize_errors and any(failures):
        raise ValidationException([element_with_errors(dict(e), [f]) if f else dict(e)
                                   for e, f in zip(elements, failures, strict=True)])
    out: list[M] = []
    for index, (element, plan, failure) in enumerate(zip(elements, plans, failures, strict=True)):
        if failure is None:
            try:
                done = await perform(index, element, plan)
            except XeroApiError as exc:
                if summarize_errors or not isinstance(exc, ValidationException):
                    raise
                failure = _message(exc)
            else:
                if not summarize_errors:
                    _mark(done, None)
                out.append(done)
                continue
        echoed = model.model_validate(dict(element))
        _mark(echoed, failure)
        out.append(echoed)
    return out


def _message(exc: ValidationException) -> str:
    for element in exc.elements:
        for error in element.get("ValidationErrors") or []:
            return str(error.get("Message"))
    return exc.message


def _mark(model: XeroModel, failure: str | None) -> None:
    if "StatusAttributeString" in type(model).model_fields:
        model.StatusAttributeString = "ERROR" if failure else "OK"
    flag = _ERROR_FLAG.get(type(model).__name__)
    if flag:
        setattr(model, flag, failure is not None)
    if failure and "ValidationErrors" in type(model).model_fields:
        model.ValidationErrors = [ValidationError(Message=failure)]
