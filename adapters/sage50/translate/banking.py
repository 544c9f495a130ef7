"""Payments, BankTransactions, BankTransfers and ManualJournals from the Sage 50 audit trail.

- Payments ← receipts and payments (SR, SA, PP, PA; refunds SP, PR) *as allocated*: a Xero payment pays one
  document, so each (paying header, document) pair of ``AUDIT_USAGE`` rows is one Xero Payment, ``PaymentID`` stable
  from both header numbers, ``Amount`` the sum of the usages' ``AMOUNT``, ``Date`` the paying header's ``DATE``,
  ``Account`` its ``BANK_CODE`` (``AccountID``, ``Code``, ``Name``), ``PaymentType`` from the document's type (SI →
  ACCRECPAYMENT, PI → ACCPAYPAYMENT, SC → ARCREDITPAYMENT, PC → APCREDITPAYMENT). Credit notes allocated to invoices
  are not payments (they are the credit notes' ``Allocations``). An unallocated receipt is not a Xero Payment.
- BankTransactions ← BP/CP/VP (SPEND) and BR/CR/VR (RECEIVE): the header's bank (``ACCOUNT_REF``/``BANK_CODE``) as
  ``BankAccount``, one line per split.
- BankTransfers ← a JC on one bank nominal and a JD on another with the same ``DATE``, ``INV_REF`` and amount: Sage
  50 records a transfer as that journal pair (transaction-types.json).
- ManualJournals ← the other JD/JC headers, grouped as Sage's JournalPost writes them (consecutive headers sharing
  ``DATE`` and ``INV_REF``); debits positive, credits negative (Xero's ``LineAmount`` sign rule).

Reconciliation: ``IsReconciled`` when ``DATE_BANK_RECONCILED`` is set or ``BANK_FLAG`` is ``R``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models import AccountRef, Contact, InvoiceRef
from gateway.xero.models.documents import BankTransaction, BankTransfer, ManualJournal, ManualJournalLine, Payment

from ..codes import codes
from ..unit import Books, money, number, sage_date, sage_datetime, text
from .contacts import contact_ref
from .documents import split_line
from .settings import currency_code

PAYMENT_TYPE = {"SI": "ACCRECPAYMENT", "PI": "ACCPAYPAYMENT", "SC": "ARCREDITPAYMENT", "PC": "APCREDITPAYMENT"}
PAYER_TYPES = ("SR", "SA", "PP", "PA", "SP", "PR")
SPEND, RECEIVE = ("BP", "CP", "VP"), ("BR", "CR", "VR")
Row = Mapping[str, Any]


def _reconciled(header: Row) -> bool:
    return bool(text(header.get("DATE_BANK_RECONCILED"))) or text(header.get("BANK_FLAG")).upper() == "R"


def bank_ref(books: Books, code: str) -> AccountRef | None:
    if not code:
        return None
    row = books.row("NOMINAL_LEDGER", code) or {}
    return AccountRef(AccountID=books.guid("account", code), Code=code, Name=text(row.get("NAME")) or None)


@dataclass(frozen=True)
class PaymentPair:
    """One Xero payment: a paying header's allocations to one document."""

    payer: Row
    document: Row
    amount: Decimal
    key: str


def payment_pairs(books: Books) -> list[PaymentPair]:
    """Every (paying header, document) pair with allocations, in paying-header order."""
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    seen: set[int] = set()
    for usages in books.usages_by_split.values():
        for usage in usages:
            n = number(usage.get("USAGE_NUMBER"))
            if n in seen or number(usage.get("DELETED_FLAG")):
                continue
            seen.add(n)
            doc_split = books.splits_by_number.get(number(usage.get("SPLIT_NUMBER")) or -1)
            pay_split = books.splits_by_number.get(number(usage.get("SPLIT_CROSSREF")) or -1)
            if not doc_split or not pay_split:
                continue
            payer = books.headers.get(number(pay_split.get("HEADER_NUMBER")) or -1)
            document = books.headers.get(number(doc_split.get("HEADER_NUMBER")) or -1)
            if payer is None or document is None or text(payer.get("TYPE")) not in PAYER_TYPES:
                continue
            sums[(number(payer["HEADER_NUMBER"]), number(document["HEADER_NUMBER"]))] += abs(money(usage.get("AMOUNT")))
    return [PaymentPair(payer=books.headers[p], document=books.headers[d], amount=amount, key=f"{p}/{d}")
            for (p, d), amount in sorted(sums.items())]


