"""What a posting does to the company: audit trail rows, double entry, ledger balances, allocations, documents.

Rules (sage50.md §9.3 unless marked):

- One ``AUDIT_HEADER`` (``HEADER_NUMBER``; its ``TRAN_NUMBER`` equals it, transaction-types.json notes) and one
  ``AUDIT_SPLIT`` per item, each with its own ``TRAN_NUMBER`` (``SPLIT_NUMBER`` equals it). SDO's ``FIRST_SPLIT`` and
  ``LAST_SPLIT`` are the lowest and highest split ``TRAN_NUMBER`` of a header (there is no such ODBC column).
- ``TYPE`` is the two-letter code in the tables (``'SI'``) and the numeric ``TransType`` in SDO (:data:`TRANS_TYPES`);
  ``TAX_CODE`` is ``'T1'`` in the tables and the integer index in SDO.
- Signs (the stand-in's convention; transaction-types.json asks to verify it on a real file): ``NET_AMOUNT``,
  ``TAX_AMOUNT``, ``GROSS_AMOUNT``, ``OUTSTANDING`` and ``AMOUNT_PAID`` are stored as entered on the type (an SC of
  100 is +100; a negative line stays negative); ``BANK_AMOUNT`` is + for money in and - for money out;
  ``AUDIT_JOURNAL.AMOUNT`` is + for a debit and - for a credit ("credits negative"), so the journal sums to zero.
- Double entry per split: SI Dr debtors control gross, Cr the split's nominal net, Cr sales VAT tax; PI Dr nominal
  net, Dr purchase VAT tax, Cr creditors control gross; credit notes reverse them; receipts/payments move gross
  between the bank nominal and the control account; BP/CP/VP Dr nominal + purchase VAT, Cr bank; BR/CR/VR Dr bank,
  Cr nominal + sales VAT; JD/JC Dr/Cr the nominal. Control codes come from ``COMPANY.NOM_*``.
- Balances: ``NOMINAL_LEDGER.BALANCE`` is debit-positive; the month columns follow ``COMPANY.START_MONTH`` and
  ``FINANCIAL_YEAR`` (``*_BF`` before the year, ``*_FUTURE`` after; ``BALANCE_MTHn`` is that month's net movement).
  ``SALES_LEDGER.BALANCE`` is what the customer owes, ``PURCHASE_LEDGER.BALANCE`` what is owed to the supplier, so
  debtors control = Σ customer balances and creditors control = -Σ supplier balances.
- Invoices, credit notes and payments on account start with ``OUTSTANDING`` = gross and ``PAID_FLAG`` ``'N'``; bank
  and journal entries are settled at once (``'Y'``, nothing outstanding).
- :func:`allocate` works per split (the SDO sample allocates each invoice split against the receipt's split), writes
  one ``AUDIT_USAGE`` row (``SPLIT_NUMBER`` the invoice split, ``SPLIT_CROSSREF`` the paying split, ``TYPE`` the
  paying split's type), lowers ``OUTSTANDING`` on both and their headers, sets ``PAID_FLAG`` ``'Y'`` at zero, and
  refuses more than either outstanding amount with ``sdoInvalidAllocation``.
- :func:`create_invoice` writes an unposted ``INVOICE``/``INVOICE_ITEM`` document (``POSTED`` blank): no balance
  moves until it is posted (sage50.md §4 InvoicePost).
- Every change bumps ``RECORD_MODIFY_DATE`` (:class:`.company.Company`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .company import Company, dec
from .errors import ErrorCode, SdoError

#: SDO's numeric ``TransType`` → the ODBC code (sage50.md §4, typelib order from 1).
TRANS_TYPES = {1: "SI", 2: "SC", 3: "SR", 4: "SA", 5: "SD", 6: "PI", 7: "PC", 8: "PP", 9: "PA", 10: "PD",
               11: "BP", 12: "BR", 13: "CP", 14: "CR", 15: "JD", 16: "JC", 17: "VP", 18: "VR", 19: "CC", 20: "CD",
               21: "PAI", 22: "PAO", 23: "CO", 24: "SP", 25: "PR"}
TRANS_TYPE_NUMBERS = {code: number for number, code in TRANS_TYPES.items()}

SALES_TYPES = {"SI", "SC", "SR", "SA", "SP"}
PURCHASE_TYPES = {"PI", "PC", "PP", "PA", "PR"}
BANK_TYPES = {"BP", "BR", "CP", "CR", "VP", "VR"}
JOURNAL_TYPES = {"JD", "JC"}
#: Types that move money through a bank nominal, and whether money comes in.
MONEY_IN = {"SR": True, "SA": True, "SP": False, "PP": False, "PA": False, "PR": True,
            "BP": False, "BR": True, "CP": False, "CR": True, "VP": False, "VR": True}
#: Allocation sides: the split being paid (raises the account's balance) and the paying split (lowers it).
INVOICE_SIDE = {"SI", "SP", "PI", "PR"}
PAYING_SIDE = {"SC", "SR", "SA", "PC", "PP", "PA"}

PENNY = Decimal("0.01")
LIMITS = {"INV_REF": 30, "DETAILS": 60, "EXTRA_REF": 60, "ACCOUNT_REF": 8, "NOMINAL_CODE": 8}


def money(value: Any) -> Decimal:
    """An amount rounded to pence, as Sage keeps it."""
    return dec(value).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass
class SplitIn:
    """One item of a posting (SDO split fields).

    Attributes:
        nominal_code: ``NOMINAL_CODE``; for receipts and payments the bank nominal.
        net, tax: ``NET_AMOUNT``/``TAX_AMOUNT`` in pounds (the tax is stored as given, never recomputed).
        tax_code: the integer index (1 for T1).
    """

    nominal_code: str
    net: Decimal
    tax: Decimal = Decimal(0)
    tax_code: int = 9
    details: str = ""
    dept_number: int = 0
    extra_ref: str = ""


@dataclass
class PostingIn:
    """A ``TransactionPost`` header (SDO field names in the comments)."""

    type: str  # TYPE, as the ODBC code
    account_ref: str  # ACCOUNT_REF: customer, supplier, bank nominal, or nominal for journals
    date: dt.date  # DATE
    inv_ref: str = ""  # INV_REF
    details: str = ""  # DETAILS
    extra_ref: str = ""  # EX_REF
    due_date: dt.date | None = None  # DUE_DATE
    bank_code: str = ""  # BANK_CODE (receipts/payments; default: the first split's nominal)
    user_name: str = "MANAGER"
    splits: list[SplitIn] = field(default_factory=list)


@dataclass
class Posted:
    """What a posting assigned: ``HEADER_NUMBER`` and the splits' ``TRAN_NUMBER``s, in item order."""

    header_number: int
    tran_numbers: list[int]


