"""The money documents' code table (``mappings/native_documents.toml``), loaded once and checked.

Two tables: what each ``BankTransaction.Type`` does (money in or out, journal source type, the credit document
it creates, whether BankTransactions may write it) and what each kind of credit is (credit note, overpayment or
prepayment, on the customer or the supplier side: the invoices it settles, its refund's payment type). Every value
is checked against the spec's enums (:mod:`gateway.xero.models.documents`) so that a bad table fails at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import mappings
from gateway.xero.models import documents as xd

CONTROL_ACCOUNTS = {"AR": "DEBTORS", "AP": "CREDITORS"}


@dataclass(frozen=True)
class BankTransactionType:
    """One ``BankTransaction.Type`` (see ``mappings/native_documents.toml``)."""

    type: str
    money: str
    journal: str
    credit: str
    writable: bool
    item_side: str

    @property
    def money_in(self) -> bool:
        """Whether the bank account is debited (RECEIVE…)."""
        return self.money == "IN"


@dataclass(frozen=True)
class CreditKind:
    """One kind of credit, keyed by its document type (``ACCRECCREDIT``, ``RECEIVE-PREPAYMENT``…)."""

    type: str
    resource: str
    side: str
    invoice_type: str
    document_type: str
    refund_payment_type: str
    refund_journal: str

    @property
    def control_system_account(self) -> str:
        """``DEBTORS`` for customer credits, ``CREDITORS`` for supplier credits."""
        return CONTROL_ACCOUNTS[self.side]


@cache
def bank_transaction_types() -> dict[str, BankTransactionType]:
    """``BankTransaction.Type`` → behaviour.

    Raises:
        ValueError: a type, journal source type or credit outside the spec's enums, or a missing type.
    """
    out: dict[str, BankTransactionType] = {}
    for name, row in mappings.load("native_documents")["bank_transaction"].items():
        entry = BankTransactionType(type=name, **row)
        if (name not in xd.BANK_TRANSACTION_TYPES or entry.money not in ("IN", "OUT")
                or entry.journal not in xd.JOURNAL_SOURCE_TYPES
                or entry.credit not in ("", "Overpayment", "Prepayment")
                or entry.item_side not in ("SALES", "PURCHASES")):
            raise ValueError(f"native_documents.toml: invalid bank_transaction {name}: {row}")
        out[name] = entry
    if set(out) != set(xd.BANK_TRANSACTION_TYPES):
        raise ValueError("native_documents.toml: every BankTransaction.Type needs a row")
    return out


@cache
def credit_kinds() -> dict[str, CreditKind]:
    """Credit document type → :class:`CreditKind`.

    Raises:
        ValueError: a value outside the spec's enums.
    """
    out: dict[str, CreditKind] = {}
    for name, row in mappings.load("native_documents")["credit"].items():
        entry = CreditKind(type=name, **row)
        if (entry.side not in CONTROL_ACCOUNTS or entry.invoice_type not in ("ACCREC", "ACCPAY")
                or entry.document_type not in xd.INVOICE_TYPES
                or entry.refund_payment_type not in xd.PAYMENT_TYPES
                or entry.refund_journal not in xd.JOURNAL_SOURCE_TYPES
                or entry.resource not in ("CreditNotes", "Overpayments", "Prepayments")):
            raise ValueError(f"native_documents.toml: invalid credit {name}: {row}")
        out[name] = entry
    return out


def bank_transaction_type(name: str) -> BankTransactionType | None:
    """The behaviour of a ``BankTransaction.Type``, or ``None`` for a value outside the spec's enum."""
    return bank_transaction_types().get(name)


def credit_kind(document_type: str) -> CreditKind:
    """The credit kind of a credit note type or a ``-OVERPAYMENT``/``-PREPAYMENT`` bank transaction type.

    Raises:
        KeyError: not a credit document type.
    """
    return credit_kinds()[document_type]