def payment(books: Books, pair: PaymentPair) -> Payment:
    doc, payer = pair.document, pair.payer
    doc_type = text(doc.get("TYPE"))
    is_credit = doc_type in ("SC", "PC")
    xero_doc_type = {"SI": "ACCREC", "PI": "ACCPAY", "SC": "ACCRECCREDIT", "PC": "ACCPAYCREDIT"}.get(doc_type)
    ref = InvoiceRef(InvoiceID=books.guid("header", number(doc.get("HEADER_NUMBER"))),
                     InvoiceNumber=text(doc.get("INV_REF")) or None, Type=xero_doc_type,
                     Contact=contact_ref(books, text(doc.get("ACCOUNT_REF"))),
                     CurrencyCode=currency_code(books, doc.get("CURRENCY")))
    deleted = bool(number(payer.get("DELETED_FLAG")))
    return Payment(
        PaymentID=books.guid("payment", pair.key), Date=sage_date(payer.get("DATE")), Amount=pair.amount,
        BankAmount=pair.amount, CurrencyRate=money(payer.get("FOREIGN_RATE")) or Decimal("1"),
        Reference=text(payer.get("INV_REF")) or None, IsReconciled=_reconciled(payer),
        Status="DELETED" if deleted else "AUTHORISED", PaymentType=PAYMENT_TYPE.get(doc_type),
        Account=bank_ref(books, text(payer.get("BANK_CODE"))), HasAccount=bool(text(payer.get("BANK_CODE"))),
        Invoice=None if is_credit else ref, CreditNote=ref if is_credit else None,
        UpdatedDateUTC=sage_datetime(payer.get("RECORD_MODIFY_DATE")))


def bank_transaction(books: Books, header: Row) -> BankTransaction:
    kind = "SPEND" if text(header.get("TYPE")) in SPEND else "RECEIVE"
    direction = "input" if kind == "SPEND" else "output"
    splits = books.splits.get(number(header.get("HEADER_NUMBER")) or -1, [])
    lines = [split_line(books, s, direction) for s in splits]
    sub = sum((line.LineAmount or Decimal(0) for line in lines), Decimal(0))
    tax = sum((line.TaxAmount or Decimal(0) for line in lines), Decimal(0))
    bank = text(header.get("BANK_CODE")) or text(header.get("ACCOUNT_REF"))
    deleted = bool(number(header.get("DELETED_FLAG")))
    return BankTransaction(
        BankTransactionID=books.guid("header", number(header.get("HEADER_NUMBER"))), Type=kind,
        Contact=Contact(Name=text(header.get("DETAILS")) or None) if text(header.get("DETAILS")) else None,
        BankAccount=bank_ref(books, bank), Date=sage_date(header.get("DATE")),
        Reference=text(header.get("INV_REF")) or None, LineAmountTypes="Exclusive", LineItems=lines,
        SubTotal=sub, TotalTax=tax, Total=sub + tax, IsReconciled=_reconciled(header),
        CurrencyCode=currency_code(books, header.get("CURRENCY")),
        Status="DELETED" if deleted else "AUTHORISED", HasAttachments=False,
        UpdatedDateUTC=sage_datetime(header.get("RECORD_MODIFY_DATE")))


