"""Posting an intent under an ``Idempotency-Key`` and answering its receipt (issue 16).

A key belongs to one client and one company. The first request claims it (a :class:`~.tables.PartnerPosting` row
with the body's digest and no receipt), runs the native adapter's Xero operation (:mod:`.intents`) and stores the
receipt; a later request with the same key and the same body gets that receipt again with
``idempotentReplay: true``; with another body, ``idempotency_conflict``. The Xero write itself carries the key too
(the native ledger records it in the write's own transaction, :mod:`adapters.native.keyed`), so a claim left without
a receipt by a crash is completed from that record, or released when the write never committed.

Receipt: ``{journalEntryId, bankTransactionIds, affectedAccountIds, idempotentReplay}``: the journal the posting
wrote, the bank transactions it made (a transfer makes two), and every account its journal touched.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from gateway.xero.errors import NotFound, ValidationException, XeroApiError
from gateway.xero.request import RequestContext, Result, XeroRequest

from .. import messages
from ..ledger import posting
from ..tables.documents import BankTransaction
from .errors import PartnerError
from .intents import INTENTS, Intent
from .tables import PartnerPosting

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ..adapter import NativeLedgerAdapter

#: Longest ``Idempotency-Key``: the native ledger keeps the key of the Xero write it makes, ``partner:{key}``, in
#: 128 characters (``native_keyed_writes.idempotency_key``).
MAX_KEY_LENGTH = 120
_LOCK_PREFIXES = tuple(m.split("{")[0] for m in (messages.LOCK_DATE_END_OF_YEAR, messages.LOCK_DATE_PERIOD))


def body_digest(intent: str, body: dict[str, Any]) -> str:
    """SHA-256 of the intent and its body in canonical JSON (key order and spacing do not matter)."""
    canonical = json.dumps([intent, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _messages(exc: ValidationException) -> list[str]:
    return [e.get("Message", "") for el in exc.elements for e in el.get("ValidationErrors", [])] or [exc.message]


def partner_error(exc: XeroApiError) -> PartnerError:
    """The native adapter's Xero error → the partner API's (lock-date refusals → ``accounting_period_locked``)."""
    if isinstance(exc, ValidationException):
        found = _messages(exc)
        if any(m.startswith(_LOCK_PREFIXES) for m in found):
            return PartnerError("accounting_period_locked", "; ".join(found))
        return PartnerError("validation_failed", "; ".join(found))
    if isinstance(exc, NotFound):
        return PartnerError("not_found", exc.message)
    if exc.status == 503:
        return PartnerError("ledger_busy", exc.message or "The ledger is busy; retry shortly")
    if exc.status < 500:
        return PartnerError("validation_failed", exc.message)
    raise exc


class Poster:
    """Posts intents on the native ledger through its adapter.

    Args:
        adapter: the started native adapter (source 1000).
    """

    def __init__(self, adapter: NativeLedgerAdapter) -> None:
        self.adapter = adapter

    def _session(self) -> AsyncSession:
        return self.adapter._session()  # noqa: SLF001 - the partner API is the native ledger's own second face

    async def post(self, intent_name: str, *, ctx: RequestContext, key: str | None,
                   body: dict[str, Any]) -> dict[str, Any]:
        """Post ``body`` as ``intent_name`` for ``ctx.tenant_id`` (the company) under ``key``; the receipt.

        Raises:
            PartnerError: ``idempotency_key_required`` (no key), ``idempotency_conflict`` (key reused with another
                body), ``idempotency_in_progress`` (the first request still runs), ``validation_failed``,
                ``accounting_period_locked``, ``not_found``, ``ledger_busy``.
        """
        if not key or not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise PartnerError("idempotency_key_required",
                               f"An 'Idempotency-Key' header (1-{MAX_KEY_LENGTH} characters) is required")
        intent = INTENTS[intent_name]
        element = intent.element(body)  # validate before claiming the key
        digest = body_digest(intent_name, body)
        req = XeroRequest(operation_id=intent.operation_id, method="PUT", elements=[element],
                          idempotency_key=f"partner:{key}")
        replay = await self._claim(ctx, key, digest, intent, req)
        if replay is not None:
            return {**replay, "idempotentReplay": True}
        try:
            result = await self.adapter.operation(intent.operation_id)(ctx, req)
        except XeroApiError as exc:
            await self._release(ctx, key)
            raise partner_error(exc) from exc
        except BaseException:
            await self._release(ctx, key)
            raise
        receipt = await self._receipt(ctx, intent, result)
        await self._finish(ctx, key, receipt)
        return {**receipt, "idempotentReplay": False}

    def _where(self, ctx: RequestContext, key: str):
        return (PartnerPosting.client_id == ctx.client_id, PartnerPosting.company_id == ctx.tenant_id,
                PartnerPosting.idempotency_key == key)

    async def _claim(self, ctx: RequestContext, key: str, digest: str, intent: Intent,
                     req: XeroRequest) -> dict[str, Any] | None:
        """Claim ``key``; the stored receipt when it was already used with the same body, else ``None``."""
        try:
            async with self._session() as session, session.begin():
                session.add(PartnerPosting(client_id=ctx.client_id, company_id=ctx.tenant_id, idempotency_key=key,
                                           body_hash=digest, receipt=None, created_utc=self.adapter.clock()))
            return None
        except IntegrityError:
            pass
        async with self._session() as session:
            row = await session.scalar(select(PartnerPosting).where(*self._where(ctx, key)))
        if row is None:  # released meanwhile: claim again
            return await self._claim(ctx, key, digest, intent, req)
        if row.body_hash != digest:
            raise PartnerError("idempotency_conflict",
                               "This Idempotency-Key was already used with a different request body")
        if row.receipt is not None:
            return row.receipt
        recorded = await self.adapter.recorded_write(ctx, req)
        if recorded is None:
            raise PartnerError("idempotency_in_progress", "A request with this Idempotency-Key is still running")
        receipt = await self._receipt(ctx, intent, recorded)  # committed before a crash: complete the claim
        await self._finish(ctx, key, receipt)
        return receipt

    async def _release(self, ctx: RequestContext, key: str) -> None:
        async with self._session() as session, session.begin():
            await session.execute(delete(PartnerPosting).where(*self._where(ctx, key),
                                                                PartnerPosting.receipt.is_(None)))

    async def _finish(self, ctx: RequestContext, key: str, receipt: dict[str, Any]) -> None:
        async with self._session() as session, session.begin():
            row = await session.scalar(select(PartnerPosting).where(*self._where(ctx, key)))
            if row is not None:
                row.receipt = receipt

    async def _receipt(self, ctx: RequestContext, intent: Intent, result: Result) -> dict[str, Any]:
        document_id = str(getattr(result.items[0], intent.id_field))
        async with self._session() as session:
            journals = await posting.live_journals(session, ctx.tenant_id, document_id)
            if intent.name == "transfer":
                bank_ids = list(await session.scalars(select(BankTransaction.id).where(
                    BankTransaction.company_id == ctx.tenant_id, BankTransaction.transfer_id == document_id)
                    .order_by(BankTransaction.type.desc())))  # SPEND-TRANSFER (out) first
            elif intent.operation_id == "createBankTransactions":
                bank_ids = [document_id]
            else:
                bank_ids = []
            journal = max(journals, key=lambda j: j.number) if journals else None
            accounts = sorted({line.account_id for line in journal.lines}) if journal is not None else []
        return {"journalEntryId": journal.id if journal is not None else None, "bankTransactionIds": bank_ids,
                "affectedAccountIds": accounts, "documentId": document_id}