# ------------------------------------------------------------------------------------------------ validation


def _check_text(name: str, value: str) -> None:
    if len(value) > LIMITS[name]:
        raise SdoError(ErrorCode.sdoInvalidValue, f"{name} is longer than {LIMITS[name]} characters")


def check_lock_date(company: Company, date: dt.date) -> None:
    """Refuse a date before the lock date when the lock is on (sage50.md §7; ``COMPANY.CLOSED_LEDGER_*``)."""
    settings = company.company()
    lock = settings.get("CLOSED_LEDGER_CHECK_DATE")
    if settings.get("CLOSED_LEDGER_DATE_ENABLED") and lock and date < dt.date.fromisoformat(lock):
        raise SdoError(ErrorCode.sdoClosedLedgerDateControlError,
                       f"The transaction date is before the current lock date ({lock})")


def _account(company: Company, code: str, ref: str, *, invoice: bool) -> dict[str, Any]:
    table = "SALES_LEDGER" if code in SALES_TYPES else "PURCHASE_LEDGER"
    if not ref:
        raise SdoError(ErrorCode.sdoEmptyAccountReference, "Empty account reference")
    account = company.row(table, ACCOUNT_REF=ref)
    if account is None or account.get("RECORD_DELETED"):
        raise SdoError(ErrorCode.sdoInvalidKey, f"Account {ref} does not exist")
    if account.get("INACTIVE_FLAG"):
        raise SdoError(ErrorCode.sdoSalPurAccountIsInactive, f"Account {ref} is inactive")
    if invoice and account.get("ACCOUNT_ON_HOLD"):
        raise SdoError(ErrorCode.sdoSalPurAccountIsOnHold, f"Account {ref} is on hold")
    return account