def journal_groups(books: Books) -> list[list[Row]]:
    """JD/JC headers grouped as one JournalPost wrote them: consecutive, same ``DATE`` and ``INV_REF``."""
    groups: list[list[Row]] = []
    for header in books.headers_of("JD", "JC"):
        last = groups[-1][-1] if groups else None
        if (last is not None and number(header.get("HEADER_NUMBER")) == number(last.get("HEADER_NUMBER")) + 1
                and header.get("DATE") == last.get("DATE") and header.get("INV_REF") == last.get("INV_REF")):
            groups[-1].append(header)
        else:
            groups.append([header])
    return groups


def _signed(books: Books, header: Row) -> tuple[str, Decimal]:
    splits = books.splits.get(number(header.get("HEADER_NUMBER")) or -1, [])
    nominal = text(splits[0].get("NOMINAL_CODE")) if splits else text(header.get("ACCOUNT_REF"))
    amount = abs(money(header.get("NET_AMOUNT")))
    return nominal, amount if text(header.get("TYPE")) == "JD" else -amount


def transfer_of(books: Books, group: list[Row]) -> tuple[str, str, Decimal] | None:
    """``(from bank, to bank, amount)`` when a journal group is a transfer between two bank accounts."""
    if len(group) != 2:
        return None
    banks = books.bank_codes()
    lines = [_signed(books, h) for h in group]
    if not all(code in banks for code, _ in lines) or lines[0][1] != -lines[1][1]:
        return None
    credit = next(code for code, amount in lines if amount < 0)
    debit = next(code for code, amount in lines if amount > 0)
    return credit, debit, abs(lines[0][1])


def bank_transfer(books: Books, group: list[Row], parts: tuple[str, str, Decimal]) -> BankTransfer:
    first = group[0]
    source, target, amount = parts
    return BankTransfer(
        BankTransferID=books.guid("header", number(first.get("HEADER_NUMBER"))),
        FromBankAccount=bank_ref(books, source), ToBankAccount=bank_ref(books, target), Amount=amount,
        Date=sage_date(first.get("DATE")), Reference=text(first.get("INV_REF")) or None, CurrencyRate=Decimal("1"),
        FromIsReconciled=_reconciled(group[0]), ToIsReconciled=_reconciled(group[1]), HasAttachments=False,
        CreatedDateUTC=sage_datetime(first.get("RECORD_CREATE_DATE")) or sage_datetime(first.get("RECORD_MODIFY_DATE")))


def manual_journal(books: Books, group: list[Row]) -> ManualJournal:
    first = group[0]
    table = codes()
    lines = []
    for header in group:
        nominal, amount = _signed(books, header)
        splits = books.splits.get(number(header.get("HEADER_NUMBER")) or -1, [])
        tax_code = text(splits[0].get("TAX_CODE")) if splits else ""
        lines.append(ManualJournalLine(
            LineAmount=amount, AccountCode=nominal, AccountID=books.guid("account", nominal),
            Description=text(header.get("DETAILS")) or None,
            TaxType=table.xero_tax(tax_code, "input").tax_type if tax_code else "NONE", TaxAmount=Decimal(0),
            IsBlank=False))
    return ManualJournal(
        ManualJournalID=books.guid("header", number(first.get("HEADER_NUMBER"))), Date=sage_date(first.get("DATE")),
        Narration=text(first.get("INV_REF")) or text(first.get("DETAILS")) or "Journal",
        JournalLines=lines, LineAmountTypes="NoTax", Status="POSTED", ShowOnCashBasisReports=True,
        HasAttachments=False, UpdatedDateUTC=sage_datetime(first.get("RECORD_MODIFY_DATE")))


