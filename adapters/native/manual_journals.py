"""Manual journals: validation, status transitions, tax on lines, balance, and ledger posting.

Rules (https://developer.xero.com/documentation/api/accounting/manualjournals; spec
``components.schemas.ManualJournal``/``ManualJournalLine`` and the ``/ManualJournals`` operations):

- ``Narration`` is required (spec ``ManualJournal.required``). ``Date`` defaults to today, ``LineAmountTypes`` to
  ``NoTax`` (the spec's examples answer ``NoTax`` for journals sent without it), ``ShowOnCashBasisReports`` to
  true ("default is true if not specified").
- ``JournalLines``: ``LineAmount`` (debit positive, credit negative), ``AccountCode`` or ``AccountID``,
  ``Description``, ``TaxType``, ``Tracking`` (at most 2 categories; :func:`adapters.native.tracking.resolve`).
  ``TaxAmount`` is calculated from ``TaxType`` and ``LineAmount`` ("The calculated tax amount based on the TaxType
  and LineAmount"): Exclusive adds tax to the line, Inclusive takes it out of it, NoTax has none
  (:func:`adapters.native.taxmath.compute_line` on one unit). ``TaxType`` defaults to the account's, and to
  ``NONE`` for NoTax journals (the spec's example lines show ``NONE``).
- The lines must balance: the debits (with Exclusive tax) must equal the credits, or the element fails with the
  spec example's message "The total debits (100.00) must equal total credits (-10.00)" — drafts included (that
  example is a draft).
- Accounts: active accounts that are not system accounts (Xero locks system accounts such as Accounts
  Receivable/Payable out of manual journals: "not being able to use system accounts when doing manual journals",
  https://community.xero.com/business/discussion/54943054). On a DRAFT an unrecognised code is dropped from its
  line with the spec example's warning "Account code '476' has been removed as it does not match a recognised
  account."; on a POSTED journal it is an error, and every line needs an account.
- A POSTED journal needs at least two lines (a single non-zero line cannot balance).
- Statuses (spec ``ManualJournal.Status``): created DRAFT (the default, as in the spec's ``createManualJournals``
  example) or POSTED; DRAFT → POSTED or DELETED; POSTED → VOIDED (and edits of a posted journal re-post it);
  DELETED, VOIDED and ARCHIVED are final.
- Lock dates (:mod:`adapters.native.lockdates`): a journal dated on or before the lock date cannot be created,
  edited, voided or deleted.
- POST /ManualJournals updates by ``ManualJournalID`` (unknown → error), else creates.

Ledger: only POSTED journals post (``SourceType`` ``MANJOURNAL``): each line's account its net amount (signed as
given, tax taken out for Inclusive), the VAT (``GST``) system account the lines' total tax. Voiding reverses the
posting on the journal's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models import documents as xd

from . import doclines, history, ledger, lockdates, messages, tracking
from .books import Books
from .models import Account
from .models_documents import ManualJournal, ManualJournalLine
from .taxmath import LINE_AMOUNT_TYPES, compute_line, round2
from .validation import ElementInvalid, parse_element, provided, text

ZERO = Decimal("0.00")
CREATE_STATUSES = frozenset({"DRAFT", "POSTED"})
#: current status → statuses a client may set (see the module docstring).
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "POSTED", "DELETED"}),
    "POSTED": frozenset({"POSTED", "VOIDED"}),
    "DELETED": frozenset(),
    "VOIDED": frozenset(),
    "ARCHIVED": frozenset(),
}


async def get_by_id(books: Books, journal_id: str) -> ManualJournal | None:
    """A manual journal of the company by ``ManualJournalID``, or ``None``."""
    guid = normalise_guid(journal_id)
    row = await books.session.get(ManualJournal, guid) if guid else None
    return row if row is not None and row.company_id == books.company.id else None


async def list_rows(books: Books) -> list[ManualJournal]:
    """Every manual journal of the company."""
    return list(await books.session.scalars(
        select(ManualJournal).where(ManualJournal.company_id == books.company.id)))


@dataclass
class JournalLineDraft:
    """One journal line after validation."""

    line_amount: Decimal
    account: Account | None
    description: str | None
    tax_type: str
    tax_amount: Decimal
    tracking: list[dict[str, str]]

    def gross(self, line_amount_types: str) -> Decimal:
        """The line's amount including tax (what must balance)."""
        return self.line_amount + self.tax_amount if line_amount_types == "Exclusive" else self.line_amount


@dataclass
class JournalDraft:
    """The journal after validation, before writing."""

    narration: str
    date: dt.date
    line_amount_types: str
    status: str
    lines: list[JournalLineDraft]
    warnings: list[str]
    extras: dict[str, Any] = field(default_factory=dict)