def _bank(company: Company, ref: str) -> dict[str, Any]:
    bank = company.row("BANK", ACCOUNT_REF=ref)
    if bank is None:
        raise SdoError(ErrorCode.sdoBankAccountNotAvailable, f"Bank account {ref} is not available")
    return bank


def _nominal(company: Company, code: str, controls: set[str]) -> dict[str, Any]:
    nominal = company.row("NOMINAL_LEDGER", ACCOUNT_REF=code)
    if nominal is None:
        raise SdoError(ErrorCode.sdoInvalidNominalCode, f"Nominal code {code} does not exist")
    if code in controls:
        raise SdoError(ErrorCode.sdoNominalAccountIsControl, f"Nominal code {code} is a control account")
    return nominal


def _tax_code(company: Company, index: int) -> str:
    if company.row("TAX_CODE", TAX_CODE_ID=index) is None:
        raise SdoError(ErrorCode.sdoInvalidValue, f"Tax code T{index} does not exist")
    return f"T{index}"


def _dept(company: Company, number: int) -> str:
    dept = company.row("DEPARTMENT", NUMBER=number)
    if dept is None:
        raise SdoError(ErrorCode.sdoInvalidValue, f"Department {number} does not exist")
    return dept["NAME"]


# ----------------------------------------------------------------------------------------------- the ledgers


def _period(company: Company, date: dt.date) -> str:
    """``MTH1``…``MTH12`` of the financial year, ``BF`` before it, ``FUTURE`` after it."""
    settings = company.company()
    start_year, start_month = int(settings["FINANCIAL_YEAR"]), int(settings["START_MONTH"] or 1)
    months = (date.year - start_year) * 12 + date.month - start_month
    if months < 0:
        return "BF"
    return f"MTH{months + 1}" if months < 12 else "FUTURE"


def _add(row: dict[str, Any], column: str, amount: Decimal, changes: dict[str, Any]) -> None:
    changes[column] = dec(changes.get(column, row[column])) + amount


def _post_nominal(company: Company, code: str, amount: Decimal, date: dt.date) -> None:
    """Move ``amount`` (debit +, credit -) through nominal ``code``'s balance and month columns."""
    row = company.row("NOMINAL_LEDGER", ACCOUNT_REF=code)
    if row is None:
        raise SdoError(ErrorCode.sdoInvalidNominalCode, f"Nominal code {code} does not exist")
    period = _period(company, date)
    changes: dict[str, Any] = {}
    _add(row, "BALANCE", amount, changes)
    _add(row, f"BALANCE_{period}", amount, changes)
    _add(row, f"DEBIT_{period}" if amount >= 0 else f"CREDIT_{period}", abs(amount), changes)
    company.update("NOMINAL_LEDGER", {"ACCOUNT_REF": code}, changes)
    bank = company.row("BANK", ACCOUNT_REF=code)
    if bank is not None:
        company.update("BANK", {"ACCOUNT_REF": code}, {"FOREIGN_BALANCE": dec(bank["FOREIGN_BALANCE"]) + amount})


def _post_account(company: Company, code: str, ref: str, net: Decimal, gross: Decimal, date: dt.date) -> None:
    """Customer/supplier balance, turnover and month columns for one header."""
    sales = code in SALES_TYPES
    table = "SALES_LEDGER" if sales else "PURCHASE_LEDGER"
    row = company.row(table, ACCOUNT_REF=ref)
    assert row is not None
    raises = code in ("SI", "SP", "PI", "PR")  # what the account owes (or is owed) goes up
    changes: dict[str, Any] = {}
    _add(row, "BALANCE", gross if raises else -gross, changes)
    _add(row, "FOREIGN_BALANCE", gross if raises else -gross, changes)
    period = _period(company, date).replace("FUTURE", "CF")
    column = {"SI": "INVOICE", "PI": "INVOICE", "SC": "CREDIT", "PC": "CREDIT"}.get(code, "PAYMENT")
    _add(row, f"{column}_{period}", gross, changes)
    if code in ("SI", "SC", "PI", "PC"):
        if period.startswith("MTH"):
            _add(row, "TURNOVER_YTD", net if code in ("SI", "PI") else -net, changes)
        if code in ("SI", "PI"):
            changes["LAST_INV_DATE"] = date
            if not row.get("FIRST_INV_DATE"):
                changes["FIRST_INV_DATE"] = date
    else:
        changes["LAST_PAYMENT_DATE"] = date
    company.update(table, {"ACCOUNT_REF": ref}, changes)


