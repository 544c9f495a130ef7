"""Double-entry postings: every posted document, payment, transfer and journal becomes a ``transactions`` record
with balanced ``ledger_entries`` (the general-ledger lines reports are computed from; upstream-contracts.md §2
"No reports": "P&L, balance sheet, trial balance and aging must be computed from ledger_accounts (with
balance_details) or ledger_entries").

Shapes are the spec's ``Transaction`` and ``LedgerEntry`` definitions. Behaviour (inferred from Sage's documented
fields, not from recorded traffic):

- A transaction's ``origin`` is the record that posted it; the record carries ``transaction`` and
  ``transaction_type`` references back.
- Editing a posted record re-posts it: the transaction keeps its id, its old entries are replaced.
- Voiding or deleting a posted record marks its transaction and entries ``deleted: true`` (the spec's
  ``LedgerEntry.deleted``/``Transaction.deleted`` and the ``exclude_deleted_entries`` parameter of
  ``/ledger_accounts``): consumers computing reports MUST skip deleted entries.
- Which accounts a document posts to (debtors/creditors control, sales/purchase tax control) follows UK accrual
  double entry with the control accounts of the chart (``data/chart_uk.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .context import ZERO, Context, base_ref
from .store import Business


@dataclass(frozen=True)
class Posting:
    """One ledger line to post: exactly one of ``debit``/``credit`` is non-zero for a meaningful line."""

    ledger_account_id: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str = ""
    tax_rate_id: str | None = None


class Unbalanced(RuntimeError):
    """A programming error: postings whose debits and credits differ (never reaches a client as such)."""


def control_account(business: Business, role: str) -> dict[str, Any]:
    """The ledger account with the internal control role ``role`` (debtors, creditors, sales_tax, purchase_tax).

    Raises:
        LookupError: the business's chart has no such control account (a seed without one).
    """
    for account in business.all("ledger_accounts"):
        if account.get("_control") == role:
            return account
    raise LookupError(f"business {business.id} has no {role} control account")


def post(ctx: Context, origin: dict[str, Any], *, origin_collection: str, transaction_type_id: str, on: str,
         reference: str | None, contact: dict[str, Any] | None, total: Decimal,
         postings: list[Posting]) -> dict[str, Any]:
    """Post ``postings`` for ``origin`` (replacing an earlier posting of it) and link both ways.

    Args:
        ctx: the write context.
        origin: the posting record (modified: ``transaction``/``transaction_type`` set).
        origin_collection: its collection name.
        transaction_type_id: a ``transaction_types`` id.
        on: the transaction date ``YYYY-MM-DD``.
        reference: the transaction reference.
        contact: the contact's nested reference, if any.
        total: the transaction total in the base currency.
        postings: the lines; zero lines are skipped.

    Returns:
        the ``transactions`` record.

    Raises:
        Unbalanced: debits and credits differ.
    """
    lines = [p for p in postings if p.debit or p.credit]
    debits = sum((p.debit for p in lines), ZERO)
    credits = sum((p.credit for p in lines), ZERO)
    if debits != credits:
        raise Unbalanced(f"{origin_collection} {origin['id']}: debits {debits} != credits {credits}")
    business = ctx.business
    transaction_type = ctx.ref("transaction_types", transaction_type_id)
    existing = (origin.get("transaction") or {}).get("id")
    transaction = business.get("transactions", existing) if existing else None
    if transaction is None:
        transaction = ctx.new_record("transactions")
    else:
        for entry_id in transaction.get("_entries", []):
            business.collections.get("ledger_entries", {}).pop(entry_id, None)
        ctx.touch(transaction)
    transaction.update({
        "displayed_as": reference or origin.get("displayed_as", ""), "date": on, "deleted": False,
        "total": total, "total_in_transaction_currency": total, "transaction_type": transaction_type,
        "origin": base_ref(origin), "_entries": []})
    if reference:
        transaction["reference"] = reference
    else:
        transaction.pop("reference", None)
    if contact:
        transaction["contact"] = dict(contact)
    else:
        transaction.pop("contact", None)
    business.put("transactions", transaction)
    for posting in lines:
        account = business.collections["ledger_accounts"][posting.ledger_account_id]
        entry = ctx.new_record(
            "ledger_entries", displayed_as=posting.description or account.get("displayed_as", ""), date=on,
            debit=posting.debit, credit=posting.credit, ledger_account=base_ref(account),
            transaction=base_ref(transaction), deleted=False, description=posting.description,
            _transaction_type_id=transaction_type_id)
        if contact:
            entry["contact"] = dict(contact)
        if posting.tax_rate_id:
            entry["tax_rate"] = ctx.ref("tax_rates", posting.tax_rate_id)
        business.put("ledger_entries", entry)
        transaction["_entries"].append(entry["id"])
    origin["transaction"] = base_ref(transaction)
    origin["transaction_type"] = transaction_type
    return transaction


def unpost(ctx: Context, origin: dict[str, Any]) -> None:
    """Mark the transaction of ``origin`` and its entries deleted (void, delete)."""
    transaction_id = (origin.get("transaction") or {}).get("id")
    transaction = ctx.business.get("transactions", transaction_id) if transaction_id else None
    if transaction is None:
        return
    transaction["deleted"] = True
    ctx.touch(transaction)
    for entry_id in transaction.get("_entries", []):
        entry = ctx.business.get("ledger_entries", entry_id)
        if entry is not None:
            entry["deleted"] = True
            ctx.touch(entry)


def totals_by_account(business: Business, start: date | None = None,
                      end: date | None = None) -> dict[str, tuple[Decimal, Decimal]]:
    """``{ledger account id: (debits, credits)}`` of the live (not deleted) entries dated within ``[start, end]``
    (one pass over the entries, memoised until the business changes)."""

    def compute() -> dict[str, tuple[Decimal, Decimal]]:
        sums: dict[str, list[Decimal]] = {}
        for entry in business.all("ledger_entries"):
            if entry.get("deleted"):
                continue
            if start or end:
                day = date.fromisoformat(entry["date"])
                if (start and day < start) or (end and day > end):
                    continue
            pair = sums.setdefault(entry["ledger_account"]["id"], [ZERO, ZERO])
            pair[0] += entry.get("debit", ZERO)
            pair[1] += entry.get("credit", ZERO)
        return {k: (v[0], v[1]) for k, v in sums.items()}

    return business.memoised(f"totals:{start}:{end}", compute)


def account_totals(business: Business, ledger_account_id: str, *, start: date | None = None,
                   end: date | None = None) -> tuple[Decimal, Decimal]:
    """(debits, credits) of the live (not deleted) entries of an account dated within ``[start, end]``."""
    return totals_by_account(business, start, end).get(ledger_account_id, (ZERO, ZERO))


def balance_details(business: Business, ledger_account_id: str, start: date | None,
                    end: date | None) -> dict[str, Any]:
    """``LedgerAccountBalanceDetails``: debits, credits, the absolute balance and which side it is on."""
    debits, credits = account_totals(business, ledger_account_id, start=start, end=end)
    net = debits - credits
    details: dict[str, Any] = {"balance": abs(net), "credit_or_debit": "credit" if net < 0 else "debit",
                               "credits": credits, "debits": debits}
    if start:
        details["from_date"] = start.isoformat()
    if end:
        details["to_date"] = end.isoformat()
    return details
