"""Payments (QBO Payment + BillPayment), BankTransactions (Purchase, Deposit, SalesReceipt), BankTransfers
(Transfer) and ManualJournals (JournalEntry).

Translation rules are in :mod:`.translate.payments`, :mod:`.translate.banking` and :mod:`.translate.journals`.
Payments list in the gateway (a QBO payment of several invoices is several Xero payments, so QBO cannot page them);
the paid documents' numbers are read in one batched ``Id IN (…)`` request per answer. Deleting a Xero payment deletes
the QBO payment when it pays that one document, otherwise removes its line (a sparse update). Statuses of writes:
``mappings/qbo_statuses.toml`` (DELETED deletes; VOIDED voids a SalesReceipt and is refused for entities QBO cannot
void through its API; a journal DRAFT is posted, with a warning).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import ValidationError, XeroModel
from gateway.xero.models.documents import BankTransaction, BankTransfer, ManualJournal, Payment
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import attachments, codes, listing, refdata
from .batch import Journal, write_all
from .contacts import party
from .documents import INVOICE_FAMILY, find_document
from .ops_base import OperationsBase, account_from, draft_warning, path_param, plan_for, write_action
from .resources import BANK_TRANSACTIONS, BANK_TRANSFERS, MANUAL_JOURNALS, PAYMENTS
from .translate.banking import (
    BANK_ENTITIES,
    bank_entity_for,
    bank_transaction_to_qbo,
    bank_transaction_to_xero,
    bank_transfer_to_qbo,
    bank_transfer_to_xero,
)
from .translate.common import ZERO, Tx, money, text
from .translate.contacts import CUSTOMER, VENDOR
from .translate.journals import journal_to_qbo, journal_to_xero
from .translate.lines import accounts_needing_items, generated_item_name
from .translate.payments import PAYS, links, payment_to_qbo, payments_to_xero
from .unit import QboUnit

PAYMENT_KINDS = ("accounts", "companyinfo", "preferences")
WRITE_KINDS = (*refdata.DOCUMENT_KINDS, "taxcodes")


class BankingOperations(OperationsBase):
    """Payments, BankTransactions, BankTransfers, ManualJournals."""

    # Payments ------------------------------------------------------------------------------------------------

    async def _payments(self, unit: QboUnit, rows: list[tuple[str, dict[str, Any]]]) -> list[Payment]:
        t = await unit.tx(*PAYMENT_KINDS)
        wanted = {(PAYS[entity][0], doc_id) for entity, row in rows for doc_id, _ in links(row, entity)}
        documents = await unit.read_many(wanted, fields="Id, DocNumber") if wanted else {}
        out: list[Payment] = []
        for entity, row in rows:
            out.extend(payments_to_xero(row, entity, t, documents=documents))
        return out

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments``."""
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, PAYMENTS, Payment)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return list(await self._payments(unit, rows))

            listed = await listing.run(unit, plan, req.query, translate=translate)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _find_payment(self, unit: QboUnit, payment_id: str) -> tuple[str, dict[str, Any], Payment]:
        if not is_guid(payment_id):
            raise NotFound()
        for ref in await unit.resolve(payment_id):
            if ref.entity in PAYS:
                row = await unit.read(ref.entity, ref.qbo_id)
                for payment in await self._payments(unit, [(ref.entity, row)]):
                    if payment.PaymentID == payment_id.lower():
                        return ref.entity, row, payment
        raise NotFound()

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            _, _, payment = await self._find_payment(unit, path_param(req, "PaymentID"))
            return Result(items=[payment])

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments``: one payment."""
        return await self._write_payments(ctx, req)

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments``: several payments."""
        return await self._write_payments(ctx, req)

    async def _write_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> Payment:
                t = await unit.tx(*PAYMENT_KINDS)
                document_entity, document = await self._paid_document(unit, element)
                account = account_from(t, element.get("Account"), element)
                if account is None:
                    raise ValidationException.single("An Account must be specified (AccountID or Code)", element)
                entity, body = payment_to_qbo(element, t, document=document, document_entity=document_entity,
                                              account=account)
                row = await unit.create(entity, body, label=f"main:{index}", element=element)
                journal.add(entity, row)
                found = [p for p in await self._payments(unit, [(entity, row)])
                         if p.Invoice and p.Invoice.InvoiceID == t.guid(document_entity, document["Id"])]
                return found[0]

            return Result(items=await write_all(unit, req.elements, one, model=Payment))

    async def _paid_document(self, unit: QboUnit, element: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        invoice = element.get("Invoice")
        if element.get("CreditNote") or element.get("Prepayment") or element.get("Overpayment"):
            raise ValidationException.single("Payments of credit notes, prepayments and overpayments are not "
                                             "supported for QuickBooks Online", element)
        if not isinstance(invoice, dict):
            raise ValidationException.single("An Invoice must be specified (InvoiceID or InvoiceNumber)", element)
        key = text(invoice.get("InvoiceID")) or text(invoice.get("InvoiceNumber"))
        if key is None:
            raise ValidationException.single("An Invoice must be specified (InvoiceID or InvoiceNumber)", element)
        try:
            return await find_document(unit, INVOICE_FAMILY, key)
        except NotFound:
            raise ValidationException.single(f"The invoice '{key}' could not be found", element) from None

    async def delete_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``."""
        element = req.elements[0] if req.elements else {}
        if str(element.get("Status") or "").upper() != "DELETED":
            raise ValidationException.single("Only Status DELETED can be set on a payment", element)
        async with self.unit(ctx, req) as unit:
            entity, row, payment = await self._find_payment(unit, path_param(req, "PaymentID"))
            document_entity = PAYS[entity][0]
            target = payment.Invoice.InvoiceID if payment.Invoice else None
            t = await unit.tx(*PAYMENT_KINDS)
            remaining = [line for line in row.get("Line") or []
                         if not any(t.forward(document_entity, str(link.get("TxnId")), "") == target
                                    and link.get("TxnType") == document_entity
                                    for link in (line or {}).get("LinkedTxn") or [])]
            if not remaining:
                await unit.delete(entity, row, label="main:0", element=element)
            else:
                total = sum((money(line.get("Amount")) or ZERO for line in remaining), Decimal(0))
                await unit.update(entity, row, {"Line": remaining, "TotalAmt": total}, label="main:0",
                                  element=element)
            payment.Status = codes.statuses().payment["voided"]
            return Result(items=[payment])

    # Bank transactions ---------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions``: Purchases, Deposits and SalesReceipts."""
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, BANK_TRANSACTIONS, BankTransaction)
            t = await unit.tx(*refdata.DOCUMENT_KINDS)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return [bank_transaction_to_xero(row, entity, t) for entity, row in rows]

            listed = await listing.run(unit, plan, req.query, translate=translate)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _find_bank(self, unit: QboUnit, key: str) -> tuple[str, dict[str, Any]]:
        ref = await unit.find(key, BANK_ENTITIES) if is_guid(key) else None
        if ref is None:
            raise NotFound()
        return ref.entity, await unit.read(ref.entity, ref.qbo_id)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            entity, row = await self._find_bank(unit, path_param(req, "BankTransactionID"))
            t = await unit.tx(*refdata.DOCUMENT_KINDS)
            return Result(items=[await attachments.mark_one(
                unit, bank_transaction_to_xero(row, entity, t), resource="BankTransactions", entity=entity,
                qbo_id=str(row["Id"]), api_root=self.api_root())])

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions``."""
        return await self._write_bank(ctx, req)

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions``."""
        return await self._write_bank(ctx, req)

    async def update_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions/{BankTransactionID}``."""
        key = path_param(req, "BankTransactionID")
        req.elements = [{**e, "BankTransactionID": key} for e in req.elements] or [{"BankTransactionID": key}]
        return await self._write_bank(ctx, req)

    async def _bank_party(self, unit: QboUnit, element: dict[str, Any], entity: str, journal: Journal,
                          index: int) -> tuple[str, str] | None:
        """The contact of a bank transaction: any existing Customer/Vendor record; a new one (Vendor for money out,
        Customer for money in) when named only by a new name. SalesReceipts need a Customer."""
        contact = element.get("Contact")
        if not isinstance(contact, dict) or not (text(contact.get("ContactID")) or text(contact.get("Name"))):
            return None
        if entity == "SalesReceipt":
            return CUSTOMER, await party(unit, contact, CUSTOMER, element, journal, index)
        contact_id = text(contact.get("ContactID"))
        if contact_id and is_guid(contact_id):
            refs = [r for r in await unit.resolve(contact_id) if r.entity in (CUSTOMER, VENDOR) and not r.part]
            if refs:
                preferred = VENDOR if entity == "Purchase" else CUSTOMER
                chosen = next((r for r in refs if r.entity == preferred), refs[0])
                return chosen.entity, chosen.qbo_id
        wanted = VENDOR if entity == "Purchase" else CUSTOMER
        return wanted, await party(unit, contact, wanted, element, journal, index)

    async def _write_bank(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> BankTransaction:
                action, _ = write_action(element, "document")
                key = text(element.get("BankTransactionID"))
                current = None
                if key is not None:
                    try:
                        entity, current = await self._find_bank(unit, key)
                    except NotFound:
                        raise ValidationException.single(f"The bank transaction '{key}' could not be found",
                                                         element) from None
                else:
                    entity = bank_entity_for(element)
                t = await unit.tx(*WRITE_KINDS)
                if action == "delete":
                    if current is None:
                        raise ValidationException.single("Only an existing bank transaction can be deleted", element)
                    await unit.delete(entity, current, label=f"main:{index}", element=element)
                    model = bank_transaction_to_xero(current, entity, t)
                    model.Status = "DELETED"
                    return model
                if action == "void":
                    if current is None or entity not in codes.statuses().voidable.entities:
                        raise ValidationException.single(
                            f"QuickBooks Online cannot void a {entity}: delete it instead (Status DELETED)", element)
                    return bank_transaction_to_xero(
                        await unit.void(entity, current, label=f"main:{index}", element=element), entity, t)
                bank = account_from(t, element.get("BankAccount"), element, what="Bank account")
                party = await self._bank_party(unit, element, entity, journal, index)
                if entity == "SalesReceipt":
                    needed = accounts_needing_items(element, t)
                    for account in needed:
                        item = await unit.create("Item", {"Name": generated_item_name(account), "Type": "Service",
                                                          "IncomeAccountRef": {"value": str(account["Id"])}},
                                                 label=f"item:{account['Id']}", element=element)
                        journal.add("Item", item)
                    if needed:
                        t = await unit.refresh("items")
                body = bank_transaction_to_qbo(element, entity, t, bank=bank, party=party, create=current is None)
                if current is None:
                    row = await unit.create(entity, body, label=f"main:{index}", element=element)
                    journal.add(entity, row)
                else:
                    row = await unit.update(entity, current, body, label=f"main:{index}", element=element)
                return bank_transaction_to_xero(row, entity, t)

            return Result(items=await write_all(unit, req.elements, one, model=BankTransaction))

    # Bank transfers ------------------------------------------------------------------------------------------

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers``."""
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, BANK_TRANSFERS, BankTransfer)
            t = await unit.tx(*PAYMENT_KINDS)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return [bank_transfer_to_xero(row, t) for _, row in rows]

            listed = await listing.run(unit, plan, req.query, translate=translate)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _find_transfer(self, unit: QboUnit, key: str) -> dict[str, Any]:
        ref = await unit.find(key, ("Transfer",)) if is_guid(key) else None
        if ref is None:
            raise NotFound()
        return await unit.read("Transfer", ref.qbo_id)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            row = await self._find_transfer(unit, path_param(req, "BankTransferID"))
            return Result(items=[await attachments.mark_one(
                unit, bank_transfer_to_xero(row, await unit.tx(*PAYMENT_KINDS)), resource="BankTransfers",
                entity="Transfer", qbo_id=str(row["Id"]), api_root=self.api_root())])

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers``."""
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> BankTransfer:
                t = await unit.tx(*PAYMENT_KINDS)
                source = account_from(t, element.get("FromBankAccount"), element, what="Bank account")
                target = account_from(t, element.get("ToBankAccount"), element, what="Bank account")
                if source is None or target is None:
                    raise ValidationException.single("FromBankAccount and ToBankAccount are required", element)
                row = await unit.create("Transfer", bank_transfer_to_qbo(element, source=source, target=target),
                                        label=f"main:{index}", element=element)
                journal.add("Transfer", row)
                return bank_transfer_to_xero(row, t)

            return Result(items=await write_all(unit, req.elements, one, model=BankTransfer))

    async def delete_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers/{BankTransferID}`` (a delete in v16): the Transfer is deleted."""
        key = path_param(req, "BankTransferID")
        req.elements = [{**e, "BankTransferID": key} for e in req.elements] or [{"BankTransferID": key}]
        return await self.delete_bank_transfers(ctx, req)

    async def delete_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers`` (deletes in v16): each element names a BankTransferID."""
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> BankTransfer:
                key = text(element.get("BankTransferID"))
                try:
                    row = await self._find_transfer(unit, key or "")
                except NotFound:
                    raise ValidationException.single(f"The bank transfer '{key}' could not be found",
                                                     element) from None
                await unit.delete("Transfer", row, label=f"main:{index}", element=element)
                model = bank_transfer_to_xero(row, await unit.tx(*PAYMENT_KINDS))
                model.Status = "DELETED"
                return model

            return Result(items=await write_all(unit, req.elements, one, model=BankTransfer))

    # Manual journals -----------------------------------------------------------------------------------------

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals``."""
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, req.query, MANUAL_JOURNALS, ManualJournal)
            t = await unit.tx(*refdata.DOCUMENT_KINDS)

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[XeroModel]:
                return [journal_to_xero(row, t) for _, row in rows]

            listed = await listing.run(unit, plan, req.query, translate=translate)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _find_journal(self, unit: QboUnit, key: str) -> dict[str, Any]:
        ref = await unit.find(key, ("JournalEntry",)) if is_guid(key) else None
        if ref is None:
            raise NotFound()
        return await unit.read("JournalEntry", ref.qbo_id)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            row = await self._find_journal(unit, path_param(req, "ManualJournalID"))
            return Result(items=[await attachments.mark_one(
                unit, journal_to_xero(row, await unit.tx(*refdata.DOCUMENT_KINDS)), resource="ManualJournals",
                entity="JournalEntry", qbo_id=str(row["Id"]), api_root=self.api_root())])

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals``."""
        return await self._write_journals(ctx, req)

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals``."""
        return await self._write_journals(ctx, req)

    async def update_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals/{ManualJournalID}``."""
        key = path_param(req, "ManualJournalID")
        req.elements = [{**e, "ManualJournalID": key} for e in req.elements] or [{"ManualJournalID": key}]
        return await self._write_journals(ctx, req)

    async def _write_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> ManualJournal:
                action, asked = write_action(element, "journal")
                key = text(element.get("ManualJournalID"))
                current = None
                if key is not None:
                    try:
                        current = await self._find_journal(unit, key)
                    except NotFound:
                        raise ValidationException.single(f"The manual journal '{key}' could not be found",
                                                         element) from None
                t: Tx = await unit.tx(*WRITE_KINDS)
                if action == "delete":
                    if current is None:
                        raise ValidationException.single("Only an existing manual journal can be deleted", element)
                    await unit.delete("JournalEntry", current, label=f"main:{index}", element=element)
                    model = journal_to_xero(current, t)
                    model.Status = "DELETED"
                    return model
                if action == "void":
                    raise ValidationException.single(
                        "QuickBooks Online cannot void a journal entry: delete it instead (Status DELETED)", element)
                body = journal_to_qbo(element, t, create=current is None)
                if current is None:
                    row = await unit.create("JournalEntry", body, label=f"main:{index}", element=element)
                    journal.add("JournalEntry", row)
                else:
                    row = await unit.update("JournalEntry", current, body, label=f"main:{index}", element=element)
                model = journal_to_xero(row, t)
                warnings = draft_warning(asked, "manual journal", codes.statuses().journal["posted"])
                if warnings:
                    model.Warnings = [ValidationError(Message=w) for w in warnings]
                return model

            return Result(items=await write_all(unit, req.elements, one, model=ManualJournal))
