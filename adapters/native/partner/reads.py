"""The partner API's lists and objects, read from the native ledger's own tables (issue 16).

Every list is keyset-paged: ``limit`` items after the ``cursor``'s sort key, in a stable order (the last update
then the id; journals by their number), and ``updatedSince`` keeps what changed at or after that moment (journals
and their lines never change, so for them it is the moment they were posted). Answers are plain JSON objects in the
partner API's camelCase shapes (``adapters/native/partner/web/openapi.json``), money in integer cents.

Vocabulary (the ledger's → the partner API's): an account's ``Class`` → ``classification``, its Xero ``Type`` →
``type`` (lower case); a SPEND bank transaction → ``purchase``, RECEIVE → ``deposit``, the sides of a BankTransfer →
``transfer_out``/``transfer_in``; a journal's ``SourceType`` CASHPAID → ``purchase``, CASHREC → ``deposit``,
TRANSFER → ``transfer``, ACCPAYPAYMENT → ``bill_payment``, MANJOURNAL → ``journal_entry`` (others in lower case).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from .. import codes
from ..tables.core import Account, Company, Journal, JournalLine, Payment, UserCompany
from ..tables.documents import BankTransaction
from .errors import PartnerError
from .wire import encode_cursor, to_cents, to_date, to_timestamp

JOURNAL_SOURCE_TYPES = {"CASHPAID": "purchase", "CASHREC": "deposit", "TRANSFER": "transfer",
                        "ACCPAYPAYMENT": "bill_payment", "MANJOURNAL": "journal_entry"}
BANK_TRANSACTION_TYPES = {"SPEND": "purchase", "RECEIVE": "deposit", "SPEND-TRANSFER": "transfer_out",
                          "RECEIVE-TRANSFER": "transfer_in"}


@dataclass(frozen=True)
class ListParams:
    """A list request's paging: ``limit`` (1-500), ``cursor`` (decoded sort key or ``None``), ``updated_since``."""

    limit: int
    cursor: list[Any] | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class Page:
    """One page: ``data`` (JSON objects) and the cursor of the next page (``None`` on the last)."""

    data: list[dict[str, Any]]
    next_cursor: str | None

    def body(self) -> dict[str, Any]:
        return {"data": self.data, "nextCursor": self.next_cursor}


def _after(columns: Sequence[Any], key: list[Any]):
    """``(c1, c2) > (k1, k2)`` spelled portably (SQLite and PostgreSQL)."""
    if len(key) != len(columns):
        raise PartnerError("invalid_request", "'cursor' is not a cursor of this list")
    first, *rest = columns
    if not rest:
        return first > key[0]
    return or_(first > key[0], and_(first == key[0], _after(rest, key[1:])))


async def _page(session: AsyncSession, stmt: Select, params: ListParams, *, order: Sequence[Any],
                key: Callable[[Any], list[Any]], cursor_types: Sequence[Callable[[Any], Any]],
                render: Callable[[Any], dict[str, Any]]) -> Page:
    if params.cursor is not None:
        try:
            typed = [convert(value) for convert, value in zip(cursor_types, params.cursor, strict=True)]
        except (TypeError, ValueError):
            raise PartnerError("invalid_request", "'cursor' is not a cursor of this list") from None
        stmt = stmt.where(_after(order, typed))
    rows = list(await session.scalars(stmt.order_by(*order).limit(params.limit + 1)))
    more = len(rows) > params.limit
    rows = rows[:params.limit]
    return Page([render(row) for row in rows], encode_cursor(key(rows[-1])) if more and rows else None)


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# Companies --------------------------------------------------------------------------------------------------


def company_json(row: Company) -> dict[str, Any]:
    lock = [d for d in (row.period_lock_date, row.end_of_year_lock_date) if d is not None]
    return {"id": row.id, "name": row.name, "legalName": row.legal_name, "baseCurrency": row.base_currency,
            "countryCode": row.country_code, "timezone": row.timezone,
            "financialYearEnd": {"day": row.financial_year_end_day, "month": row.financial_year_end_month},
            "lockDate": to_date(max(lock)) if lock else None, "createdAt": to_timestamp(row.created_utc)}


async def list_companies(session: AsyncSession, user_id: str, params: ListParams) -> Page:
    """The companies ``user_id`` may reach (the ledger's ``user_companies``), by id."""
    stmt = select(Company).join(UserCompany, UserCompany.company_id == Company.id).where(UserCompany.user_id == user_id)
    if params.updated_since is not None:
        stmt = stmt.where(Company.created_utc >= params.updated_since)
    return await _page(session, stmt, params, order=[Company.id], key=lambda r: [r.id], cursor_types=[str],
                       render=company_json)


async def company_of(session: AsyncSession, user_id: str, company_id: str) -> Company:
    """The company ``company_id`` when ``user_id`` may reach it.

    Raises:
        PartnerError: ``not_found`` otherwise (an unreachable company is not told apart from a missing one).
    """
    row = await session.scalar(select(Company).join(UserCompany, UserCompany.company_id == Company.id)
                               .where(UserCompany.user_id == user_id, Company.id == company_id))
    if row is None:
        raise PartnerError("not_found", f"No company {company_id} is connected")
    return row


# Accounts ---------------------------------------------------------------------------------------------------


def account_json(row: Account) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "name": row.name,
            "classification": codes.class_by_type().get(row.type, "").lower() or None, "type": row.type.lower(),
            "status": row.status.lower(), "isBankAccount": row.type == "BANK", "currency": row.currency_code,
            "updatedAt": to_timestamp(row.updated_utc)}


def bank_account_json(row: Account) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "name": row.name, "accountNumber": row.bank_account_number,
            "currency": row.currency_code, "status": row.status.lower(), "updatedAt": to_timestamp(row.updated_utc)}