#: What :func:`payment` makes of every Xero Payment field (docs/fields-1001.md).
PAYMENT_FIELDS = fields.FieldMap(
    "Payments", Payment,
    fields.computed("PaymentID", "uuid5 of tenant/payment/{paying HEADER_NUMBER}/{document HEADER_NUMBER}"),
    fields.populated("Invoice", "the allocated SI/PI AUDIT_HEADER (INV_REF, ACCOUNT_REF, CURRENCY)",
                     condition="invoice payments"),
    fields.populated("CreditNote", "the allocated SC/PC AUDIT_HEADER", condition="refunds of credit notes"),
    fields.populated("Account", "the paying AUDIT_HEADER.BANK_CODE"),
    fields.populated("Date", "the paying AUDIT_HEADER.DATE"),
    fields.populated("CurrencyRate", "the paying AUDIT_HEADER.FOREIGN_RATE (1 when absent)"),
    fields.computed("Amount", "sum of AUDIT_USAGE.AMOUNT between the paying header and the document"),
    fields.computed("BankAmount", "as Amount"),
    fields.populated("Reference", "the paying AUDIT_HEADER.INV_REF", condition="when set"),
    fields.populated("IsReconciled", "DATE_BANK_RECONCILED set or BANK_FLAG R"),
    fields.populated("Status", "the paying AUDIT_HEADER.DELETED_FLAG (DELETED), else AUTHORISED"),
    fields.computed("PaymentType", "from the document's TYPE (SI ACCRECPAYMENT, PI ACCPAYPAYMENT, SC, PC)"),
    fields.populated("UpdatedDateUTC", "the paying AUDIT_HEADER.RECORD_MODIFY_DATE"),
    fields.computed("HasAccount", "the paying header has a BANK_CODE"),
    fields.lost("BatchPaymentID", reason="BatchPayments are not served on Sage 50"),
    fields.lost("InvoiceNumber", "CreditNoteNumber", "Code",
                reason="Xero's flat write-side fields; reads carry them in Invoice, CreditNote and Account"),
    fields.lost("Prepayment", "Overpayment", reason="unallocated receipts are not listed as Payments"),
    fields.write_outcome(Payment),
)


#: What :func:`bank_transaction` makes of every Xero BankTransaction field (docs/fields-1001.md).
BANK_TRANSACTION_FIELDS = fields.FieldMap(
    "BankTransactions", BankTransaction,
    fields.computed("BankTransactionID", "uuid5 of tenant/header/AUDIT_HEADER.HEADER_NUMBER"),
    fields.populated("Type", "AUDIT_HEADER.TYPE (BP/CP/VP SPEND, BR/CR/VR RECEIVE)"),
    fields.populated("Contact", "AUDIT_HEADER.DETAILS (as the name only)", condition="when set"),
    fields.populated("LineItems", "AUDIT_SPLIT rows"),
    fields.populated("BankAccount", "AUDIT_HEADER.BANK_CODE (else ACCOUNT_REF)"),
    fields.populated("IsReconciled", "DATE_BANK_RECONCILED set or BANK_FLAG R"),
    fields.populated("Date", "AUDIT_HEADER.DATE"),
    fields.populated("Reference", "AUDIT_HEADER.INV_REF", condition="when set"),
    fields.populated("CurrencyCode", "AUDIT_HEADER.CURRENCY (index into the CURRENCY table)"),
    fields.populated("Status", "AUDIT_HEADER.DELETED_FLAG (DELETED), else AUTHORISED"),
    fields.computed("LineAmountTypes", "Exclusive: Sage 50 stores net and tax apart"),
    fields.computed("SubTotal", "sum of AUDIT_SPLIT.NET_AMOUNT"),
    fields.computed("TotalTax", "sum of AUDIT_SPLIT.TAX_AMOUNT"),
    fields.computed("Total", "SubTotal + TotalTax"),
    fields.populated("UpdatedDateUTC", "AUDIT_HEADER.RECORD_MODIFY_DATE"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.lost("CurrencyRate", reason="not translated for bank transactions: FOREIGN_RATE is not read"),
    fields.lost("Url", reason="Sage 50 records no source URL"),
    fields.lost("PrepaymentID", "OverpaymentID", reason="Sage 50's payments on account are not served"),
    fields.write_outcome(BankTransaction),
)
