"""Xero ManualJournals ↔ QBO JournalEntry.

A QBO JournalEntry line is ``{Amount, DetailType: JournalEntryLineDetail, JournalEntryLineDetail: {PostingType
Debit|Credit, AccountRef, ClassRef, DepartmentRef, TaxCodeRef, Entity}}`` (JournalEntry.json; upstream-contracts.md §1
"Entity shapes"); a Xero journal line is signed: ``LineAmount`` positive for a debit, negative for a credit.

Fields: ``ManualJournalID`` = GUID of the JournalEntry; ``Narration`` ↔ ``PrivateNote`` (Xero requires a narration:
an entry without a memo reads as ``"Journal {DocNumber or Id}"``); ``Date`` ↔ ``TxnDate``; ``Status`` POSTED, or
VOIDED for a voided entry (QBO has no draft journal: DRAFT is posted, with a warning, ``mappings/qbo_statuses.toml``);
``LineAmountTypes`` ↔ ``GlobalTaxCalculation`` (NoTax when absent); tracking per line (a journal line carries its own
Class and Department). Writes need at least two lines that balance (debits equal credits), each with an account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models.documents import ManualJournal, ManualJournalLine

from .. import codes
from .common import ZERO, Tx, cents, compact, money, qbo_date, ref, ref_id, text, updated, xero_date, xero_number
from .documents import is_voided, reference
from .lines import resolve_account
from .tax import global_tax_calculation, tax_code_id, tax_type
from .tracking import CLASS, line_tracking, resolve_option

DETAIL = "JournalEntryLineDetail"


def journal_to_xero(row: dict[str, Any], t: Tx) -> ManualJournal:
    """A QBO JournalEntry as a Xero ManualJournal."""
    lines = []
    for line in row.get("Line") or []:
        if not isinstance(line, dict) or line.get("DetailType") != DETAIL:
            continue
        detail = line.get(DETAIL) or {}
        amount = money(line.get("Amount")) or ZERO
        debit = detail.get("PostingType") != "Credit"
        account_id = ref_id(detail.get("AccountRef"))
        account = t.refs.accounts.get(account_id) if account_id else None
        lines.append(ManualJournalLine(
            LineAmount=amount if debit else -amount,
            AccountID=t.guid("Account", account_id) if account_id else None,
            AccountCode=text((account or {}).get("AcctNum")),
            Description=text(line.get("Description")),
            TaxType=tax_type(ref_id(detail.get("TaxCodeRef")), purchases=debit),
            Tracking=line_tracking(t, class_ref=detail.get("ClassRef"),
                                   department_ref=detail.get("DepartmentRef") or row.get("DepartmentRef")),
            IsBlank=False,
        ))
    company = t.refs.company
    amounts = "NoTax"
    if company.has_global_tax_calculation and row.get("GlobalTaxCalculation"):
        amounts = codes.tax().line_amount_types.get(str(row["GlobalTaxCalculation"]), "NoTax")
    narration = reference(row) or f"Journal {text(row.get('DocNumber')) or row['Id']}"
    return ManualJournal(
        ManualJournalID=t.guid("JournalEntry", row["Id"]),
        Narration=narration,
        JournalLines=lines,
        LineAmountTypes=amounts,
        Status=codes.statuses().journal["voided" if is_voided(row) else "posted"],
        ShowOnCashBasisReports=True,
        HasAttachments=None,  # known on single reads only (adapters/qbo/attachments.py)
        UpdatedDateUTC=updated(row),
        **MANUAL_JOURNAL_FIELDS.read(row),  # Date
    )


def journal_to_qbo(element: dict[str, Any], t: Tx, *, create: bool) -> dict[str, Any]:
    """A Xero ManualJournal element as a QBO JournalEntry body (create, or the fields of a sparse update).

    Raises:
        ValidationException: no narration on create, fewer than two lines, a line without account or amount, debits
            that do not equal credits, unknown accounts, tax types or tracking options.
    """
    narration = text(element.get("Narration"))
    if create and narration is None:
        raise ValidationException.single("Narration is required", element)
    when = xero_date(element, "Date")
    body: dict[str, Any] = {"PrivateNote": narration, "TxnDate": when.isoformat() if when else None}
    amounts = text(element.get("LineAmountTypes"))
    if amounts is not None and t.refs.company.has_global_tax_calculation:
        body["GlobalTaxCalculation"] = global_tax_calculation(amounts)
    raw = element.get("JournalLines")
    if create or raw is not None:
        lines = [line for line in raw or [] if isinstance(line, dict)]
        if len(lines) < 2:
            raise ValidationException.single("A manual journal must have at least two lines", element)
        out, total = [], Decimal(0)
        for line in lines:
            amount = xero_number(line, "LineAmount")
            if amount is None or amount == 0:
                raise ValidationException.single("Each journal line must have a non-zero LineAmount", element)
            amount = cents(amount)
            account = resolve_account(t, line, element)
            if account is None:
                raise ValidationException.single("Each journal line must have an AccountCode", element)
            detail: dict[str, Any] = {"PostingType": "Debit" if amount > 0 else "Credit",
                                      "AccountRef": ref(account["Id"])}
            for entry in line.get("Tracking") or []:
                entity, qbo_id = resolve_option(t, entry, element)
                detail["ClassRef" if entity == CLASS else "DepartmentRef"] = ref(qbo_id)
            tax = text(line.get("TaxType"))
            if tax is not None and t.refs.company.has_global_tax_calculation:
                code_id = tax_code_id(tax)
                if code_id is None:
                    raise ValidationException.single(f"The TaxType code '{tax}' does not exist", element)
                detail["TaxCodeRef"] = ref(code_id)
            out.append(compact({"DetailType": DETAIL, "Amount": abs(amount),
                                "Description": text(line.get("Description")), DETAIL: detail}))
            total += amount
        if total != 0:
            debits = sum((abs(money(o["Amount"]) or ZERO) for o in out if o[DETAIL]["PostingType"] == "Debit"),
                         ZERO)
            raise ValidationException.single(
                f"The total debits ({debits:.2f}) must equal total credits ({debits - total:.2f})", element)
        body["Line"] = out
    return compact(body)


#: What :func:`journal_to_xero` makes of every Xero ManualJournal field (docs/fields-1004.md).
MANUAL_JOURNAL_FIELDS = fields.FieldMap(
    "ManualJournals", ManualJournal,
    fields.computed("ManualJournalID", "uuid5 of realmId/JournalEntry/Id"),
    fields.populated("Narration", "JournalEntry.PrivateNote (else \"Journal {DocNumber}\")"),
    fields.populated("JournalLines", "Line JournalEntryLineDetail: Amount signed by PostingType, AccountRef, "
                                     "TaxCodeRef, ClassRef, DepartmentRef"),
    fields.read("Date", "TxnDate", qbo_date, record="JournalEntry"),
    fields.populated("LineAmountTypes", "JournalEntry.GlobalTaxCalculation (NoTax when absent)"),
    fields.computed("Status", "POSTED, VOIDED for a voided entry (QBO has no draft journal)"),
    fields.computed("ShowOnCashBasisReports", "true: QBO reports every journal entry on both bases"),
    fields.computed("HasAttachments", "an Attachable linked to the entry", condition="single reads of one with files"),
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    fields.populated("UpdatedDateUTC", "JournalEntry.MetaData.LastUpdatedTime"),
    fields.lost("Url", reason="QBO records have no source URL field"),
    fields.write_outcome(ManualJournal),
)
