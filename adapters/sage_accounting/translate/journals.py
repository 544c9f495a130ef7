"""ManualJournals ↔ Sage ``journals`` (swagger ``Journal``/``JournalLine``/``postJournals``).

Read: ``ManualJournalID`` ← GUID; ``Narration`` ← ``description`` (else ``reference``); ``Date`` ← ``date``;
``Status`` POSTED (Sage journals are posted when made; DELETED when Sage reports ``deleted_at``);
``LineAmountTypes`` NoTax (Sage journal lines carry no tax rate); ``JournalLines`` ← ``journal_lines``:
``LineAmount`` = ``debit − credit`` (Xero: debits positive, credits negative), ``AccountCode``/``AccountID`` ←
``ledger_account``, ``Description`` ← ``details``; ``UpdatedDateUTC`` ← ``updated_at``.

Write: ``{date, reference, description, journal_lines: [{ledger_account_id, debit, credit, details}]}``. Sage
requires a ``reference`` and Xero journals have none: the narration's first :data:`REFERENCE_LENGTH` characters are
sent (25 is the lower of the conditional limits Sage documents on the ``reference`` of contact and other payments;
the journal's own limit is unconfirmed) and the whole narration as ``description``. Lines must balance; a line
``TaxType`` other than ``NONE`` is refused (Sage journal lines carry no tax).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models.documents import ManualJournal, ManualJournalLine

from .. import messages
from .accounts import account_code
from .common import ZERO, Tx, date_text, money, ref_id, sage_date, sage_datetime, xero_date, xero_number, xero_text

REFERENCE_LENGTH = 25


def manual_journal_from_sage(row: Mapping[str, Any], tx: Tx) -> ManualJournal:
    """One Sage journal as a Xero ManualJournal."""
    lines = []
    for line in row.get("journal_lines") or []:
        if not isinstance(line, Mapping):
            continue
        ledger_id = ref_id(line.get("ledger_account"))
        ledger = tx.refs.ledger_account(ledger_id) or line.get("ledger_account")
        lines.append(ManualJournalLine(
            LineAmount=(money(line.get("debit")) or ZERO) - (money(line.get("credit")) or ZERO),
            AccountCode=account_code(ledger) if isinstance(ledger, Mapping) else None,
            AccountID=tx.guid("ledger_accounts", ledger_id) if ledger_id else None,
            Description=line.get("details") or None))
    return ManualJournal(
        ManualJournalID=tx.guid("journals", row["id"]), Narration=row.get("description") or row.get("reference"),
        Status="DELETED" if row.get("deleted_at") else "POSTED", LineAmountTypes="NoTax", JournalLines=lines,
        **MANUAL_JOURNAL_FIELDS.read(row))  # Date, UpdatedDateUTC


def journal_body(element: Mapping[str, Any], tx: Tx, *, today: date) -> dict[str, Any]:
    """The unwrapped Sage body of a journal.

    Raises:
        ValidationException: no narration, a status other than POSTED, an unknown account, a taxed line, lines
            that do not balance.
    """
    narration = xero_text(element, "Narration")
    if narration is None:
        raise ValidationException.single(messages.JOURNAL_NARRATION, dict(element))
    status = (xero_text(element, "Status") or "POSTED").upper()
    if status != "POSTED":
        raise ValidationException.single(messages.JOURNAL_DRAFT, dict(element))
    lines = []
    total = ZERO
    for line in element.get("JournalLines") or []:
        if not isinstance(line, Mapping):
            continue
        code = xero_text(line, "AccountCode")
        ledger = tx.refs.ledger_account_by_code(code) if code else None
        if ledger is None:
            raise ValidationException.single(
                messages.ACCOUNT_CODE_INVALID.format(code=code) if code else messages.LINE_ACCOUNT_REQUIRED,
                dict(element))
        tax_type = xero_text(line, "TaxType")
        if tax_type and tax_type.upper() != "NONE":
            raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
        amount = xero_number(line, "LineAmount") or ZERO
        total += amount
        body = {"ledger_account_id": ledger["id"], "debit": amount if amount > 0 else ZERO,
                "credit": -amount if amount < 0 else ZERO}
        details = xero_text(line, "Description")
        if details:
            body["details"] = details
        lines.append(body)
    if len(lines) < 2 or total != 0:
        raise ValidationException.single(messages.JOURNAL_UNBALANCED, dict(element))
    return {"date": date_text(xero_date(element, "Date") or today), "reference": narration[:REFERENCE_LENGTH],
            "description": narration, "journal_lines": lines}


#: What :func:`manual_journal_from_sage` makes of every Xero ManualJournal field (docs/fields-1009.md).
MANUAL_JOURNAL_FIELDS = fields.FieldMap(
    "ManualJournals", ManualJournal,
    fields.computed("ManualJournalID", "uuid5 of business_id/journals/id"),
    fields.populated("Narration", "journals.description (else reference)"),
    fields.populated("JournalLines", "journals.journal_lines: debit - credit, ledger_account, details"),
    fields.read("Date", "date", sage_date, record="journals"),
    fields.computed("LineAmountTypes", "NoTax: Sage journal lines carry no tax rate"),
    fields.computed("Status", "POSTED, DELETED when Sage reports deleted_at"),
    fields.computed("HasAttachments", "attachments whose attachment_context is the journal", condition="single reads"),
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    fields.read("UpdatedDateUTC", "updated_at", sage_datetime, record="journals"),
    fields.lost("Url", reason="Sage journals have no source URL field"),
    fields.lost("ShowOnCashBasisReports", reason="Sage's journal has no cash-basis flag"),
    fields.write_outcome(ManualJournal),
)
