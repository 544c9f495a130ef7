"""Payments, BankTransactions, BankTransfers and ManualJournals.

Operations: ``getPayments``, ``getPayment``, ``createPayment``, ``createPayments``, ``deletePayment``;
``getBankTransactions``, ``getBankTransaction``, ``createBankTransactions``, ``updateOrCreateBankTransactions``,
``updateBankTransaction``; ``getBankTransfers``, ``getBankTransfer``, ``createBankTransfer``, ``deleteBankTransfer``;
``getManualJournals``, ``getManualJournal``, ``createManualJournals``, ``updateOrCreateManualJournals``,
``updateManualJournal``.

Deletions (Xero: ``POST /Payments/{id}`` with ``Status: DELETED``; ``POST /BankTransfers/{id}`` in v16; a
BankTransaction or ManualJournal updated to ``DELETED``/``VOIDED``) are Sage ``DELETE`` s of the record (swagger
``DELETE /contact_payments/{key}``, ``/bank_transfers/{key}``, ``/other_payments/{key}``, ``/journals/{key}``).
A Sage contact payment allocated to several documents is several Xero Payments; deleting one of them deletes the
whole Sage payment, so it is refused unless the payment pays that one document (ours).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.models.documents import BankTransaction, BankTransfer, ManualJournal, Payment
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import collections, listing, messages
from .batch import run_batch
from .codes import tables
from .ops_contacts import resolve_guids
from .query import Collection, guid_literals, plan
from .translate.banking import (
    bank_transaction_body,
    bank_transaction_from_sage,
    bank_transfer_body,
    bank_transfer_from_sage,
)
from .translate.common import ZERO, Tx, money, ref_id, xero_date, xero_number, xero_text
from .translate.journals import journal_body, manual_journal_from_sage
from .translate.payments import payments_from_sage

if TYPE_CHECKING:
    from .call import Call
    from .ops_contacts import ContactOps

BANK_KINDS = ("ledger_accounts", "bank_accounts", "tax_rates")
DELETED_STATUSES = ("DELETED", "VOIDED")


async def bank_account_of(call: Call, tx: Tx, ref: Any, element: dict[str, Any]) -> str:
    """The Sage bank account an ``Account``/``BankAccount`` reference names (``AccountID``: the bank's ledger account
    or the bank account itself; else ``Code``).

    Raises:
        ValidationException: no reference, or one that names no bank account.
    """
    ref = ref if isinstance(ref, dict) else {}
    guid, code = xero_text(ref, "AccountID"), xero_text(ref, "Code")
    bank = None
    if guid:
        found = await call.find(guid, ("ledger_accounts", "bank_accounts"))
        if found is not None:
            bank = tx.refs.bank_account(found.sage_id) if found.resource == "bank_accounts" else \
                tx.refs.bank_account_for_ledger(found.sage_id)
    elif code:
        ledger = tx.refs.ledger_account_by_code(code)
        bank = tx.refs.bank_account_for_ledger(str(ledger["id"])) if ledger else None
        if bank is None:
            bank = next((b for b in tx.refs.rows("bank_accounts") if str(b.get("nominal_code")) == code.lstrip("0")),
                        None)
    else:
        raise ValidationException.single(messages.BANK_ACCOUNT_REQUIRED, element)
    if bank is None:
        raise ValidationException.single(messages.PAYMENT_ACCOUNT_NOT_BANK, element)
    return str(bank["id"])


class BankingOps:
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    if TYPE_CHECKING:
        def call(self, ctx: RequestContext, req: XeroRequest) -> Any: ...
        find_contact = ContactOps.find_contact
        ensure_contact = ContactOps.ensure_contact

    async def _list(self, ctx: RequestContext, req: XeroRequest, collection: Collection, model: type,
                    translate_row) -> Result:
        async with self.call(ctx, req) as call:
            query = req.query
            if query.where is not None:
                xq.check_fields(query.where, model)
            if query.order:
                xq.check_fields(query.order, model)
            tx = await call.tx(*BANK_KINDS)

            async def translate(rows: listing.Rows) -> list[Any]:
                out = []
                for _, row in rows:
                    made = translate_row(row, tx)
                    out.extend(made if isinstance(made, list) else [made] if made is not None else [])
                return out

            resolved = await resolve_guids(call, [g for _, g in guid_literals(query.where, collection)]
                                           + list(query.contact_ids))
            listed = await listing.run(call, plan(collection, query, resolved=resolved), query, translate=translate)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _one(self, call: Call, guid: str | None, resource: str) -> tuple[str, dict[str, Any], str]:
        """``(sage id, record, part)`` behind a GUID of ``resource`` (parts allowed: payments)."""
        for ref in await call.resolve(guid or ""):
            if ref.resource == resource:
                return ref.sage_id, await call.read(resource, ref.sage_id), ref.part
        raise NotFound()

    # Payments ----------------------------------------------------------------------------------------------

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list(ctx, req, collections.PAYMENTS, Payment, payments_from_sage)

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            guid = req.path_params.get("PaymentID")
            _, row, _ = await self._one(call, guid, "contact_payments")
            tx = await call.tx(*BANK_KINDS)
            found = [p for p in payments_from_sage(row, tx) if p.PaymentID == normalise_guid(guid)]
            if not found:
                raise NotFound()
            return Result(items=found)

    async def _write_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*BANK_KINDS)
            t = tables()

            async def prepare(index: int, element: dict[str, Any]):
                if (xero_text(element, "Status") or "AUTHORISED").upper() != "AUTHORISED":
                    raise ValidationException.single(messages.PAYMENT_DELETE_STATUS, element)
                target = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else None
                collection, id_field = "Invoices", "InvoiceID"
                if target is None and isinstance(element.get("CreditNote"), dict):
                    target, collection, id_field = element["CreditNote"], "CreditNotes", "CreditNoteID"
                if not target or not xero_text(target, id_field):
                    raise ValidationException.single(messages.PAYMENT_INVOICE_REQUIRED, element)
                ref = await call.find(target[id_field], tuple(k.resource for k in t.kinds(collection)))
                if ref is None:
                    raise ValidationException.single(messages.DOCUMENT_NOT_FOUND, element)
                document = await call.read(ref.resource, ref.sage_id)
                kind = t.documents_by_resource[ref.resource]
                status = t.status_read.get(ref_id(document.get("status")) or "", "DRAFT")
                if document.get("deleted_at") or status != "AUTHORISED":
                    raise ValidationException.single(messages.PAYMENT_INVOICE_STATUS, element)
                amount = xero_number(element, "Amount")
                if amount is None or amount <= 0:
                    raise ValidationException.single(messages.PAYMENT_AMOUNT_POSITIVE, element)
                if amount > (money(document.get("outstanding_amount")) or ZERO):
                    raise ValidationException.single(messages.PAYMENT_EXCEEDS, element)
                day = xero_date(element, "Date")
                if day is None:
                    raise ValidationException.single(messages.PAYMENT_DATE_REQUIRED, element)
                if not isinstance(element.get("Account"), dict):
                    raise ValidationException.single(messages.PAYMENT_ACCOUNT_REQUIRED, element)
                bank_id = await bank_account_of(call, tx, element["Account"], element)
                body: dict[str, Any] = {
                    "transaction_type_id": kind.payment_type, "contact_id": ref_id(document.get("contact")),
                    "bank_account_id": bank_id, "date": day.isoformat(), "total_amount": amount,
                    "allocated_artefacts": [{"artefact_id": ref.sage_id, "amount": amount}]}
                reference = xero_text(element, "Reference")
                if reference:
                    body["reference"] = reference
                rate = xero_number(element, "CurrencyRate")
                if rate is not None:
                    body["exchange_rate"] = rate

                async def perform() -> Payment:
                    made = await call.create("contact_payments", "contact_payment", body, label=f"payment:{index}",
                                             element=element)
                    found = [p for p in payments_from_sage(made, tx)
                             if p.PaymentID == tx.guid("contact_payments", made["id"], f"artefact:{ref.sage_id}")]
                    return found[0] if found else payments_from_sage(made, tx)[0]
                return perform

            out = await run_batch(call, req.elements, prepare, collection="Payments",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_payments(ctx, req)

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_payments(ctx, req)

    async def delete_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            element = req.elements[0] if req.elements else {}
            if (xero_text(element, "Status") or "").upper() != "DELETED":
                raise ValidationException.single(messages.PAYMENT_DELETE_STATUS, element)
            guid = req.path_params.get("PaymentID")
            sage_id, row, _ = await self._one(call, guid, "contact_payments")
            tx = await call.tx(*BANK_KINDS)
            payments = payments_from_sage(row, tx)
            mine = [p for p in payments if p.PaymentID == normalise_guid(guid)]
            if not mine:
                raise NotFound()
            if len(payments) > 1:
                raise ValidationException.single(
                    "This payment is part of a Sage payment of several documents and cannot be deleted alone.",
                    element)
            await call.delete("contact_payments", sage_id, element=element)
            mine[0].Status = "DELETED"
            return Result(items=mine)

    # Bank transactions -------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list(ctx, req, collections.BANK_TRANSACTIONS, BankTransaction, bank_transaction_from_sage)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            _, row, _ = await self._one(call, req.path_params.get("BankTransactionID"), "other_payments")
            model = bank_transaction_from_sage(row, await call.tx(*BANK_KINDS))
            if model is None:
                raise NotFound()
            return Result(items=[model])

    async def _write_bank_transactions(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                                       id_param: str | None = None) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*BANK_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                guid = req.path_params.get(id_param) if id_param else xero_text(element, "BankTransactionID")
                existing = None
                if guid and (upsert or id_param):
                    sage_id, current, _ = await self._one(call, guid, "other_payments")
                    existing = sage_id
                    if (xero_text(element, "Status") or "").upper() in DELETED_STATUSES:
                        async def perform_delete() -> BankTransaction:
                            await call.delete("other_payments", sage_id, element=element)
                            model = bank_transaction_from_sage({**current, "deleted_at": "deleted"}, tx)
                            assert model is not None
                            return model
                        return perform_delete
                    element = {"Type": bank_transaction_from_sage(current, tx).Type, **element}  # type: ignore[union-attr]
                bank_ref = element.get("BankAccount")
                bank_id = await bank_account_of(call, tx, bank_ref, element) if bank_ref or not existing else None
                found_contact = None
                if isinstance(element.get("Contact"), dict) and (element["Contact"].get("ContactID")
                                                                 or element["Contact"].get("Name")):
                    found_contact = await self.find_contact(call, element)
                body = bank_transaction_body(element, tx, bank_account_id=bank_id or "", contact_id=None,
                                             today=call.today(), creating=existing is None)
                if not bank_id:
                    body.pop("bank_account_id", None)
                label = f"other_payments:{index}"

                async def perform() -> BankTransaction:
                    if found_contact is not None:
                        needed = tables().contact_types["supplier" if body["transaction_type_id"] == "OTHER_PAYMENT"
                                                        else "customer"]
                        body["contact_id"] = await self.ensure_contact(call, found_contact, needed_type=needed,
                                                                       label=label, element=element)
                    if existing is None:
                        made = await call.create("other_payments", "other_payment", body, label=label,
                                                 element=element)
                    else:
                        made = await call.update("other_payments", "other_payment", existing, body, element=element)
                    model = bank_transaction_from_sage(made, tx)
                    assert model is not None
                    return model
                return perform

            out = await run_batch(call, req.elements, prepare, collection="BankTransactions",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_bank_transactions(ctx, req, upsert=False)

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_bank_transactions(ctx, req, upsert=True)

    async def update_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_bank_transactions(ctx, req, upsert=True, id_param="BankTransactionID")

    # Bank transfers ----------------------------------------------------------------------------------------

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list(ctx, req, collections.BANK_TRANSFERS, BankTransfer, bank_transfer_from_sage)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            _, row, _ = await self._one(call, req.path_params.get("BankTransferID"), "bank_transfers")
            return Result(items=[bank_transfer_from_sage(row, await call.tx(*BANK_KINDS))])

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*BANK_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                from_id = await bank_account_of(call, tx, element.get("FromBankAccount"), element)
                to_id = await bank_account_of(call, tx, element.get("ToBankAccount"), element)
                body = bank_transfer_body(element, from_id=from_id, to_id=to_id, today=call.today())

                async def perform() -> BankTransfer:
                    made = await call.create("bank_transfers", "bank_transfer", body, label=f"transfer:{index}",
                                             element=element)
                    return bank_transfer_from_sage(made, tx)
                return perform

            out = await run_batch(call, req.elements, prepare, collection="BankTransfers",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def delete_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            element = req.elements[0] if req.elements else {}
            sage_id, row, _ = await self._one(call, req.path_params.get("BankTransferID"), "bank_transfers")
            await call.delete("bank_transfers", sage_id, element=element)
            return Result(items=[bank_transfer_from_sage({**row, "deleted_at": "deleted"},
                                                         await call.tx(*BANK_KINDS))])

    # Manual journals ---------------------------------------------------------------------------------------

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._list(ctx, req, collections.MANUAL_JOURNALS, ManualJournal, manual_journal_from_sage)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            _, row, _ = await self._one(call, req.path_params.get("ManualJournalID"), "journals")
            return Result(items=[manual_journal_from_sage(row, await call.tx(*BANK_KINDS))])

    async def _write_journals(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                              id_param: str | None = None) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*BANK_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                guid = req.path_params.get(id_param) if id_param else xero_text(element, "ManualJournalID")
                if guid and (upsert or id_param):
                    sage_id, current, _ = await self._one(call, guid, "journals")
                    if (xero_text(element, "Status") or "").upper() not in DELETED_STATUSES:
                        raise ValidationException.single(messages.JOURNAL_EDIT, element)

                    async def perform_delete() -> ManualJournal:
                        await call.delete("journals", sage_id, element=element)
                        return manual_journal_from_sage({**current, "deleted_at": "deleted"}, tx)
                    return perform_delete
                body = journal_body(element, tx, today=call.today())

                async def perform() -> ManualJournal:
                    made = await call.create("journals", "journal", body, label=f"journal:{index}", element=element)
                    return manual_journal_from_sage(made, tx)
                return perform

            out = await run_batch(call, req.elements, prepare, collection="ManualJournals",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_journals(ctx, req, upsert=False)

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_journals(ctx, req, upsert=True)

    async def update_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_journals(ctx, req, upsert=True, id_param="ManualJournalID")