def _account(books: Books, line: xd.ManualJournalLine, *, posted: bool, errors: list[str],
             warnings: list[str]) -> Account | None:
    code, account_id = text(line.AccountCode), text(line.AccountID)
    if not code and not account_id:
        return None
    account = books.account_by_code(code) if code else books.accounts.get(normalise_guid(account_id or "") or "")
    if account is None:
        if posted:
            errors.append(messages.ACCOUNT_CODE_INVALID.format(code=code or account_id))
        else:
            warnings.append(messages.MANUAL_JOURNAL_ACCOUNT_REMOVED.format(code=code or account_id))
        return None
    if account.status != "ACTIVE" or account.system_account:
        errors.append(messages.MANUAL_JOURNAL_ACCOUNT_INVALID.format(code=account.code or account.id))
        return None
    return account


async def _lines(books: Books, model_lines: list[xd.ManualJournalLine], *, line_amount_types: str, posted: bool,
                 stored: list[Any], errors: list[str], warnings: list[str]) -> list[JournalLineDraft]:
    drafts: list[JournalLineDraft] = []
    for index, line in enumerate(model_lines):
        account = _account(books, line, posted=posted, errors=errors, warnings=warnings)
        tax_type = text(line.TaxType) or ("NONE" if line_amount_types == "NoTax" or account is None
                                          else account.tax_type or "NONE")
        rate = doclines.check_tax_type(books, tax_type, account, errors)
        if line.LineAmount is None:
            errors.append(messages.MANUAL_JOURNAL_LINE_AMOUNT_REQUIRED)
        amount = round2(line.LineAmount) if line.LineAmount is not None else ZERO
        result = compute_line(quantity=Decimal(1), unit_amount=amount, rate=rate,
                              line_amount_types=line_amount_types)
        keep = stored[index].tracking if index < len(stored) else None
        drafts.append(JournalLineDraft(
            line_amount=amount, account=account, description=line.Description, tax_type=tax_type,
            tax_amount=result.tax_amount, tracking=await tracking.resolve(books, line.Tracking, errors=errors,
                                                                          keep=keep)))
    return drafts


def _existing_lines(row: ManualJournal) -> list[xd.ManualJournalLine]:
    return [xd.ManualJournalLine(LineAmount=ln.line_amount, AccountCode=ln.account_code, AccountID=ln.account_id,
                                 Description=ln.description, TaxType=ln.tax_type,
                                 Tracking=tracking.to_line_tracking(ln.tracking)) for ln in row.lines]


