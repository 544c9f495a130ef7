"""Reports of a Sage 50 company computed from its audit trail (ODBC has no report views: sage50.md §8), laid out by
the shared report builders (:mod:`adapters.common.reports`, which state the rules).

- The ledger: ``AUDIT_JOURNAL`` rows (one per split and nominal code, ``AMOUNT`` debit-positive, deleted ones left
  out) summed by ``NOMINAL_CODE`` over a period of their ``DATE``; the chart is ``NOMINAL_LEDGER`` with the Xero types
  of ``mappings/sage50.toml``; the financial year ends the month before ``COMPANY.START_MONTH``.
- ProfitAndLoss, BalanceSheet, TrialBalance: :mod:`adapters.common.reports.statements` with the sections of
  ``mappings/sage50.toml [report_section]``.
- Aged receivables/payables by contact: the contact's SI (PI) headers dated up to ``toDate``; ``Paid``/``Credited``:
  their ``AUDIT_USAGE`` allocations dated up to ``date``, by whether the paying side is a credit note.
- BankSummary: per ``BANK`` account, the opening balance before ``fromDate`` and the journal's debits (received) and
  credits (spent) on its nominal code over the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from functools import cache

import mappings
from adapters.common.reports import ledger_reports, statements
from adapters.common.reports.periods import date_range, invalid
from gateway.xero.models.reports import ReportWithRow
from gateway.xero.parameters import Parameters

from .codes import codes
from .translate.documents import CREDIT_TYPES, allocations
from .unit import Books, money, number, sage_date, text

ZERO = Decimal(0)
CLASS_BY_TYPE: dict[str, str] = mappings.load("native_account_types")["class_by_type"]


@cache
def sections() -> statements.Sections:
    """The sections of ``mappings/sage50.toml [report_section]``."""
    raw = mappings.load("sage50")["report_section"]
    make = [statements.Section(s["title"], s["total"], tuple(s["types"]), s.get("gross", False), s.get("part", ""))
            for s in raw["profit_and_loss"]]
    return statements.Sections(
        profit_and_loss=tuple(make),
        balance_sheet=tuple(statements.Section(s["title"], s["total"], tuple(s["types"]), False, s["part"])
                            for s in raw["balance_sheet"]),
        trial_balance=tuple(statements.TrialSection(s["title"], s["class"]) for s in raw["trial_balance"]),
        cost_classes=CLASS_BY_TYPE)


class AuditLedger:
    """:class:`adapters.common.reports.statements.Ledger` over a company's ``AUDIT_JOURNAL``."""

    def __init__(self, books: Books) -> None:
        table = codes()
        banks = books.bank_codes()
        self.chart: dict[str, statements.LedgerAccount] = {}
        for row in books.rows("NOMINAL_LEDGER"):
            ref = text(row.get("ACCOUNT_REF"))
            kind = table.account_type(ref, is_bank=ref in banks)
            self.chart[ref] = statements.LedgerAccount(id=ref, guid=books.guid("account", ref), code=ref,
                                                       name=text(row.get("NAME")) or ref, xero_type=kind,
                                                       xero_class=CLASS_BY_TYPE.get(kind, "ASSET"))
        company = books.company
        self.org_name = text(company.get("NAME"))
        start_month = number(company.get("START_MONTH")) or 1
        end_month = 12 if start_month == 1 else start_month - 1
        self.year_end = dt.date(2001, end_month, calendar.monthrange(2001, end_month)[1])
        self._rows = [(sage_date(r.get("DATE")), text(r.get("NOMINAL_CODE")), money(r.get("AMOUNT")))
                      for r in books.rows("AUDIT_JOURNAL") if not number(r.get("DELETED_FLAG"))]

    async def balances(self, start: dt.date, end: dt.date) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for day, code, amount in self._rows:
            if day is not None and start <= day <= end:
                out[code] += amount
        return dict(out)

    def movements(self, code: str, start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
        """``(debits, credits)`` of one nominal code over the period, both positive."""
        debits = credits = ZERO
        for day, row_code, amount in self._rows:
            if row_code == code and day is not None and start <= day <= end:
                if amount > 0:
                    debits += amount
                else:
                    credits -= amount
        return debits, credits


async def profit_and_loss(books: Books, params: Parameters, *, today: dt.date, now: dt.datetime) -> ReportWithRow:
    return await statements.profit_and_loss(AuditLedger(books), sections(), params, today=today, now=now)


async def balance_sheet(books: Books, params: Parameters, *, today: dt.date, now: dt.datetime) -> ReportWithRow:
    return await statements.balance_sheet(AuditLedger(books), sections(), params, today=today, now=now)


async def trial_balance(books: Books, params: Parameters, *, today: dt.date, now: dt.datetime) -> ReportWithRow:
    return await statements.trial_balance(AuditLedger(books), sections(), params, today=today, now=now)


async def bank_summary(books: Books, params: Parameters, *, today: dt.date, now: dt.datetime) -> ReportWithRow:
    """BankSummary (module docstring). Raises ``ValidationException`` (bad dates)."""
    start, end = date_range(params, today=today)
    ledger = AuditLedger(books)
    opening = await ledger.balances(statements.EPOCH, start - dt.timedelta(days=1))
    lines = []
    for code in sorted(books.bank_codes()):
        account = ledger.chart.get(code)
        received, spent = ledger.movements(code, start, end)
        lines.append(ledger_reports.BankLine(name=account.name if account else code,
                                             guid=books.guid("account", code), opening=opening.get(code, ZERO),
                                             received=received, spent=spent))
    return ledger_reports.bank_summary_report(lines, org_name=ledger.org_name, start=start, end=end, today=today,
                                              now=now)


def aged(books: Books, params: Parameters, kind: ledger_reports.AgedKind, *, today: dt.date,
         now: dt.datetime) -> ReportWithRow:
    """Aged receivables or payables of one contact (module docstring).

    Raises:
        ValidationException: missing or unknown ``contactId``, ``fromDate`` after ``toDate``.
    """
    contact_guid = params.guid("contactId")
    if contact_guid is None:
        raise invalid("contactId is required: the GUID of the contact to report on")
    ref = books.find(contact_guid, "contact")
    if ref is None:
        raise invalid(f"contactId '{contact_guid}' is not a contact of this organisation")
    day = params.date("date") or today
    end = params.date("toDate") or day
    sage_type = "SI" if kind.xero_type == "ACCREC" else "PI"
    documents = []
    for header in books.headers_of(sage_type):
        when = sage_date(header.get("DATE"))
        if text(header.get("ACCOUNT_REF")) != ref or when is None or when > end:
            continue
        paid = credited = ZERO
        for usage, payer in allocations(books, header):
            used = sage_date(usage.get("DATE"))
            if used is not None and used > day:
                continue
            if text(payer.get("TYPE")) in CREDIT_TYPES:
                credited += abs(money(usage.get("AMOUNT")))
            else:
                paid += abs(money(usage.get("AMOUNT")))
        documents.append(ledger_reports.Owing(
            guid=books.guid("header", number(header.get("HEADER_NUMBER"))), day=when,
            due_date=sage_date(header.get("DUE_DATE")), number=text(header.get("INV_REF")),
            total=abs(money(header.get("GROSS_AMOUNT"))), paid=paid, credited=credited))
    documents.sort(key=lambda o: (o.day, o.number))
    return ledger_reports.aged_report(kind, documents, org_name=text(books.company.get("NAME")),
                                      start=params.date("fromDate"), end=end, day=day, today=today, now=now)
