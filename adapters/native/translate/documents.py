"""Money-document rows → Xero canonical models (pure functions): CreditNote, Allocation, Overpayment, Prepayment,
BankTransaction, BankTransfer, ManualJournal.

Shapes follow the spec's ``components.schemas`` and the fields its examples show for each resource (e.g. the
``getCreditNotes``, ``getOverpayments``, ``getBankTransfers`` examples); money is ``Decimal`` rounded to 2 dp
(``UnitAmount`` to ``unitdp``). Lists leave line items out unless paged (``page``: "with line items shown", spec
``getCreditNotes``/``getBankTransactions``/``getManualJournals`` parameters), as invoices do; unpaged lists show
them as ``[]``, as the spec's list examples do (``"LineItems": []``, ``"JournalLines": []``;
``BankTransaction.LineItems`` is a required field).
"""

from __future__ import annotations

from gateway.xero import models as xm
from gateway.xero.models import documents as xd

from ..ledger import doctypes
from ..ledger.taxmath import round2, round_dp
from ..resources import bank_transfers, credits, tracking
from ..tables.documents import (
    Allocation,
    BankTransaction,
    BankTransactionLine,
    BankTransfer,
    CreditNote,
    CreditNoteLine,
    ManualJournal,
    RefundPayment,
)
from . import core as translate


def document_line(row: CreditNoteLine | BankTransactionLine, *, unitdp: int = 2) -> xm.LineItem:
    """A credit note or bank transaction line (spec ``LineItem``; no discounts on these documents)."""
    return xm.LineItem(
        LineItemID=row.id, Description=row.description, Quantity=round_dp(row.quantity, 4),
        UnitAmount=round_dp(row.unit_amount, 4 if unitdp == 4 else 2), ItemCode=row.item_code,
        AccountCode=row.account_code, AccountID=row.account_id, TaxType=row.tax_type,
        TaxAmount=round2(row.tax_amount), LineAmount=round2(row.line_amount),
        Tracking=tracking.to_line_tracking(row.tracking))


def _invoice_ref(allocation: Allocation) -> xm.Invoice:
    invoice = allocation.invoice
    return xm.Invoice(InvoiceID=invoice.id, InvoiceNumber=invoice.number or "")


def allocation_ref(row: Allocation) -> xd.Allocation:
    """An allocation as listed in its credit's ``Allocations`` (spec ``getPrepayment`` example: ``Amount``,
    ``Date``, ``Invoice``), with its ``AllocationID`` (needed to delete it)."""
    return xd.Allocation(AllocationID=row.id, Amount=round2(row.amount), Date=row.date, Invoice=_invoice_ref(row))


def allocation(row: Allocation) -> xd.Allocation:
    """An allocation as the ``…/Allocations`` operations answer it: the invoice and the credit it came from (spec
    ``createCreditNoteAllocation`` example); ``IsDeleted`` once deleted."""
    model = allocation_ref(row)
    credit = row.credit
    if isinstance(credit, CreditNote):
        model.CreditNote = xd.CreditNote(CreditNoteID=credit.id, CreditNoteNumber=credit.number or "")
    elif credits.kind(credit).resource == "Prepayments":
        model.Prepayment = xd.Prepayment(PrepaymentID=credit.credit_id)
    else:
        model.Overpayment = xd.Overpayment(OverpaymentID=credit.credit_id)
    if row.is_deleted:
        model.IsDeleted = True
    return model


def _live_allocations(rows: list[Allocation]) -> list[xd.Allocation]:
    return [allocation_ref(a) for a in rows if not a.is_deleted]


def _refunds(rows: list[RefundPayment]) -> list[xm.Payment]:
    return [translate.payment_ref(r) for r in rows if r.status == "AUTHORISED"]


def credit_note(row: CreditNote, *, with_lines: bool = True, unitdp: int = 2) -> xd.CreditNote:
    """``GET /CreditNotes`` element (spec ``CreditNote``)."""
    model = xd.CreditNote(
        CreditNoteID=row.id, CreditNoteNumber=row.number or "", Type=row.type, Reference=row.reference or "",
        Contact=translate.contact_ref(row.contact), Date=row.date, DueDate=row.due_date, Status=row.status,
        LineAmountTypes=row.line_amount_types, SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax),
        Total=round2(row.total), UpdatedDateUTC=row.updated_utc, CurrencyCode=row.currency_code,
        CurrencyRate=row.currency_rate, FullyPaidOnDate=row.fully_paid_on,
        RemainingCredit=round2(row.remaining_credit), BrandingThemeID=row.branding_theme_id,
        SentToContact=row.sent_to_contact, Allocations=_live_allocations(row.allocations),
        Payments=_refunds(row.refunds), HasAttachments=False, HasErrors=False)
    model.LineItems = [document_line(ln, unitdp=unitdp) for ln in row.lines] if with_lines else []
    return model


