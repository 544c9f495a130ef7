"""``--seed DIR``: load Intuit-format JSON into the default realm.

Every ``*.json`` file below ``DIR`` is read (sorted paths). A file holds one payload as Intuit returns it, or an
object of named examples ``{example_name: payload}`` as in shared/contracts/qbo/samples (SOURCE.txt). Payloads:

- an entity read/create/update response ``{"Invoice": {…}, "time": …}`` → that record;
- a query response ``{"QueryResponse": {"Invoice": [...], …}}`` → those records;
- a batch response ``{"BatchItemResponse": [...]}`` → the records in its items;
- a report ``{"Header", "Columns", "Rows"}`` → a recorded report, served for its name (file stem and
  ``Header.ReportName``) when the emulator does not compute that report (:mod:`emulators.qbo.reports`);
- anything else (requests without an entity wrapper, ``status: "Deleted"`` stubs, CDC id lists, OAuth documents,
  the INDEX) is skipped, and so are entities the emulator does not know (the skip list says which and why).

When one entity Id appears in several examples the loaded version is the most faithful, then the newest: examples
ending ``_intuit`` (verbatim Intuit) beat plain ones, which beat ``scraper_`` ones (SOURCE.txt); among equals the
higher ``SyncToken`` wins. Numbers are read as ``Decimal``. RecurringTransaction payloads (wrappers around the
template's own entity, ``{"Invoice": {…}}``) are stored keyed by the wrapped record's Id (held as ``Id`` beside the
wrapped record and left out of every answer, :func:`emulators.qbo.api.answer_form`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .entities import catalogue
from .store import Realm


@dataclass
class SeedReport:
    """What a seed run loaded."""

    loaded: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Candidate:
    entity: str
    record: dict[str, Any]
    rank: tuple[int, int, int]
    origin: str


def _fidelity(example: str) -> int:
    if example.startswith("scraper_"):
        return 0
    if example.endswith("_intuit") or "_intuit_" in example:
        return 2
    return 1


def _is_report(payload: dict[str, Any]) -> bool:
    return isinstance(payload.get("Header"), dict) and "Rows" in payload and "Columns" in payload


def _records(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The ``(entity, record)`` pairs a response payload carries."""
    out: list[tuple[str, dict[str, Any]]] = []
    query = payload.get("QueryResponse")
    if isinstance(query, dict):
        for key, rows in query.items():
            if isinstance(rows, list):
                out.extend((key, row) for row in rows if isinstance(row, dict))
    for item in payload.get("BatchItemResponse") or []:
        if isinstance(item, dict):
            out.extend(_records({k: v for k, v in item.items() if k not in ("bId", "Fault")}))
    known = catalogue().by_name
    for key, value in payload.items():
        if key not in known:  # request bodies are not wrapped; their top-level keys are properties
            continue
        if isinstance(value, dict) and ("Id" in value or key == "RecurringTransaction"):
            out.append((key, value))
    return out