async def find_target(books: Books, model: xd.ManualJournal, *, mode: str, path_id: str | None
                      ) -> ManualJournal | None:
    """The existing journal a write addresses, or ``None`` to create.

    Raises:
        NotFound: ``update`` of an unknown journal.
        ElementInvalid: PUT with the id of an existing journal; POST with an unknown ``ManualJournalID``.
    """
    if mode == "update":
        row = await get_by_id(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    journal_id = text(model.ManualJournalID)
    if mode == "create":
        if journal_id and await get_by_id(books, journal_id):
            raise ElementInvalid([messages.MANUAL_JOURNAL_EXISTS.format(id=journal_id)])
        return None
    if journal_id:
        row = await get_by_id(books, journal_id)
        if row is None:
            raise ElementInvalid([messages.MANUAL_JOURNAL_NOT_FOUND])
        return row
    return None


async def build_draft(books: Books, model: xd.ManualJournal, existing: ManualJournal | None) -> JournalDraft:
    """Validate a write and return the journal as it will be.

    Raises:
        ElementInvalid: every problem found (nothing written).
    """
    errors: list[str] = []
    warnings: list[str] = []
    current = existing.status if existing is not None else None
    status = model.Status or current or "DRAFT"
    if current is None:
        if status not in CREATE_STATUSES:
            errors.append(messages.MANUAL_JOURNAL_STATUS_CREATION)
    elif status not in TRANSITIONS.get(current, frozenset()):
        raise ElementInvalid([messages.MANUAL_JOURNAL_STATUS_MODIFICATION])
    narration = text(model.Narration) if provided(model, "Narration") else (existing.narration if existing
                                                                             else None)
    if not narration:
        errors.append(messages.MANUAL_JOURNAL_NARRATION_REQUIRED)
    lat = model.LineAmountTypes or (existing.line_amount_types if existing else "NoTax")
    if lat not in LINE_AMOUNT_TYPES:
        errors.append(messages.LINE_AMOUNT_TYPES_INVALID)
        lat = "NoTax"
    posted = status == "POSTED"
    model_lines = model.JournalLines if model.JournalLines is not None else (
        _existing_lines(existing) if existing is not None else [])
    lines = await _lines(books, model_lines, line_amount_types=lat, posted=posted,
                         stored=list(existing.lines) if existing is not None else [], errors=errors,
                         warnings=warnings)
    debits = sum((ln.gross(lat) for ln in lines if ln.gross(lat) > 0), ZERO)
    credits = sum((ln.gross(lat) for ln in lines if ln.gross(lat) < 0), ZERO)
    if debits + credits != 0:
        errors.append(messages.MANUAL_JOURNAL_UNBALANCED.format(debits=f"{debits:.2f}", credits=f"{credits:.2f}"))
    if posted:
        if len(lines) < 2:
            errors.append(messages.MANUAL_JOURNAL_LINES_REQUIRED)
        if any(ln.account is None for ln in lines):
            errors.append(messages.MANUAL_JOURNAL_LINE_ACCOUNT_REQUIRED)
    date = model.Date if provided(model, "Date") and model.Date else (existing.date if existing else books.today())
    errors.extend(lockdates.violations(books.company, existing.date if existing is not None else None, date))
    if errors:
        raise ElementInvalid(errors)
    draft = JournalDraft(narration=narration or "", date=date, line_amount_types=lat, status=status, lines=lines,
                         warnings=warnings)
    if provided(model, "Url"):
        draft.extras["url"] = model.Url
    if provided(model, "ShowOnCashBasisReports") and model.ShowOnCashBasisReports is not None:
        draft.extras["show_on_cash_basis"] = model.ShowOnCashBasisReports
    return draft


def _net(line: ManualJournalLine, line_amount_types: str) -> Decimal:
    return line.line_amount - line.tax_amount if line_amount_types == "Inclusive" else line.line_amount


def postings(books: Books, row: ManualJournal) -> list[ledger.Posting]:
    """The balanced journal lines of a posted manual journal (see the module docstring)."""
    out = [ledger.Posting(account_id=ln.account_id, amount=_net(ln, row.line_amount_types),
                          description=ln.description, tax_type=ln.tax_type, tax_amount=ln.tax_amount,
                          tracking=ln.tracking or None)
           for ln in row.lines if ln.account_id is not None]
    tax = sum((ln.tax_amount for ln in row.lines), ZERO)
    if tax:
        out.append(ledger.Posting(account_id=books.system_account("GST").id, amount=tax, description="VAT"))
    return out


def _signature(row: ManualJournal) -> tuple[Any, ...]:
    return (row.date, row.line_amount_types,
            tuple((ln.account_id, ln.line_amount, ln.tax_type, ln.tax_amount,
                   tuple(t.get("TrackingOptionID") for t in ln.tracking or [])) for ln in row.lines))


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None
                ) -> tuple[ManualJournal, list[str]]:
    """Validate then create or update one manual journal, posting or reversing its journal.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"`` (PUT), ``"upsert"`` (POST /ManualJournals) or ``"update"`` (POST …/{id}).
        path_id: the ``ManualJournalID`` of ``POST /ManualJournals/{ManualJournalID}``.

    Returns:
        The written journal (flushed) and its ``Warnings`` messages.

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown journal.
    """
    model = parse_element(xd.ManualJournal, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    draft = await build_draft(books, model, existing)
    now = books.now()
    old_status = existing.status if existing is not None else None
    if existing is None:
        row = ManualJournal(id=books.new_id("manualjournal"), company_id=books.company.id, posted=False,
                            show_on_cash_basis=True, lines=[])
        books.session.add(row)
        old_signature = None
    else:
        row = existing
        old_signature = _signature(row)
    was_posted, old_date = row.posted, row.date
    row.narration, row.date, row.line_amount_types, row.status = (draft.narration, draft.date,
                                                                  draft.line_amount_types, draft.status)
    for column, value in draft.extras.items():
        setattr(row, column, value)
    row.lines[:] = [ManualJournalLine(
        id=books.new_id("journalline"), position=position, line_amount=ld.line_amount,
        account_id=ld.account.id if ld.account else None, account_code=ld.account.code if ld.account else None,
        description=ld.description, tax_type=ld.tax_type, tax_amount=ld.tax_amount, tracking=ld.tracking,
        is_blank=ld.line_amount == 0 and ld.account is None and not ld.description)
        for position, ld in enumerate(draft.lines, start=1)]
    row.updated_utc = now
    will_post = row.status == "POSTED"
    if was_posted and (not will_post or old_signature != _signature(row)):
        await ledger.reverse_source(books.session, books.company, source_id=row.id, date=old_date,
                                    new_id=books.new_id, now=now)
        was_posted = False
    if will_post and not was_posted:
        entries = postings(books, row)
        if any(p.amount for p in entries):
            await ledger.post(books.session, books.company, date=row.date, source_type="MANJOURNAL",
                              source_id=row.id, postings=entries, new_id=books.new_id, now=now,
                              reference=row.narration)
    row.posted = will_post
    await books.session.flush()
    await history.record(books.session, company_id=books.company.id, resource="ManualJournals", record_id=row.id,
                         changes=history.status_change(old_status, row.status), details=row.narration, when=now)
    return row, draft.warnings
