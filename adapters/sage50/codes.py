"""The Sage 50 code tables of ``mappings/sage50.toml``, validated into typed objects once.

Shapes: :class:`Codes` with the synced tables' keys, nominal ranges → Xero account types, control accounts, tax codes
→ Xero tax types per direction, and the transaction types (ODBC two-letter code ↔ SDO numeric ``TransType`` ↔ Xero
object). Sources are cited in the TOML file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mappings import load


@dataclass(frozen=True)
class XeroTax:
    """The Xero face of a Sage tax code in one direction."""

    tax_type: str
    name: str
    report_tax_type: str


@dataclass(frozen=True)
class TransType:
    """One ``AUDIT_HEADER.TYPE``: its SDO number and the Xero object (and ``Type``) it becomes."""

    code: str
    sdo: int
    xero: str
    xero_type: str


@dataclass(frozen=True)
class Codes:
    tables: dict[str, tuple[str, ...]]
    nominal_ranges: tuple[tuple[str, str, str], ...]
    control_accounts: dict[str, str]
    tax_codes: dict[str, dict[str, XeroTax]]
    trans_types: dict[str, TransType]
    actions_not_allowed: frozenset[str] = frozenset()

    def account_type(self, nominal_code: str, *, is_bank: bool) -> str:
        """The Xero account ``Type`` of a nominal code (BANK when the BANK table lists it)."""
        if is_bank:
            return "BANK"
        code = nominal_code.strip().zfill(4)
        for low, high, kind in self.nominal_ranges:
            if low <= code <= high:
                return kind
        return "CURRLIAB"

    def xero_tax(self, sage_code: str, direction: str) -> XeroTax:
        """The Xero tax type of Sage tax code ``T1`` in ``direction`` (``output`` | ``input``); unknown codes keep
        their Sage code as the Xero ``TaxType``."""
        known = self.tax_codes.get(sage_code)
        if known is None:
            return XeroTax(tax_type=sage_code, name=sage_code, report_tax_type="NONE")
        return known[direction]

    def sage_tax(self, tax_type: str, direction: str) -> str | None:
        """The Sage tax code (``T1``) of a Xero tax type on the ``direction`` side (``output`` sales, ``input``
        purchases), or ``None``: a tax type of the other side (INPUT2 on a sales line) is refused as Xero refuses
        it, although Sage's T1 serves both sides."""
        for code, faces in self.tax_codes.items():
            if faces[direction].tax_type == tax_type:
                return code
        return tax_type if tax_type.startswith("T") and tax_type[1:].isdigit() else None

    def by_sdo(self, number: int) -> TransType | None:
        for trans in self.trans_types.values():
            if trans.sdo == number:
                return trans
        return None


@cache
def codes() -> Codes:
    """The loaded tables (``FileNotFoundError``/``KeyError`` when ``mappings/sage50.toml`` is broken)."""
    raw = load("sage50")
    return Codes(
        tables={name: tuple(key) for name, key in raw["tables"].items()},
        nominal_ranges=tuple((r["low"], r["high"], r["type"]) for r in raw["nominal_range"]),
        control_accounts=dict(raw["control_accounts"]),
        tax_codes={t["sage"]: {d: XeroTax(**t[d]) for d in ("output", "input")} for t in raw["tax_code"]},
        trans_types={code: TransType(code=code, **spec) for code, spec in raw["trans_type"].items()},
        actions_not_allowed=frozenset(raw.get("actions", {}).get("not_allowed", ())),
    )
