"""Reference data of a realm: what translating a document needs besides the document itself.

Each *kind* is one QBO query (:data:`KINDS`) and an indexed value built from its rows. The adapter asks the
:class:`~adapters.qbo.cache.RefCache` for the kinds an operation needs; missing kinds are loaded together in one
``POST /batch`` (``MAXRESULTS 1000`` each; a kind with more rows is read on in further pages). Name-list kinds
include inactive rows (``Active IN (true, false)``, upstream-contracts.md §1 "CRUD": queries return only active rows
otherwise), so that references to archived records still translate.

Kinds: ``accounts``, ``items``, ``taxcodes``, ``taxrates``, ``customers``, ``vendors`` (Id, DisplayName, Active only),
``classes``, ``departments``, ``company`` (CompanyInfo and Preferences), ``currencies`` (CompanyCurrency).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import codes

PAGE = 1000


@dataclass(frozen=True)
class Kind:
    """A reference kind: the entity and the query text before paging."""

    name: str
    entity: str
    select: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("accounts", "Account", "SELECT * FROM Account WHERE Active IN (true, false)"),
    Kind("items", "Item", "SELECT * FROM Item WHERE Active IN (true, false)"),
    Kind("taxcodes", "TaxCode", "SELECT * FROM TaxCode"),
    Kind("taxrates", "TaxRate", "SELECT * FROM TaxRate"),
    Kind("customers", "Customer", "SELECT Id, DisplayName, Active FROM Customer WHERE Active IN (true, false)"),
    Kind("vendors", "Vendor", "SELECT Id, DisplayName, Active FROM Vendor WHERE Active IN (true, false)"),
    Kind("classes", "Class", "SELECT * FROM Class WHERE Active IN (true, false)"),
    Kind("departments", "Department", "SELECT * FROM Department WHERE Active IN (true, false)"),
    Kind("companyinfo", "CompanyInfo", "SELECT * FROM CompanyInfo"),
    Kind("preferences", "Preferences", "SELECT * FROM Preferences"),
    Kind("currencies", "CompanyCurrency", "SELECT * FROM CompanyCurrency WHERE Active IN (true, false)"),
)}

#: The kinds a document (invoice, bill, credit note, bank transaction, journal) needs to translate.
DOCUMENT_KINDS = ("accounts", "items", "classes", "departments", "companyinfo", "preferences")
#: Which kinds a write to an entity makes stale.
INVALIDATES: dict[str, tuple[str, ...]] = {
    "Account": ("accounts",), "Item": ("items",), "Customer": ("customers",), "Vendor": ("vendors",),
    "Class": ("classes",), "Department": ("departments",), "CompanyCurrency": ("currencies",),
}


def page_query(kind: Kind, start: int) -> str:
    """The query of one page of a kind (``STARTPOSITION`` counts from 1)."""
    return f"{kind.select} STARTPOSITION {start} MAXRESULTS {PAGE}"


@dataclass
class Indexed:
    """Rows of a name-list entity with look-ups by ``Id`` and by lower-cased name fields."""

    rows: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_name: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[dict[str, Any]], *names: str) -> Indexed:
        out = cls(rows=rows)
        for row in rows:
            out.by_id[str(row.get("Id"))] = row
        for name in names:  # later name fields never override earlier ones, active rows before inactive
            for row in sorted(rows, key=lambda r: r.get("Active") is False):
                value = row.get(name)
                if isinstance(value, str) and value:
                    out.by_name.setdefault(value.lower(), row)
        return out

    def get(self, qbo_id: Any) -> dict[str, Any] | None:
        return self.by_id.get(str(qbo_id)) if qbo_id is not None else None

    def named(self, name: str | None) -> dict[str, Any] | None:
        return self.by_name.get(name.lower()) if name else None


@dataclass
class Accounts(Indexed):
    """Accounts, also by ``AcctNum`` (the Xero ``Code``)."""

    by_code: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> Accounts:
        base = Indexed.build(rows, "Name", "FullyQualifiedName")
        out = cls(rows=rows, by_id=base.by_id, by_name=base.by_name)
        for row in sorted(rows, key=lambda r: r.get("Active") is False):
            code = row.get("AcctNum")
            if code:
                out.by_code.setdefault(str(code).lower(), row)
        return out

    def coded(self, code: str | None) -> dict[str, Any] | None:
        return self.by_code.get(code.lower()) if code else None


@dataclass
class Items(Indexed):
    """Items, also by ``Sku`` (the Xero ``Code`` when set, else the ``Name``)."""

    by_code: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> Items:
        base = Indexed.build(rows, "Name", "FullyQualifiedName")
        out = cls(rows=rows, by_id=base.by_id, by_name=base.by_name)
        for row in sorted(rows, key=lambda r: r.get("Active") is False):
            for key in (row.get("Sku"), row.get("Name")):
                if key:
                    out.by_code.setdefault(str(key).lower(), row)
        return out

    def coded(self, code: str | None) -> dict[str, Any] | None:
        return self.by_code.get(code.lower()) if code else None


@dataclass
class Company:
    """CompanyInfo and Preferences, with the facts translation needs."""

    info: dict[str, Any]
    prefs: dict[str, Any]

    @property
    def country(self) -> str:
        return str(self.info.get("Country") or "")

    @property
    def home_currency(self) -> str:
        ref = (self.prefs.get("CurrencyPrefs") or {}).get("HomeCurrency") or {}
        return str(ref.get("value") or "USD")

    @property
    def has_global_tax_calculation(self) -> bool:
        """Whether documents carry ``GlobalTaxCalculation`` (non-US realms only, upstream-contracts.md §1)."""
        return self.country not in codes.tax().no_global_tax_calculation.countries

    @property
    def department_terminology(self) -> str:
        return str((self.prefs.get("AccountingInfoPrefs") or {}).get("DepartmentTerminology") or "Department")

    @property
    def class_tracking(self) -> bool:
        prefs = self.prefs.get("AccountingInfoPrefs") or {}
        return bool(prefs.get("ClassTrackingPerTxnLine") or prefs.get("ClassTrackingPerTxn"))

    @property
    def department_tracking(self) -> bool:
        return bool((self.prefs.get("AccountingInfoPrefs") or {}).get("TrackDepartments"))


@dataclass
class TaxTables:
    codes: Indexed
    rates: Indexed


def build(kind: str, rows: list[dict[str, Any]]) -> Any:
    """The indexed value of ``kind`` from its rows."""
    if kind == "accounts":
        return Accounts.from_rows(rows)
    if kind == "items":
        return Items.from_rows(rows)
    if kind in ("customers", "vendors"):
        return Indexed.build(rows, "DisplayName")
    if kind in ("classes", "departments"):
        return Indexed.build(rows, "FullyQualifiedName", "Name")
    if kind in ("taxcodes", "taxrates", "currencies"):
        return Indexed.build(rows, "Name", "Code")
    if kind in ("companyinfo", "preferences"):
        return rows[0] if rows else {}
    raise KeyError(kind)


class RefData:
    """The reference data one operation asked for (attributes of kinds not asked for are ``None``)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self._company: Company | None = None

    def forget_derived(self) -> None:
        """Drop what was derived from :attr:`values` (after they changed)."""
        self._company = None

    def _need(self, kind: str) -> Any:
        if kind not in self.values:
            raise LookupError(f"reference kind {kind!r} was not loaded for this operation")
        return self.values[kind]

    @property
    def accounts(self) -> Accounts:
        return self._need("accounts")

    @property
    def items(self) -> Items:
        return self._need("items")

    @property
    def customers(self) -> Indexed:
        return self._need("customers")

    @property
    def vendors(self) -> Indexed:
        return self._need("vendors")

    @property
    def classes(self) -> Indexed:
        return self._need("classes")

    @property
    def departments(self) -> Indexed:
        return self._need("departments")

    @property
    def currencies(self) -> Indexed:
        return self._need("currencies")

    @property
    def tax(self) -> TaxTables:
        """Tax codes (required) and tax rates (empty unless loaded: only TaxRates answers need them)."""
        return TaxTables(codes=self._need("taxcodes"), rates=self.values.get("taxrates") or Indexed(rows=[]))

    @property
    def company(self) -> Company:
        """CompanyInfo and Preferences (built once per pair of loaded values: every translated record asks)."""
        info, prefs = self._need("companyinfo"), self._need("preferences")
        known = self._company
        if known is None or known.info is not info or known.prefs is not prefs:
            known = self._company = Company(info=info, prefs=prefs)
        return known

    def has(self, kind: str) -> bool:
        return kind in self.values