class Seeder:
    """Collects candidates from files, then loads the winners into a realm."""

    def __init__(self) -> None:
        self.report = SeedReport()
        self.candidates: dict[tuple[str, str], _Candidate] = {}
        self.order = 0

    def add_payload(self, payload: Any, *, origin: str, example: str = "") -> None:
        if not isinstance(payload, dict):
            self.report.skipped.append(f"{origin}: not a JSON object")
            return
        if _is_report(payload):
            name = str(payload["Header"].get("ReportName") or "")
            stem = origin.split("/")[-1].split(":")[0].removesuffix(".json")
            for key in {name, stem} - {""}:
                if key not in self.report.reports or _fidelity(example) >= 1:
                    self.report.reports[key] = payload
            return
        pairs = _records(payload)
        if not pairs:
            self.report.skipped.append(f"{origin}: no entity response (request, stub, CDC or other document)")
            return
        cat = catalogue()
        for entity, record in pairs:
            spec = cat.lookup(entity)
            if spec is None or spec.name != entity:
                self.report.skipped.append(f"{origin}: unknown entity {entity!r}")
                continue
            if spec.wrapper:  # {"Invoice": {...}}: the template is the wrapped record, keyed by its Id
                inner = [v for v in record.values() if isinstance(v, dict)]
                if len(inner) != 1 or "Id" not in inner[0]:
                    self.report.skipped.append(f"{origin}: {entity} wraps no record with an Id")
                    continue
                record = {**record, "Id": inner[0]["Id"], "SyncToken": inner[0].get("SyncToken", "0")}
            if record.get("status") == "Deleted" or "Id" not in record:
                self.report.skipped.append(f"{origin}: {entity} deletion stub or no Id")
                continue
            self.order += 1
            token = str(record.get("SyncToken", "0"))
            rank = (_fidelity(example), int(token) if token.isdigit() else 0, self.order)
            key = (entity, str(record["Id"]))
            current = self.candidates.get(key)
            if current is None or rank > current.rank:
                self.candidates[key] = _Candidate(entity, record, rank, origin)

    def add_file(self, path: Path, *, root: Path) -> None:
        origin = str(path.relative_to(root))
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, ValueError) as error:
            self.report.skipped.append(f"{origin}: unreadable ({error})")
            return
        if isinstance(data, dict) and data and not _is_report(data) and not _records(data) \
                and all(isinstance(v, (dict, str)) for v in data.values()):
            for example, payload in data.items():  # {example_name: payload}
                if isinstance(payload, dict):
                    self.add_payload(payload, origin=f"{origin}:{example}", example=example)
            return
        self.add_payload(data, origin=origin)

    def load_into(self, realm: Realm) -> SeedReport:
        wrappers = {name for name, spec in catalogue().by_name.items() if spec.wrapper}
        for candidate in self.candidates.values():
            record = dict(candidate.record)
            record["Id"] = str(record["Id"])
            if candidate.entity in wrappers:  # kept with the inner Id as its key (answered without it: api.py)
                record.pop("SyncToken", None)
            realm.put(candidate.entity, record)
            self.report.loaded[candidate.entity] += 1
        return self.report


def seed_directory(directory: str | Path, realm: Realm) -> SeedReport:
    """Load every JSON file below ``directory`` into ``realm``.

    Raises:
        FileNotFoundError: ``directory`` does not exist.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"seed directory not found: {root}")
    seeder = Seeder()
    for path in sorted(root.rglob("*.json")):
        seeder.add_file(path, root=root)
    return seeder.load_into(realm)


def default_company(realm: Realm, *, stamp: str) -> None:
    """A company with no seed still has CompanyInfo and Preferences (Id "1", as QBO's singletons have), shaped like
    the Intuit samples (CompanyInfo.json, Preferences.json); the values are the emulator's own."""
    meta = {"CreateTime": stamp, "LastUpdatedTime": stamp}
    if realm.get("CompanyInfo", "1") is None:
        realm.put("CompanyInfo", {
            "CompanyName": "QBO Emulator Company", "LegalName": "QBO Emulator Company", "Country": "US",
            "CompanyAddr": {"Id": "1", "Line1": "1 Emulator Way", "City": "Mountain View",
                            "CountrySubDivisionCode": "CA", "PostalCode": "94043", "Country": "US"},
            "FiscalYearStartMonth": "January", "SupportedLanguages": "en", "domain": "QBO", "sparse": False,
            "Id": "1", "SyncToken": "0", "MetaData": dict(meta)})
    if realm.get("Preferences", "1") is None:
        realm.put("Preferences", {
            "AccountingInfoPrefs": {"FirstMonthOfFiscalYear": "January", "UseAccountNumbers": True,
                                    "TaxYearMonth": "January", "ClassTrackingPerTxn": False,
                                    "ClassTrackingPerTxnLine": True, "TrackDepartments": True},
            "SalesFormsPrefs": {"CustomTxnNumbers": False, "AllowDiscount": True, "AllowDeposit": True},
            "CurrencyPrefs": {"MultiCurrencyEnabled": False, "HomeCurrency": {"value": "USD"}},
            "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
            "domain": "QBO", "sparse": False, "Id": "1", "SyncToken": "0", "MetaData": dict(meta)})
