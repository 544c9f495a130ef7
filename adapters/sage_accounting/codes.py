"""The adapter's code tables (``mappings/sage_*.toml``), loaded once and validated into typed objects.

Tables (sources in each file's header):

- ``sage_account_types.toml``: Sage ``ledger_account_type`` ↔ Xero ``Account.Type``/``Class``; Sage
  ``bank_account_type`` ↔ Xero ``BankAccountType``.
- ``sage_tax.toml``: Sage tax rate id + direction ↔ Xero tax type, with the Xero name and report tax type.
- ``sage_documents.toml``: document kinds (resource, wrapper, line array, number field, direction, payment and
  allocation transaction types), artefact statuses both ways, contact types, other-payment types.
- ``sage_report_sections.toml``: the computed reports' sections.

Every lookup a translation makes goes through :func:`tables`; a malformed table raises ``ValueError`` (or
pydantic's ``ValidationError``) on first use, at start-up
(:meth:`adapters.sage_accounting.adapter.SageAccountingAdapter.startup`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

import mappings

Direction = Literal["output", "input"]
XERO_CLASSES = ("ASSET", "EQUITY", "EXPENSE", "LIABILITY", "REVENUE")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LedgerAccountType(_Model):
    sage: str
    xero: str
    xero_class: str = Field(alias="class")
    accepts: tuple[str, ...] = ()


class BankAccountType(_Model):
    sage: str
    xero: str
    accepts: tuple[str, ...] = ()


class TaxSide(_Model):
    tax_type: str
    name: str
    report_tax_type: str


class TaxRateEntry(_Model):
    sage: str
    output: TaxSide
    input: TaxSide


class DocumentKind(_Model):
    """One Xero document type and the Sage resource behind it (``sage_documents.toml``)."""

    xero_type: str
    collection: Literal["Invoices", "CreditNotes", "Quotes"]
    resource: str
    wrapper: str
    lines: str
    number: str
    direction: Direction
    contact_type: str
    payment_type: str
    allocation_type: str

    @property
    def is_sales(self) -> bool:
        return self.direction == "output"


class ReportSection(_Model):
    title: str
    total: str
    types: tuple[str, ...]
    gross: bool = False
    part: str = ""


class TrialBalanceSection(_Model):
    title: str
    xero_class: str = Field(alias="class")


@dataclass(frozen=True)
class Tables:
    """Every code table, indexed for lookups both ways."""

    ledger_types: dict[str, LedgerAccountType]
    ledger_type_for_xero: dict[str, str]
    bank_types: dict[str, BankAccountType]
    bank_type_for_xero: dict[str, str]
    tax: dict[str, TaxRateEntry]
    tax_for_xero: dict[str, str]
    documents: dict[str, DocumentKind]
    documents_by_resource: dict[str, DocumentKind]
    status_read: dict[str, str]
    status_write: dict[str, str]
    contact_types: dict[str, str]
    bank_transaction_types: dict[str, str]
    profit_and_loss: tuple[ReportSection, ...]
    balance_sheet: tuple[ReportSection, ...]
    trial_balance: tuple[TrialBalanceSection, ...]

    # Accounts ----------------------------------------------------------------------------------------------

    def xero_account_type(self, sage_type: str | None) -> tuple[str, str]:
        """``(Xero Type, Xero Class)`` of a Sage ledger account type; an unknown Sage type shows as ``CURRENT``
        (an asset: the conservative reading of a type the table does not know)."""
        entry = self.ledger_types.get(sage_type or "")
        return (entry.xero, entry.xero_class) if entry else ("CURRENT", "ASSET")

    def xero_class(self, xero_type: str) -> str:
        """The Class of a Xero type shown by the table (``ASSET`` for a type it does not show)."""
        return next((e.xero_class for e in self.ledger_types.values() if e.xero == xero_type), "ASSET")

    # Tax ---------------------------------------------------------------------------------------------------

    def xero_tax_type(self, sage_id: str | None, direction: Direction) -> str | None:
        """The Xero tax type of a Sage tax rate used in ``direction``; the Sage id itself when unmapped."""
        if not sage_id:
            return None
        entry = self.tax.get(sage_id)
        if entry is None:
            return sage_id
        return getattr(entry, direction).tax_type

    def sage_tax_rate(self, xero_tax_type: str) -> str:
        """The Sage tax rate id of a Xero tax type (the Xero value itself when it is not in the table: an
        unmapped Sage rate shown under its own id)."""
        return self.tax_for_xero.get(xero_tax_type.upper(), xero_tax_type)

    # Documents ---------------------------------------------------------------------------------------------

    def document(self, xero_type: str) -> DocumentKind | None:
        return self.documents.get((xero_type or "").upper())

    def kinds(self, collection: str) -> list[DocumentKind]:
        """Document kinds of a Xero collection, in listing order (sales first)."""
        return [k for k in self.documents.values() if k.collection == collection]


def _unique(pairs: list[tuple[str, str]], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        if key in out and out[key] != value:
            raise ValueError(f"{what}: {key!r} maps to both {out[key]!r} and {value!r}")
        out[key] = value
    return out


def _check_sections(sections: tuple[ReportSection, ...], wanted: set[str], what: str) -> None:
    seen: dict[str, str] = {}
    for section in sections:
        for xero_type in section.types:
            if xero_type in seen:
                raise ValueError(f"{what}: type {xero_type} is in sections {seen[xero_type]!r} and {section.title!r}")
            seen[xero_type] = section.title
    missing = wanted - set(seen)
    if missing:
        raise ValueError(f"{what}: no section gathers {sorted(missing)}")


@cache
def tables() -> Tables:
    """Load and check every table (once per process).

    Raises:
        ValueError, pydantic.ValidationError: a malformed table (duplicate mapping, unknown class, a Xero type no
            report section gathers).
    """
    accounts = mappings.load("sage_account_types")
    ledger = [LedgerAccountType.model_validate(e) for e in accounts["ledger_account_type"]]
    banks = [BankAccountType.model_validate(e) for e in accounts["bank_account_type"]]
    for entry in ledger:
        if entry.xero_class not in XERO_CLASSES:
            raise ValueError(f"sage_account_types: {entry.sage} has unknown class {entry.xero_class}")
    tax = [TaxRateEntry.model_validate(e) for e in mappings.load("sage_tax")["tax_rate"]]
    docs = mappings.load("sage_documents")
    kinds = [DocumentKind.model_validate(e) for e in docs["document"]]
    reports = mappings.load("sage_report_sections")
    pl = tuple(ReportSection.model_validate(e) for e in reports["profit_and_loss"])
    bs = tuple(ReportSection.model_validate(e) for e in reports["balance_sheet"])
    tb = tuple(TrialBalanceSection.model_validate(e) for e in reports["trial_balance"])
    shown = {e.xero: e.xero_class for e in ledger}
    _check_sections(pl, {t for t, c in shown.items() if c in ("REVENUE", "EXPENSE")}, "profit_and_loss")
    _check_sections(bs, {t for t, c in shown.items() if c in ("ASSET", "LIABILITY", "EQUITY")}, "balance_sheet")
    if {s.xero_class for s in tb} != set(XERO_CLASSES):
        raise ValueError("trial_balance: every Xero class needs exactly one section")
    tax_pairs = [(getattr(e, side).tax_type, e.sage) for e in tax for side in ("output", "input")]
    return Tables(
        ledger_types={e.sage: e for e in ledger},
        ledger_type_for_xero=_unique([(x, e.sage) for e in ledger for x in e.accepts], "ledger_account_type"),
        bank_types={e.sage: e for e in banks},
        bank_type_for_xero=_unique([(x, e.sage) for e in banks for x in e.accepts], "bank_account_type"),
        tax={e.sage: e for e in tax},
        tax_for_xero=_unique(tax_pairs, "tax_rate"),
        documents={k.xero_type: k for k in kinds},
        documents_by_resource={k.resource: k for k in kinds},
        status_read=dict(docs["status_read"]),
        status_write=dict(docs["status_write"]),
        contact_types=dict(docs["contact_types"]),
        bank_transaction_types=dict(docs["bank_transaction_types"]),
        profit_and_loss=pl,
        balance_sheet=bs,
        trial_balance=tb,
    )