def bank_transaction(row: BankTransaction, *, with_lines: bool = True, unitdp: int = 2) -> xd.BankTransaction:
    """``GET /BankTransactions`` element (spec ``BankTransaction``; ``OverpaymentID``/``PrepaymentID`` on the types
    that created one)."""
    entry = doctypes.bank_transaction_types()[row.type]
    model = xd.BankTransaction(
        BankTransactionID=row.id, Type=row.type,
        Contact=translate.contact_ref(row.contact) if row.contact is not None else None,
        BankAccount=xm.AccountRef(AccountID=row.bank_account.id, Code=row.bank_account.code,
                                  Name=row.bank_account.name),
        IsReconciled=row.is_reconciled, Date=row.date, Reference=row.reference or "", Url=row.url,
        CurrencyCode=row.currency_code, CurrencyRate=row.currency_rate, Status=row.status,
        LineAmountTypes=row.line_amount_types, SubTotal=round2(row.sub_total), TotalTax=round2(row.total_tax),
        Total=round2(row.total), UpdatedDateUTC=row.updated_utc, HasAttachments=False)
    if entry.credit == "Overpayment":
        model.OverpaymentID = row.credit_id
    elif entry.credit == "Prepayment":
        model.PrepaymentID = row.credit_id
    model.LineItems = [document_line(ln, unitdp=unitdp) for ln in row.lines] if with_lines else []
    return model


def overpayment(row: BankTransaction, *, with_lines: bool = True, unitdp: int = 2) -> xd.Overpayment:
    """``GET /Overpayments`` element (spec ``Overpayment``, fields as the ``getOverpayments`` example)."""
    model = xd.Overpayment(
        OverpaymentID=row.credit_id, Type=row.type, Reference=row.reference or "",
        RemainingCredit=round2(credits.remaining(row)), Allocations=_live_allocations(row.allocations),
        Payments=_refunds(row.refunds), HasAttachments=False,
        Contact=translate.contact_ref(row.contact) if row.contact is not None else None, Date=row.date,
        Status=row.credit_status, LineAmountTypes=row.line_amount_types, SubTotal=round2(row.sub_total),
        TotalTax=round2(row.total_tax), Total=round2(row.total), UpdatedDateUTC=row.updated_utc,
        CurrencyCode=row.currency_code, CurrencyRate=row.currency_rate)
    model.LineItems = [document_line(ln, unitdp=unitdp) for ln in row.lines] if with_lines else []
    return model


def prepayment(row: BankTransaction, *, with_lines: bool = True, unitdp: int = 2) -> xd.Prepayment:
    """``GET /Prepayments`` element (spec ``Prepayment``: ``Reference`` and ``InvoiceNumber`` return the receive
    prepayment's invoice number; a spend prepayment shows its bank transaction's reference)."""
    number = row.credit_number
    model = xd.Prepayment(
        PrepaymentID=row.credit_id, Type=row.type, Reference=number if number else (row.reference or ""),
        InvoiceNumber=number, RemainingCredit=round2(credits.remaining(row)),
        Allocations=_live_allocations(row.allocations), Payments=_refunds(row.refunds), HasAttachments=False,
        Contact=translate.contact_ref(row.contact) if row.contact is not None else None, Date=row.date,
        Status=row.credit_status, LineAmountTypes=row.line_amount_types, SubTotal=round2(row.sub_total),
        TotalTax=round2(row.total_tax), Total=round2(row.total), UpdatedDateUTC=row.updated_utc,
        CurrencyCode=row.currency_code, CurrencyRate=row.currency_rate)
    model.LineItems = [document_line(ln, unitdp=unitdp) for ln in row.lines] if with_lines else []
    return model


def bank_transfer(row: BankTransfer) -> xd.BankTransfer:
    """``GET /BankTransfers`` element (spec ``BankTransfer``, fields as the ``getBankTransfer`` example)."""
    return xd.BankTransfer(
        BankTransferID=row.id, CreatedDateUTC=row.created_utc, Date=row.date, Status=row.status,
        FromBankAccount=xm.AccountRef(AccountID=row.from_account.id, Code=row.from_account.code,
                                      Name=row.from_account.name),
        ToBankAccount=xm.AccountRef(AccountID=row.to_account.id, Code=row.to_account.code, Name=row.to_account.name),
        Amount=round2(row.amount), FromBankTransactionID=row.from_transaction_id,
        ToBankTransactionID=row.to_transaction_id, FromIsReconciled=row.from_transaction.is_reconciled,
        ToIsReconciled=row.to_transaction.is_reconciled, Reference=row.reference or "",
        CurrencyRate=row.currency_rate, HasAttachments=False,
        FromTracking=tracking.to_line_tracking(bank_transfers.side_tracking(row.from_transaction)),
        ToTracking=tracking.to_line_tracking(bank_transfers.side_tracking(row.to_transaction)))


def manual_journal(row: ManualJournal, *, with_lines: bool = True, warnings: list[str] | None = None
                   ) -> xd.ManualJournal:
    """``GET /ManualJournals`` element (spec ``ManualJournal``; lines as ``ManualJournalLine`` with their
    calculated ``TaxAmount``); ``warnings`` from the write that produced it (spec ``ManualJournal.Warnings``)."""
    model = xd.ManualJournal(
        ManualJournalID=row.id, Narration=row.narration, Date=row.date, Status=row.status,
        LineAmountTypes=row.line_amount_types, Url=row.url, ShowOnCashBasisReports=row.show_on_cash_basis,
        HasAttachments=False, UpdatedDateUTC=row.updated_utc)
    model.JournalLines = []
    if with_lines:
        model.JournalLines = [xd.ManualJournalLine(
            LineAmount=round2(ln.line_amount), AccountCode=ln.account_code, AccountID=ln.account_id,
            Description=ln.description, TaxType=ln.tax_type, TaxAmount=round2(ln.tax_amount),
            Tracking=tracking.to_line_tracking(ln.tracking), IsBlank=ln.is_blank) for ln in row.lines]
    if warnings:
        model.Warnings = [xm.ValidationError(Message=m) for m in warnings]
    return model