def _journal_lines(code: str, controls: dict[str, str], bank: str, split: SplitIn,
                   net: Decimal, tax: Decimal) -> list[tuple[str, Decimal]]:
    """``[(nominal code, debit-positive amount)]`` for one split."""
    gross = net + tax
    match code:
        case "SI":
            return [(controls["debtors"], gross), (split.nominal_code, -net), (controls["sales_tax"], -tax)]
        case "SC":
            return [(controls["debtors"], -gross), (split.nominal_code, net), (controls["sales_tax"], tax)]
        case "PI":
            return [(split.nominal_code, net), (controls["purchase_tax"], tax), (controls["creditors"], -gross)]
        case "PC":
            return [(split.nominal_code, -net), (controls["purchase_tax"], -tax), (controls["creditors"], gross)]
        case "SR" | "SA":
            return [(bank, gross), (controls["debtors"], -gross)]
        case "SP":
            return [(bank, -gross), (controls["debtors"], gross)]
        case "PP" | "PA":
            return [(controls["creditors"], gross), (bank, -gross)]
        case "PR":
            return [(controls["creditors"], -gross), (bank, gross)]
        case "BP" | "CP" | "VP":
            return [(split.nominal_code, net), (controls["purchase_tax"], tax), (bank, -gross)]
        case "BR" | "CR" | "VR":
            return [(bank, gross), (split.nominal_code, -net), (controls["sales_tax"], -tax)]
        case "JD":
            return [(split.nominal_code, net)]
        case "JC":
            return [(split.nominal_code, -net)]
    raise SdoError(ErrorCode.sdoNotSupportedException, f"Transaction type {code} is not supported")


def controls_of(company: Company) -> dict[str, str]:
    """The control accounts named in ``COMPANY`` (``NOM_DEBTORS``, ``NOM_CREDITORS``, ``NOM_TAX_*``)."""
    settings = company.company()
    return {"debtors": settings["NOM_DEBTORS"], "creditors": settings["NOM_CREDITORS"],
            "sales_tax": settings["NOM_TAX_SALES"], "purchase_tax": settings["NOM_TAX_PURCHASE"]}


# ------------------------------------------------------------------------------------------------- postings


