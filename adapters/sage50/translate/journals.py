"""Journals (the read-only ledger feed) ← ``AUDIT_JOURNAL``: Sage 50's double entry, one Xero journal per header.

``AUDIT_JOURNAL`` holds one row per split and nominal code, ``AMOUNT`` debit-positive (the stand-in's and Sage's
"credits negative" convention; the rows of a header sum to zero). A Xero Journal groups the rows of one
``HEADER_NUMBER``: ``JournalNumber`` ← ``HEADER_NUMBER`` (stable, increasing as Sage numbers postings),
``JournalDate`` ← ``DATE``, ``CreatedDateUTC`` ← the header's ``RECORD_CREATE_DATE``, ``SourceID`` the header's
GUID, ``SourceType`` from its type (spec ``Journal.SourceType``), one line per row (``NetAmount`` = ``AMOUNT``; VAT
is its own line on the VAT control account, so ``TaxAmount`` is 0 and ``GrossAmount`` = ``NetAmount``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from adapters.common import fields
from gateway.xero.models.catalogue import Journal, JournalLine

from ..codes import codes
from ..unit import Books, money, number, sage_date, sage_datetime, text

SOURCE_TYPE = {"SI": "ACCREC", "PI": "ACCPAY", "SC": "ACCRECCREDIT", "PC": "ACCPAYCREDIT",
               "SR": "ACCRECPAYMENT", "SA": "ACCRECPAYMENT", "SP": "ARCREDITPAYMENT",
               "PP": "ACCPAYPAYMENT", "PA": "ACCPAYPAYMENT", "PR": "APCREDITPAYMENT",
               "BP": "CASHPAID", "CP": "CASHPAID", "VP": "CASHPAID", "BR": "CASHREC", "CR": "CASHREC",
               "VR": "CASHREC", "JD": "MANJOURNAL", "JC": "MANJOURNAL"}


def journals(books: Books) -> list[Journal]:
    """Every journal, in ``JournalNumber`` order."""
    table = codes()
    banks = books.bank_codes()
    rows_by_header: dict[int, list] = defaultdict(list)
    for row in books.rows("AUDIT_JOURNAL"):
        header = number(row.get("HEADER_NUMBER"))
        if header is not None and not number(row.get("DELETED_FLAG")):
            rows_by_header[header].append(row)
    out = []
    for header_number in sorted(rows_by_header):
        header = books.headers.get(header_number, {})
        lines = []
        for row in sorted(rows_by_header[header_number], key=lambda r: (number(r.get("TRAN_NUMBER")) or 0,
                                                                        text(r.get("NOMINAL_CODE")))):
            code = text(row.get("NOMINAL_CODE"))
            amount = money(row.get("AMOUNT"))
            nominal = books.row("NOMINAL_LEDGER", code) or {}
            lines.append(JournalLine(
                JournalLineID=books.guid("journal-line", f"{number(row.get('TRAN_NUMBER'))}/{code}"),
                AccountID=books.guid("account", code), AccountCode=code,
                AccountType=table.account_type(code, is_bank=code in banks),
                AccountName=text(nominal.get("NAME")) or code,
                Description=text(row.get("DETAILS")) or None, NetAmount=amount, GrossAmount=amount,
                TaxAmount=Decimal(0), TaxType="NONE"))
        first = rows_by_header[header_number][0]
        out.append(Journal(
            JournalID=books.guid("journal", header_number), JournalNumber=header_number,
            JournalDate=sage_date(header.get("DATE") or first.get("DATE")),
            CreatedDateUTC=sage_datetime(header.get("RECORD_CREATE_DATE") or first.get("RECORD_CREATE_DATE")
                                         or first.get("RECORD_MODIFY_DATE")),
            Reference=text(header.get("INV_REF")) or None,
            SourceID=books.guid("header", header_number) if header else None,
            SourceType=SOURCE_TYPE.get(text(header.get("TYPE") or first.get("TYPE"))), JournalLines=lines))
    return out


#: What :func:`journals` makes of every Xero Journal field (one per ``AUDIT_JOURNAL`` header group).
JOURNAL_FIELDS = fields.FieldMap(
    "Journals", Journal,
    fields.computed("JournalID", "uuid5 of tenant/journal/{AUDIT_JOURNAL.HEADER_NUMBER}"),
    fields.populated("JournalDate", "AUDIT_HEADER.DATE (else AUDIT_JOURNAL.DATE)"),
    fields.populated("JournalNumber", "AUDIT_JOURNAL.HEADER_NUMBER"),
    fields.populated("CreatedDateUTC", "AUDIT_HEADER.RECORD_CREATE_DATE (else AUDIT_JOURNAL's)"),
    fields.populated("Reference", "AUDIT_HEADER.INV_REF", condition="when set"),
    fields.computed("SourceID", "uuid5 of tenant/header/{HEADER_NUMBER}", condition="when the header exists"),
    fields.computed("SourceType", "AUDIT_HEADER.TYPE through SOURCE_TYPE (SI ACCREC, PI ACCPAY, …)",
                    condition="types with a Xero source type"),
    fields.populated("JournalLines", "AUDIT_JOURNAL rows: NOMINAL_CODE, AMOUNT, DETAILS (TaxAmount 0: VAT is its "
                                     "own line on the VAT control account)"),
)
