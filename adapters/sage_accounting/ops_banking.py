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

from collections.abc import Callable
from functools import partial
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.models import XeroModel
from gateway.xero.models.documents import BankTransaction, BankTransfer, ManualJournal, Payment
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import listing, messages, resources
from .batch import Perform
from .codes import tables
from .contacts import FoundContact, ensure_contact, find_contact, names_contact
from .ids import SageRef
from .ops_base import OpsBase, check_query, plan_list
from .parents import has_attachments
from .query import Collection
from .translate.banking import (
    bank_transaction_body,
    bank_transaction_from_sage,
    bank_transfer_body,
    bank_transfer_from_sage,
)
from .translate.common import ZERO, Tx, money, ref_id, xero_date, xero_number, xero_text
from .translate.journals import journal_body, manual_journal_from_sage
from .translate.payments import payments_from_sage
from .unit import SageUnit

BANK_KINDS = ("ledger_accounts", "bank_accounts", "tax_rates")
DELETED_STATUSES = ("DELETED", "VOIDED")
#: One Sage record → its Xero models (a list: one contact payment may be several Xero Payments).
RowTranslator = Callable[[dict[str, Any], Tx], Any]


async def bank_account_of(unit: SageUnit, tx: Tx, ref: Any, element: dict[str, Any]) -> str:
    """The Sage bank account an ``Account``/``BankAccount`` reference names (``AccountID``: the bank's ledger account
    or the bank account itself; else ``Code``).

    Raises:
        ValidationException: no reference, or one that names no bank account.
    """
    ref = ref if isinstance(ref, dict) else {}
    guid, code = xero_text(ref, "AccountID"), xero_text(ref, "Code")
    bank = None
    if guid:
        found = await unit.find(guid, ("ledger_accounts", "bank_accounts"))
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


async def one_record(unit: SageUnit, guid: str | None, resource: str) -> tuple[str, dict[str, Any], str]:
    """``(sage id, record, part)`` behind a GUID of ``resource`` (parts allowed: payments).

    Raises:
        NotFound: the GUID names no record of ``resource``.
    """
    for ref in await unit.resolve(guid or ""):
        if ref.resource == resource:
            return ref.sage_id, await unit.read(resource, ref.sage_id), ref.part
    raise NotFound()


class BankingOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def _list(self, ctx: RequestContext, req: XeroRequest, collection: Collection, model: type,
                    translate_row: RowTranslator) -> Result:
        async with self.unit(ctx, req) as unit:
            query = req.query
            check_query(query, model)
            tx = await unit.tx(*BANK_KINDS)
            listed = await listing.run(unit, await plan_list(unit, collection, query), query,
                                       translate=partial(_models_from_rows, translate_row, tx))
            return Result(items=listed.items, pagination=listed.pagination)

    # Payments ----------------------------------------------------------------------------------------------

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments`` over ``GET /contact_payments`` (one Xero Payment per allocated document)."""
        return await self._list(ctx, req, resources.PAYMENTS, Payment, payments_from_sage)

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}`` → ``GET /contact_payments/{id}`` (the part for that document)."""
        async with self.unit(ctx, req) as unit:
            guid = req.path_params.get("PaymentID")
            _, row, _ = await one_record(unit, guid, "contact_payments")
            tx = await unit.tx(*BANK_KINDS)
            found = [p for p in payments_from_sage(row, tx) if p.PaymentID == normalise_guid(guid)]
            if not found:
                raise NotFound()
            return Result(items=found)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments`` (one payment) → ``POST /contact_payments`` allocated to its document."""
        return await self._write_payments(ctx, req)

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments`` (several) → one ``POST /contact_payments`` per element."""
        return await self._write_payments(ctx, req)

    async def _write_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self.write_batch(ctx, req, _prepare_payment, collection="Payments", kinds=BANK_KINDS)

    async def delete_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments/{PaymentID}`` with ``Status: DELETED`` → ``DELETE /contact_payments/{id}``."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            if (xero_text(element, "Status") or "").upper() != "DELETED":
                raise ValidationException.single(messages.PAYMENT_DELETE_STATUS, element)
            guid = req.path_params.get("PaymentID")
            sage_id, row, _ = await one_record(unit, guid, "contact_payments")
            tx = await unit.tx(*BANK_KINDS)
            payments = payments_from_sage(row, tx)
            mine = [p for p in payments if p.PaymentID == normalise_guid(guid)]
            if not mine:
                raise NotFound()
            if len(payments) > 1:
                raise ValidationException.single(
                    "This payment is part of a Sage payment of several documents and cannot be deleted alone.",
                    element)
            await unit.delete("contact_payments", sage_id, element=element)
            mine[0].Status = "DELETED"
            return Result(items=mine)

    # Bank transactions -------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions`` over ``GET /other_payments``."""
        return await self._list(ctx, req, resources.BANK_TRANSACTIONS, BankTransaction, bank_transaction_from_sage)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}`` → ``GET /other_payments/{id}``."""
        async with self.unit(ctx, req) as unit:
            sage_id, row, _ = await one_record(unit, req.path_params.get("BankTransactionID"), "other_payments")
            model = bank_transaction_from_sage(row, await unit.tx(*BANK_KINDS))
            if model is None:
                raise NotFound()
            model.HasAttachments = await has_attachments(unit, "other_payments", sage_id)
            return Result(items=[model])

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions`` → ``POST /other_payments`` per element."""
        return await self._write_bank_transactions(ctx, req, upsert=False)

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions``: ``PUT``/``DELETE /other_payments/{id}`` for known ids, else ``POST``."""
        return await self._write_bank_transactions(ctx, req, upsert=True)

    async def update_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions/{BankTransactionID}`` → ``PUT`` (or ``DELETE``) ``/other_payments/{id}``."""
        return await self._write_bank_transactions(ctx, req, upsert=True, id_param="BankTransactionID")

    async def _write_bank_transactions(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                                       id_param: str | None = None) -> Result:
        return await self.write_batch(ctx, req, _prepare_bank_transaction, collection="BankTransactions",
                                      kinds=BANK_KINDS, upsert=upsert,
                                      target=req.path_params.get(id_param) if id_param else None)

    # Bank transfers ----------------------------------------------------------------------------------------

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers`` over ``GET /bank_transfers``."""
        return await self._list(ctx, req, resources.BANK_TRANSFERS, BankTransfer, bank_transfer_from_sage)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}`` → ``GET /bank_transfers/{id}``."""
        async with self.unit(ctx, req) as unit:
            sage_id, row, _ = await one_record(unit, req.path_params.get("BankTransferID"), "bank_transfers")
            model = bank_transfer_from_sage(row, await unit.tx(*BANK_KINDS))
            model.HasAttachments = await has_attachments(unit, "bank_transfers", sage_id)
            return Result(items=[model])

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers`` → ``POST /bank_transfers`` per element."""
        return await self.write_batch(ctx, req, _prepare_bank_transfer, collection="BankTransfers", kinds=BANK_KINDS)

    async def delete_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers/{BankTransferID}`` (deletion) → ``DELETE /bank_transfers/{id}``."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            sage_id, row, _ = await one_record(unit, req.path_params.get("BankTransferID"), "bank_transfers")
            await unit.delete("bank_transfers", sage_id, element=element)
            return Result(items=[bank_transfer_from_sage({**row, "deleted_at": "deleted"},
                                                         await unit.tx(*BANK_KINDS))])

    async def delete_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers`` with ``Status`` ``DELETED`` elements → ``DELETE /bank_transfers/{id}`` each
        (:mod:`.batch`: every element checked first, ``summarizeErrors``)."""
        return await self.write_batch(ctx, req, _prepare_transfer_deletion, collection="BankTransfers",
                                      kinds=BANK_KINDS)

    # Manual journals ---------------------------------------------------------------------------------------

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals`` over ``GET /journals``."""
        return await self._list(ctx, req, resources.MANUAL_JOURNALS, ManualJournal, manual_journal_from_sage)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}`` → ``GET /journals/{id}``."""
        async with self.unit(ctx, req) as unit:
            sage_id, row, _ = await one_record(unit, req.path_params.get("ManualJournalID"), "journals")
            model = manual_journal_from_sage(row, await unit.tx(*BANK_KINDS))
            model.HasAttachments = await has_attachments(unit, "journals", sage_id)
            return Result(items=[model])

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals`` → ``POST /journals`` per element (Sage journals are posted when made)."""
        return await self._write_journals(ctx, req, upsert=False)

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals``: a known journal can only be deleted (``DELETE /journals/{id}``), others made."""
        return await self._write_journals(ctx, req, upsert=True)

    async def update_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals/{ManualJournalID}``: only ``DELETED``/``VOIDED`` → ``DELETE /journals/{id}``."""
        return await self._write_journals(ctx, req, upsert=True, id_param="ManualJournalID")

    async def _write_journals(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                              id_param: str | None = None) -> Result:
        return await self.write_batch(ctx, req, _prepare_journal, collection="ManualJournals", kinds=BANK_KINDS,
                                      upsert=upsert, target=req.path_params.get(id_param) if id_param else None)


async def _models_from_rows(translate_row: RowTranslator, tx: Tx, rows: listing.Rows) -> list[Any]:
    out = []
    for _, row in rows:
        made = translate_row(row, tx)
        out.extend(made if isinstance(made, list) else [made] if made is not None else [])
    return out


# Writes: prepared for every element first, then performed (adapters.sage_accounting.batch) -----------------------

async def _prepare_payment(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any]) -> Perform:
    """Validate one payment against its document and build the ``contact_payments`` body (no write yet).

    Raises:
        ValidationException: a status other than AUTHORISED, no known or no AUTHORISED document, an amount not
            above zero or above what is outstanding, no date, no bank account.
    """
    t = tables()
    if (xero_text(element, "Status") or "AUTHORISED").upper() != "AUTHORISED":
        raise ValidationException.single(messages.PAYMENT_DELETE_STATUS, element)
    target = element.get("Invoice") if isinstance(element.get("Invoice"), dict) else None
    collection, id_field = "Invoices", "InvoiceID"
    if target is None and isinstance(element.get("CreditNote"), dict):
        target, collection, id_field = element["CreditNote"], "CreditNotes", "CreditNoteID"
    if not target or not xero_text(target, id_field):
        raise ValidationException.single(messages.PAYMENT_INVOICE_REQUIRED, element)
    ref = await unit.find(target[id_field], tuple(k.resource for k in t.kinds(collection)))
    if ref is None:
        raise ValidationException.single(messages.DOCUMENT_NOT_FOUND, element)
    document = await unit.read(ref.resource, ref.sage_id)
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
    bank_id = await bank_account_of(unit, tx, element["Account"], element)
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
    return partial(_create_payment, unit, tx, ref, body, index, element)


async def _create_payment(unit: SageUnit, tx: Tx, document: SageRef, body: dict[str, Any], index: int,
                          element: dict[str, Any]) -> Payment:
    """``POST /contact_payments`` through the write ledger; the Xero Payment of the paid document."""
    made = await unit.create("contact_payments", "contact_payment", body, label=f"payment:{index}", element=element)
    found = [p for p in payments_from_sage(made, tx)
             if p.PaymentID == tx.guid("contact_payments", made["id"], f"artefact:{document.sage_id}")]
    return found[0] if found else payments_from_sage(made, tx)[0]


async def _prepare_bank_transaction(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, upsert: bool,
                                    target: str | None) -> Perform:
    """Validate and translate one bank transaction (no write yet): a deletion or change of a known one (``target``,
    the path id, or the element's id), else a create.

    Raises:
        ValidationException: no bank account, an unknown contact id, or fields Sage's other payment cannot hold.
        NotFound: an unknown BankTransactionID.
    """
    guid = target or xero_text(element, "BankTransactionID")
    existing = None
    if guid and (upsert or target):
        sage_id, current, _ = await one_record(unit, guid, "other_payments")
        existing = sage_id
        if (xero_text(element, "Status") or "").upper() in DELETED_STATUSES:
            return partial(_delete_bank_transaction, unit, tx, sage_id, current, element)
        element = {"Type": bank_transaction_from_sage(current, tx).Type, **element}  # type: ignore[union-attr]
    bank_ref = element.get("BankAccount")
    bank_id = await bank_account_of(unit, tx, bank_ref, element) if bank_ref or not existing else None
    found_contact = await find_contact(unit, element) if names_contact(element) else None
    body = bank_transaction_body(element, tx, bank_account_id=bank_id or "", contact_id=None,
                                 today=unit.today(), creating=existing is None)
    if not bank_id:
        body.pop("bank_account_id", None)
    return partial(_write_bank_transaction, unit, tx, existing, body, found_contact, f"other_payments:{index}",
                   element)


async def _delete_bank_transaction(unit: SageUnit, tx: Tx, sage_id: str, current: dict[str, Any],
                                   element: dict[str, Any]) -> BankTransaction:
    """``DELETE /other_payments/{id}``; the transaction answered as deleted."""
    await unit.delete("other_payments", sage_id, element=element)
    model = bank_transaction_from_sage({**current, "deleted_at": "deleted"}, tx)
    assert model is not None
    return model


async def _write_bank_transaction(unit: SageUnit, tx: Tx, existing: str | None, body: dict[str, Any],
                                  found_contact: FoundContact | None, label: str,
                                  element: dict[str, Any]) -> BankTransaction:
    """The contact (found or created, as a supplier of a SPEND, a customer of a RECEIVE), then ``POST
    /other_payments`` through the write ledger, or ``PUT /other_payments/{existing}``."""
    if found_contact is not None:
        needed = tables().contact_types["supplier" if body["transaction_type_id"] == "OTHER_PAYMENT" else "customer"]
        body["contact_id"] = await ensure_contact(unit, found_contact, needed_type=needed, label=label,
                                                  element=element)
    if existing is None:
        made = await unit.create("other_payments", "other_payment", body, label=label, element=element)
    else:
        made = await unit.update("other_payments", "other_payment", existing, body, element=element)
    model = bank_transaction_from_sage(made, tx)
    assert model is not None
    return model


async def _prepare_bank_transfer(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any]) -> Perform:
    """Validate and translate one bank transfer (no write yet).

    Raises:
        ValidationException: a bank account missing or unknown, the same account twice, an amount not above zero.
    """
    from_id = await bank_account_of(unit, tx, element.get("FromBankAccount"), element)
    to_id = await bank_account_of(unit, tx, element.get("ToBankAccount"), element)
    body = bank_transfer_body(element, from_id=from_id, to_id=to_id, today=unit.today())
    return partial(_create_record, unit, tx, "bank_transfers", "bank_transfer", body, f"transfer:{index}", element,
                   bank_transfer_from_sage)


async def _prepare_journal(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, upsert: bool,
                           target: str | None) -> Perform:
    """Validate and translate one manual journal (no write yet): a known journal may only be deleted (Sage cannot
    edit a posted journal), else a create.

    Raises:
        ValidationException: an edit of a known journal, an unbalanced or empty journal.
        NotFound: an unknown ManualJournalID.
    """
    guid = target or xero_text(element, "ManualJournalID")
    if guid and (upsert or target):
        sage_id, current, _ = await one_record(unit, guid, "journals")
        if (xero_text(element, "Status") or "").upper() not in DELETED_STATUSES:
            raise ValidationException.single(messages.JOURNAL_EDIT, element)
        return partial(_delete_journal, unit, tx, sage_id, current, element)
    body = journal_body(element, tx, today=unit.today())
    return partial(_create_record, unit, tx, "journals", "journal", body, f"journal:{index}", element,
                   manual_journal_from_sage)


async def _delete_journal(unit: SageUnit, tx: Tx, sage_id: str, current: dict[str, Any],
                          element: dict[str, Any]) -> ManualJournal:
    """``DELETE /journals/{id}``; the journal answered as deleted."""
    await unit.delete("journals", sage_id, element=element)
    return manual_journal_from_sage({**current, "deleted_at": "deleted"}, tx)


async def _create_record(unit: SageUnit, tx: Tx, resource: str, wrapper: str, body: dict[str, Any], label: str,
                         element: dict[str, Any], translate: Callable[[dict[str, Any], Tx], XeroModel]) -> XeroModel:
    """``POST /{resource}`` ``{wrapper: body}`` through the write ledger under ``label``; the record translated."""
    made = await unit.create(resource, wrapper, body, label=label, element=element)
    return translate(made, tx)


async def _prepare_transfer_deletion(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any]) -> Perform:
    """Check one element of ``deleteBankTransfers``: a known ``BankTransferID`` and ``Status`` ``DELETED``.

    Raises:
        ValidationException: another status. NotFound: an unknown transfer.
    """
    if (xero_text(element, "Status") or "").upper() != "DELETED":
        raise ValidationException.single(messages.TRANSFER_DELETE_ONLY, element)
    sage_id, row, _ = await one_record(unit, xero_text(element, "BankTransferID"), "bank_transfers")
    return partial(_delete_transfer, unit, tx, sage_id, row, element)


async def _delete_transfer(unit: SageUnit, tx: Tx, sage_id: str, row: dict[str, Any],
                           element: dict[str, Any]) -> BankTransfer:
    await unit.delete("bank_transfers", sage_id, element=element)
    return bank_transfer_from_sage({**row, "deleted_at": "deleted"}, tx)