def post(company: Company, posting: PostingIn) -> Posted:
    """Validate and post one ``TransactionPost`` (a JD/JC posting is one line of a :func:`post_journal`).

    Returns:
        The numbers assigned.

    Raises:
        SdoError: the refusal SDO gives (unknown account or nominal, control account, closed period, zero value…);
        nothing is written then.
    """
    code = posting.type
    if code not in SALES_TYPES | PURCHASE_TYPES | BANK_TYPES | JOURNAL_TYPES:
        raise SdoError(ErrorCode.sdoNotSupportedException, f"Transaction type {code} is not supported")
    if posting.date is None:
        raise SdoError(ErrorCode.sdoInvalidDate, "The transaction date is missing")
    for name, value in (("INV_REF", posting.inv_ref), ("DETAILS", posting.details),
                        ("EXTRA_REF", posting.extra_ref)):
        _check_text(name, value)
    if not posting.splits:
        raise SdoError(ErrorCode.sdoZeroValueTransaction, "The transaction has no items")
    check_lock_date(company, posting.date)
    controls = controls_of(company)
    control_codes = {controls["debtors"], controls["creditors"]}
    account: dict[str, Any] | None = None
    bank = ""
    if code in SALES_TYPES | PURCHASE_TYPES:
        account = _account(company, code, posting.account_ref, invoice=code in ("SI", "PI"))
    if code in BANK_TYPES:
        bank = _bank(company, posting.account_ref)["ACCOUNT_REF"]
    elif code in MONEY_IN:
        bank = _bank(company, posting.bank_code or posting.splits[0].nominal_code)["ACCOUNT_REF"]
    amounts = []
    for split in posting.splits:
        _check_text("DETAILS", split.details)
        _check_text("NOMINAL_CODE", split.nominal_code)
        if code in MONEY_IN and code not in BANK_TYPES:
            split.nominal_code = bank  # a receipt's or payment's split is the bank
        else:
            _nominal(company, split.nominal_code, control_codes if code not in JOURNAL_TYPES else set())
        net, tax = money(split.net), money(split.tax)
        if code in MONEY_IN and code not in BANK_TYPES and tax:
            raise SdoError(ErrorCode.sdoInvalidTaxCodeForPayment, "A receipt or payment carries no tax")
        amounts.append((net, tax, _tax_code(company, split.tax_code), _dept(company, split.dept_number)))
    total_net = sum((a[0] for a in amounts), Decimal(0))
    total_tax = sum((a[1] for a in amounts), Decimal(0))
    if not any(a[0] or a[1] for a in amounts):
        raise SdoError(ErrorCode.sdoZeroValueTransaction, "The transaction has no value")
    if total_net + total_tax < 0 and code not in JOURNAL_TYPES:
        raise SdoError(ErrorCode.sdoInvoiceTotalNegative, "The transaction total is negative")

    settled = code in BANK_TYPES | JOURNAL_TYPES
    gross_total = total_net + total_tax
    bank_sign = Decimal(0) if code not in MONEY_IN else (Decimal(1) if MONEY_IN[code] else Decimal(-1))
    due = posting.due_date
    if due is None and code in ("SI", "PI") and account is not None:
        due = posting.date + dt.timedelta(days=int(account.get("PAYMENT_DUE_DAYS") or 0))
    bank_row = company.row("BANK", ACCOUNT_REF=bank) if bank else None
    today = company.clock().date()
    sales_purchase_ref = posting.account_ref if account is not None else ""
    common = {"TYPE": code, "DATE": posting.date, "ACCOUNT_REF": posting.account_ref, "BANK_CODE": bank,
              "INV_REF": posting.inv_ref, "USER_NAME": posting.user_name, "DELETED_FLAG": 0,
              "BANK_FLAG": "N" if bank else "-", "DATE_ENTERED": today, "PAID_STATUS": ""}
    with company.transaction():
        header_number = company.next_number("AUDIT_HEADER", "HEADER_NUMBER")
        first_tran = company.next_number("AUDIT_SPLIT", "TRAN_NUMBER")
        company.insert("AUDIT_HEADER", {
            **common, "TRAN_NUMBER": header_number, "HEADER_NUMBER": header_number, "ITEM_COUNT": len(amounts),
            "SALES_PURCHASE_REF": sales_purchase_ref, "BANK_NAME": bank_row["NAME"] if bank_row else "",
            "INV_REF_NUMERIC": int(posting.inv_ref) if posting.inv_ref.isdigit() else 0,
            "DETAILS": posting.details or posting.splits[0].details, "DUE_DATE": due,
            "PAID_FLAG": "Y" if settled else "N",
            "NET_AMOUNT": total_net, "TAX_AMOUNT": total_tax, "GROSS_AMOUNT": gross_total,
            "FOREIGN_NET_AMOUNT": total_net, "FOREIGN_TAX_AMOUNT": total_tax, "FOREIGN_GROSS_AMOUNT": gross_total,
            "BANK_AMOUNT": bank_sign * gross_total, "FOREIGN_BANK_AMOUNT": bank_sign * gross_total,
            "AMOUNT_PAID": gross_total if settled else 0, "FOREIGN_AMOUNT_PAID": gross_total if settled else 0,
            "OUTSTANDING": 0 if settled else gross_total, "FOREIGN_OUTSTANDING": 0 if settled else gross_total,
            "CURRENCY": 1, "FOREIGN_RATE": 1})
        tran_numbers = []
        for offset, (split, (net, tax, tax_code, dept_name)) in enumerate(zip(posting.splits, amounts, strict=True)):
            tran = first_tran + offset
            tran_numbers.append(tran)
            gross = net + tax
            vat = company.row("TAX_CODE", TAX_CODE_ID=split.tax_code)
            split_common = {**common, "TRAN_NUMBER": tran, "SPLIT_NUMBER": tran, "HEADER_NUMBER": header_number,
                            "DETAILS": split.details or posting.details, "EXTRA_REF": split.extra_ref or
                            posting.extra_ref, "DEPT_NUMBER": split.dept_number, "DEPT_NAME": dept_name,
                            "TAX_CODE": tax_code, "PAID_FLAG": "Y" if settled else "N",
                            "VAT_FLAG": "N" if vat and vat["VAT_INCLUDE"] else "-"}
            company.insert("AUDIT_SPLIT", {
                **split_common, "NOMINAL_CODE": split.nominal_code,
                "NET_AMOUNT": net, "TAX_AMOUNT": tax, "GROSS_AMOUNT": gross,
                "FOREIGN_NET_AMOUNT": net, "FOREIGN_TAX_AMOUNT": tax, "FOREIGN_GROSS_AMOUNT": gross,
                "AMOUNT_PAID": gross if settled else 0, "FOREIGN_AMOUNT_PAID": gross if settled else 0,
                "OUTSTANDING": 0 if settled else gross, "FOREIGN_OUTSTANDING": 0 if settled else gross})
            merged: dict[str, Decimal] = {}
            for nominal, amount in _journal_lines(code, controls, bank, split, net, tax):
                merged[nominal] = merged.get(nominal, Decimal(0)) + amount
            for nominal, amount in merged.items():
                if not amount:
                    continue
                company.insert("AUDIT_JOURNAL", {**split_common, "NOMINAL_CODE": nominal, "AMOUNT": amount,
                                                 "FOREIGN_AMOUNT": amount})
                _post_nominal(company, nominal, amount, posting.date)
        if account is not None:
            _post_account(company, code, posting.account_ref, total_net, gross_total, posting.date)
    return Posted(header_number, tran_numbers)


