"""Xero writes as partner-API postings, with Xero's ``summarizeErrors`` semantics (:mod:`adapters.common.batch`).

Every element is prepared first (accounts named by code resolved to ids against the remote chart, translated by
:mod:`.translate`, refused with the element echoed), then posted in order under its own ``Idempotency-Key``: the
Xero request's own (``{key}:{element index}``), else a fresh one per element, so the transport's retries and a
client's retry of the whole request never post twice (the partner API replays a used key, ``docs/partner-api.md``).

The partner API has no deletes or voids in its first version, so nothing can be compensated: when the remote refuses
an element after earlier ones were posted, those stay posted (a retry with the same ``Idempotency-Key`` replays
them) and the refusal is answered with the element echoed.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.common import batch
from adapters.common.http import TenantAuth
from gateway.xero import models as xm
from gateway.xero.errors import ValidationException, element_with_errors
from gateway.xero.models import XeroModel
from gateway.xero.models import documents as xd
from gateway.xero.models.core import InvoiceRef
from gateway.xero.request import XeroRequest

from . import translate
from .client import PartnerClient

#: ``(element) → (partner path below the company, body)``: one element's translation.
Translate = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
#: ``(element, body, receipt) → model``: the answer for one posted element.
Answer = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], Awaitable[XeroModel]]


async def _noop() -> None:
    """No compensation: the partner API has no deletes (module docstring)."""


def _echoing(element: dict[str, Any], exc: ValidationException) -> ValidationException:
    """``exc`` with the request element echoed, as Xero answers a refused element."""
    return ValidationException([element_with_errors(element, batch.messages_of(exc))])


class PartnerWrites:
    """The writes of one Xero call to one company.

    Args:
        client: the adapter's partner client.
        auth: the tenant's credentials.
        company: ``/companies/{companyId}``.
        req: the Xero request (elements, ``Idempotency-Key``, ``summarizeErrors``).
    """

    def __init__(self, client: PartnerClient, auth: TenantAuth, company: str, req: XeroRequest) -> None:
        self.client = client
        self.auth = auth
        self.company = company
        self.req = req
        self._ids_by_code: dict[str, str] | None = None

    async def ids_by_code(self) -> dict[str, str]:
        """The remote chart's ``code`` → ``id`` (read once per call)."""
        if self._ids_by_code is None:
            rows = await self.client.list_all(self.auth, f"{self.company}/accounts")
            self._ids_by_code = {row["code"]: row["id"] for row in rows if row.get("code")}
        return self._ids_by_code

    async def post(self, path: str, body: dict[str, Any], index: int) -> dict[str, Any]:
        key = f"{self.req.idempotency_key}:{index}" if self.req.idempotency_key else str(uuid.uuid4())
        return await self.client.post(self.auth, f"{self.company}/{path}", body, key=key)

    async def run(self, model: type[XeroModel], translate_one: Translate, answer: Answer) -> list[Any]:
        """Prepare every element, then post them (module docstring).

        Returns:
            One item per element, in order (models; failed elements echoed when ``summarizeErrors=false``).

        Raises:
            ValidationException: with ``summarizeErrors`` (the default), an element refused here or by the remote.
        """
        async def prepare(index: int, element: dict[str, Any]):
            try:
                path, body = translate_one(translate.with_account_ids(element, await self.ids_by_code()))
            except ValidationException as exc:
                raise _echoing(element, exc) from None

            async def perform() -> XeroModel:
                try:
                    receipt = await self.post(path, body, index)
                except ValidationException as exc:
                    raise _echoing(element, exc) from None
                return await answer(element, body, receipt)
            return perform

        return await batch.run_batch(
            self.req.elements, prepare, summarize_errors=self.req.query.summarize_errors, compensate=_noop,
            on_failure=lambda _i, element, messages: batch.mark_error(batch.echo(model, element), messages),
            on_success=batch.mark_ok, compensate_unknown=False)

    # Answers ------------------------------------------------------------------------------------------------------

    async def bank_transaction(self, element: dict[str, Any], body: dict[str, Any],
                               receipt: dict[str, Any]) -> xd.BankTransaction:
        """The posted bank transaction as the remote lists it (``…/bank-transactions``, newest first searched)."""
        rows = await self.client.list_all(self.auth, f"{self.company}/bank-transactions")
        row = next((r for r in rows if r["id"] == receipt["documentId"]), None)
        if row is None:  # the remote posted it but does not list it: answer what was sent
            return xd.BankTransaction(BankTransactionID=receipt["documentId"], Type=element.get("Type"),
                                      Status="AUTHORISED")
        return translate.bank_transaction(row)

    @staticmethod
    async def manual_journal(element: dict[str, Any], body: dict[str, Any],
                             receipt: dict[str, Any]) -> xd.ManualJournal:
        return xd.ManualJournal(
            ManualJournalID=receipt["documentId"], Narration=body["memo"], Status="POSTED",
            Date=translate.day(body["date"]), LineAmountTypes=element.get("LineAmountTypes") or "NoTax",
            JournalLines=[xd.ManualJournalLine(LineAmount=translate.money(line["amountCents"]),
                                               AccountID=line["accountId"], Description=line.get("description"))
                          for line in body["lines"]])

    @staticmethod
    async def bank_transfer(element: dict[str, Any], body: dict[str, Any],
                            receipt: dict[str, Any]) -> xd.BankTransfer:
        out_id, in_id = (receipt["bankTransactionIds"] + [None, None])[:2]
        return xd.BankTransfer(BankTransferID=receipt["documentId"], Amount=translate.money(body["amountCents"]),
                               FromBankAccount=xm.AccountRef(AccountID=body["fromBankAccountId"]),
                               ToBankAccount=xm.AccountRef(AccountID=body["toBankAccountId"]),
                               Date=translate.day(body["date"]), FromBankTransactionID=out_id,
                               ToBankTransactionID=in_id, Reference=element.get("Reference"))

    @staticmethod
    async def payment(element: dict[str, Any], body: dict[str, Any], receipt: dict[str, Any]) -> xd.Payment:
        return xd.Payment(PaymentID=receipt["documentId"], Invoice=InvoiceRef(InvoiceID=body["billId"]),
                          Account=xm.AccountRef(AccountID=body["bankAccountId"]),
                          Amount=translate.money(body["amountCents"]), Date=translate.day(body["date"]),
                          Reference=body.get("reference"), Status="AUTHORISED", PaymentType="ACCPAYPAYMENT")