async def list_accounts(session: AsyncSession, company_id: str, params: ListParams, *, bank_only: bool = False) -> Page:
    """The chart of accounts (or its bank accounts) by last update then id."""
    stmt = select(Account).where(Account.company_id == company_id)
    if bank_only:
        stmt = stmt.where(Account.type == "BANK")
    if params.updated_since is not None:
        stmt = stmt.where(Account.updated_utc >= params.updated_since)
    return await _page(session, stmt, params, order=[Account.updated_utc, Account.id],
                       key=lambda r: [r.updated_utc.isoformat(), r.id], cursor_types=[_moment, str],
                       render=bank_account_json if bank_only else account_json)


# Journal entries and lines ----------------------------------------------------------------------------------


def journal_line_json(line: JournalLine, journal: Journal) -> dict[str, Any]:
    amount = to_cents(line.amount)
    return {"id": str(line.id), "journalEntryId": journal.id, "date": to_date(journal.date),
            "accountId": line.account_id, "amountCents": amount, "debitCents": max(amount, 0),
            "creditCents": max(-amount, 0), "description": line.description, "taxType": line.tax_type,
            "taxAmountCents": to_cents(line.tax_amount)}


def journal_json(row: Journal) -> dict[str, Any]:
    return {"id": row.id, "number": row.number, "date": to_date(row.date),
            "sourceType": JOURNAL_SOURCE_TYPES.get(row.source_type, row.source_type.lower()),
            "sourceId": row.source_id, "reference": row.reference, "reversesJournalEntryId": row.reverses,
            "createdAt": to_timestamp(row.created_utc),
            "lines": [journal_line_json(line, row) for line in row.lines]}


async def list_journal_entries(session: AsyncSession, company_id: str, params: ListParams) -> Page:
    """Posted journals by number (every posting of the ledger, whichever API made it); a ``bill_payment`` entry
    names the bill it paid (``billId``, the payment's invoice; ``null`` on every other entry)."""
    stmt = select(Journal).where(Journal.company_id == company_id).options(selectinload(Journal.lines))
    if params.updated_since is not None:
        stmt = stmt.where(Journal.created_utc >= params.updated_since)
    page = await _page(session, stmt, params, order=[Journal.number], key=lambda r: [r.number], cursor_types=[int],
                       render=journal_json)
    paid = {e["sourceId"] for e in page.data if e["sourceType"] == "bill_payment" and e["sourceId"]}
    bills = dict((await session.execute(select(Payment.id, Payment.invoice_id).where(
        Payment.company_id == company_id, Payment.id.in_(paid)))).all()) if paid else {}
    for entry in page.data:
        entry["billId"] = bills.get(entry["sourceId"]) if entry["sourceType"] == "bill_payment" else None
    return page


async def list_journal_lines(session: AsyncSession, company_id: str, params: ListParams, *,
                             account_id: str | None = None) -> Page:
    """Journal lines in posting order, optionally of one account."""
    stmt = (select(JournalLine).where(JournalLine.company_id == company_id)
            .options(selectinload(JournalLine.journal)))
    if account_id is not None:
        stmt = stmt.where(JournalLine.account_id == account_id)
    if params.updated_since is not None:
        stmt = stmt.join(Journal, Journal.id == JournalLine.journal_id).where(
            Journal.created_utc >= params.updated_since)
    return await _page(session, stmt, params, order=[JournalLine.id], key=lambda r: [r.id], cursor_types=[int],
                       render=lambda line: journal_line_json(line, line.journal))


# Bank transactions and reconciliations ----------------------------------------------------------------------


def bank_transaction_json(row: BankTransaction) -> dict[str, Any]:
    return {"id": row.id, "bankAccountId": row.bank_account_id,
            "type": BANK_TRANSACTION_TYPES.get(row.type, row.type.lower().replace("-", "_")),
            "date": to_date(row.date), "reference": row.reference, "status": row.status.lower(),
            "isReconciled": row.is_reconciled, "contactId": row.contact_id, "currency": row.currency_code,
            "totalCents": to_cents(row.total), "transferId": row.transfer_id,
            "lines": [{"accountId": line.account_id, "description": line.description,
                       "amountCents": to_cents(line.line_amount), "taxType": line.tax_type} for line in row.lines],
            "updatedAt": to_timestamp(row.updated_utc)}


def reconciliation_json(row: BankTransaction) -> dict[str, Any]:
    sign = -1 if row.type.startswith("SPEND") else 1
    return {"bankTransactionId": row.id, "bankAccountId": row.bank_account_id, "date": to_date(row.date),
            "amountCents": sign * to_cents(row.total), "reconciled": row.is_reconciled,
            "updatedAt": to_timestamp(row.updated_utc)}


async def list_bank_transactions(session: AsyncSession, company_id: str, params: ListParams, *,
                                 bank_account_id: str | None = None, reconciled_only: bool = False) -> Page:
    """Bank transactions (or their reconciliation state) by last update then id; deleted ones are left out."""
    stmt = select(BankTransaction).where(BankTransaction.company_id == company_id,
                                         BankTransaction.status != "DELETED")
    if bank_account_id is not None:
        stmt = stmt.where(BankTransaction.bank_account_id == bank_account_id)
    if reconciled_only:
        stmt = stmt.where(BankTransaction.is_reconciled.is_(True))
    if params.updated_since is not None:
        stmt = stmt.where(BankTransaction.updated_utc >= params.updated_since)
    return await _page(session, stmt, params, order=[BankTransaction.updated_utc, BankTransaction.id],
                       key=lambda r: [r.updated_utc.isoformat(), r.id], cursor_types=[_moment, str],
                       render=reconciliation_json if reconciled_only else bank_transaction_json)