def post_journal(company: Company, *, date: dt.date, reference: str, details: str, user_name: str,
                 lines: list[tuple[str, Decimal, bool, int, str]]) -> list[Posted]:
    """A balanced journal (``JournalPost``): one JD/JC header per line, sharing ``INV_REF`` and date.

    Args:
        lines: ``(nominal code, amount > 0, is_credit, tax code index, details)`` per line.

    Raises:
        SdoError: ``sdoInvalidValue`` when debits and credits differ, or any :func:`post` refusal.
    """
    debit = sum((money(a) for _, a, credit, _, _ in lines if not credit), Decimal(0))
    credit = sum((money(a) for _, a, is_credit, _, _ in lines if is_credit), Decimal(0))
    if debit != credit or not debit:
        raise SdoError(ErrorCode.sdoInvalidValue, f"The journal does not balance ({debit} debit, {credit} credit)")
    with company.transaction():
        return [post(company, PostingIn(type="JC" if is_credit else "JD", account_ref=nominal, date=date,
                                        inv_ref=reference, details=line_details or details, user_name=user_name,
                                        splits=[SplitIn(nominal, money(amount), Decimal(0), tax, line_details)]))
                for nominal, amount, is_credit, tax, line_details in lines]


# ---------------------------------------------------------------------------------------------- allocations


def _settle(company: Company, split: dict[str, Any], amount: Decimal) -> None:
    outstanding = dec(split["OUTSTANDING"]) - amount
    paid = dec(split["AMOUNT_PAID"]) + amount
    flag = "Y" if outstanding == 0 else "N"
    company.update("AUDIT_SPLIT", {"TRAN_NUMBER": split["TRAN_NUMBER"]}, {
        "OUTSTANDING": outstanding, "FOREIGN_OUTSTANDING": outstanding, "AMOUNT_PAID": paid,
        "FOREIGN_AMOUNT_PAID": paid, "PAID_FLAG": flag})
    header_number = split["HEADER_NUMBER"]
    splits = company.rows("AUDIT_SPLIT", "HEADER_NUMBER = ?", (header_number,))
    total_out = sum((dec(s["OUTSTANDING"]) for s in splits), Decimal(0))
    total_paid = sum((dec(s["AMOUNT_PAID"]) for s in splits), Decimal(0))
    company.update("AUDIT_HEADER", {"HEADER_NUMBER": header_number}, {
        "OUTSTANDING": total_out, "FOREIGN_OUTSTANDING": total_out, "AMOUNT_PAID": total_paid,
        "FOREIGN_AMOUNT_PAID": total_paid, "PAID_FLAG": "Y" if total_out == 0 else "N"})


def allocate(company: Company, invoice_tran: int, paying_tran: int, amount: Any, date: dt.date,
             *, user_name: str = "MANAGER") -> int:
    """``TransactionPost.AllocatePayment``: settle ``amount`` of split ``invoice_tran`` with split ``paying_tran``.

    Args:
        invoice_tran: the split being paid (SI, SP, PI, PR).
        paying_tran: the paying split (SR, SA, SC on sales; PP, PA, PC on purchases), same account.
        amount: pounds, > 0 and ≤ the outstanding amount of both splits.

    Returns:
        The new ``AUDIT_USAGE.USAGE_NUMBER``.

    Raises:
        SdoError: ``sdoInvalidTransactionNumber`` (no such split) or ``sdoInvalidAllocation``.
    """
    invoice = company.row("AUDIT_SPLIT", TRAN_NUMBER=int(invoice_tran))
    paying = company.row("AUDIT_SPLIT", TRAN_NUMBER=int(paying_tran))
    if invoice is None or paying is None or invoice["DELETED_FLAG"] or paying["DELETED_FLAG"]:
        raise SdoError(ErrorCode.sdoInvalidTransactionNumber, "Invalid transaction number")
    value = money(amount)
    ledger_of = "S" if invoice["TYPE"] in SALES_TYPES else "P"
    if (invoice["TYPE"] not in INVOICE_SIDE or paying["TYPE"] not in PAYING_SIDE
            or ledger_of != ("S" if paying["TYPE"] in SALES_TYPES else "P")
            or invoice["ACCOUNT_REF"] != paying["ACCOUNT_REF"]):
        raise SdoError(ErrorCode.sdoInvalidAllocation,
                       f"{paying['TYPE']} {paying_tran} cannot be allocated to {invoice['TYPE']} {invoice_tran}")
    if value <= 0 or value > dec(invoice["OUTSTANDING"]) or value > dec(paying["OUTSTANDING"]):
        raise SdoError(ErrorCode.sdoInvalidAllocation, f"Invalid allocation of {value}")
    with company.transaction():
        _settle(company, invoice, value)
        _settle(company, paying, value)
        usage = company.next_number("AUDIT_USAGE", "USAGE_NUMBER")
        company.insert("AUDIT_USAGE", {
            "TYPE": paying["TYPE"], "USAGE_NUMBER": usage, "SPLIT_NUMBER": invoice["TRAN_NUMBER"],
            "SPLIT_CROSSREF": paying["TRAN_NUMBER"], "REFERENCE": paying["INV_REF"],
            "DETAILS": f"{value} from {paying['TYPE']} {paying['TRAN_NUMBER']}", "USER_NAME": user_name,
            "DATE": date, "AMOUNT": value, "FOREIGN_AMOUNT": value, "DELETED_FLAG": 0})
    return usage


# ------------------------------------------------------------------------------------------------ documents

#: ``INVOICE_TYPE_CODE`` → (``INVOICE_TYPE``, ``INVOICE_OR_CREDIT``): 0 is "Product Invoice" in the dictionary's
#: example; the other numbers are the stand-in's.
INVOICE_TYPES = {0: ("Product Invoice", "Invoice"), 1: ("Service Invoice", "Invoice"),
                 2: ("Product Credit", "Credit"), 3: ("Service Credit", "Credit")}


def create_invoice(company: Company, header: dict[str, Any], items: list[dict[str, Any]]) -> int:
    """``InvoicePost``: an unposted sales invoice or credit document.

    Args:
        header: ``INVOICE`` columns (``ACCOUNT_REF``, ``INVOICE_DATE``, ``INVOICE_TYPE_CODE``, ``NOTES_1``…).
        items: ``INVOICE_ITEM`` columns each; ``TAX_CODE`` is the integer index, ``NET_AMOUNT``/``TAX_AMOUNT`` are
            stored as given.

    Returns:
        The new ``INVOICE_NUMBER``.

    Raises:
        SdoError: unknown account, nominal, tax code or type; no items.
    """
    account = _account(company, "SI", str(header.get("ACCOUNT_REF") or ""), invoice=True)
    type_code = int(header.get("INVOICE_TYPE_CODE") or 0)
    if type_code not in INVOICE_TYPES:
        raise SdoError(ErrorCode.sdoInvalidValue, f"Invoice type {type_code} is not supported")
    if not items:
        raise SdoError(ErrorCode.sdoInvalidSave, "The invoice has no items")
    if not header.get("INVOICE_DATE"):
        raise SdoError(ErrorCode.sdoInvalidDate, "The invoice date is missing")
    controls = controls_of(company)
    rows = []
    for number, item in enumerate(items, start=1):
        values = dict(item)
        index = int(values.pop("TAX_CODE", 9) or 0)
        values["TAX_CODE"] = _tax_code(company, index)
        values["TAX_CODE_ID"] = index
        nominal = str(values.get("NOMINAL_CODE") or "")
        if nominal:
            _nominal(company, nominal, {controls["debtors"], controls["creditors"]})
        net, tax = money(values.get("NET_AMOUNT", 0)), money(values.get("TAX_AMOUNT", 0))
        tax_row = company.row("TAX_CODE", TAX_CODE_ID=index)
        values.update(ITEM_NUMBER=number, NET_AMOUNT=net, TAX_AMOUNT=tax, GROSS_AMOUNT=net + tax,
                      FULL_NET_AMOUNT=values.get("FULL_NET_AMOUNT", net), FOREIGN_NET_AMOUNT=net,
                      FOREIGN_TAX_AMOUNT=tax, FOREIGN_GROSS_AMOUNT=net + tax, FOREIGN_FULL_NET_AMOUNT=net,
                      TAX_RATE=tax_row["TAX_RATE"] if tax_row else 0, QUANTITY=values.get("QUANTITY", 1),
                      DEPT_NAME=_dept(company, int(values.get("DEPT_NUMBER") or 0)))
        values.setdefault("UNIT_PRICE", net)
        values.setdefault("FOREIGN_UNIT_PRICE", values["UNIT_PRICE"])
        rows.append(values)
    net_total = sum((r["NET_AMOUNT"] for r in rows), Decimal(0))
    tax_total = sum((r["TAX_AMOUNT"] for r in rows), Decimal(0))
    label, kind = INVOICE_TYPES[type_code]
    with company.transaction():
        number = company.next_number("INVOICE", "INVOICE_NUMBER")
        document = {"NAME": account["NAME"], **{f"ADDRESS_{i}": account[f"ADDRESS_{i}"] for i in range(1, 6)},
                    **header, "INVOICE_NUMBER": number, "INVOICE_TYPE_CODE": type_code, "INVOICE_TYPE": label,
                    "INVOICE_OR_CREDIT": kind, "ITEMS_NET": net_total, "ITEMS_TAX": tax_total,
                    "ITEMS_GROSS": net_total + tax_total, "INVOICE_NET": net_total, "INVOICE_TAX": tax_total,
                    "INVOICE_GROSS": net_total + tax_total, "FOREIGN_ITEMS_NET": net_total,
                    "FOREIGN_ITEMS_TAX": tax_total, "FOREIGN_ITEMS_GROSS": net_total + tax_total,
                    "FOREIGN_INVOICE_NET": net_total, "FOREIGN_INVOICE_TAX": tax_total,
                    "FOREIGN_INVOICE_GROSS": net_total + tax_total, "POSTED": "", "POSTED_CODE": 0,
                    "CURRENCY": 1, "FOREIGN_RATE": 1}
        company.insert("INVOICE", document)
        for row in rows:
            company.insert("INVOICE_ITEM", {**row, "INVOICE_NUMBER": number})
    return number
