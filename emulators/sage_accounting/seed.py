"""``--seed DIR``: load Sage-format JSON records (as ``GET …?attributes=all`` answers them).

Layout of ``DIR`` (every file optional)::

    user.json                      the User record (GET /user)
    businesses.json                Business records: replace the built-in businesses (the first is the lead)
    financial_settings.json        settings of the lead business (GET /financial_settings)
    business_settings.json
    <collection>.json              records of the lead business, e.g. contacts.json, sales_invoices.json
    <collection>/<any name>.json   the same, one or more records per file
    <business id>/…                the same layout for one business ("lead" names the lead business)

A records file holds a list envelope (``{"$items": [...]}`` as a list call answers), a bare array, or one record.
``<collection>`` is a URL collection name (``ledger_accounts``, ``bank_accounts``, ``contacts``, ``products``,
``services``, ``sales_invoices``, ``sales_credit_notes``, ``purchase_invoices``, ``purchase_credit_notes``,
``contact_payments``, ``contact_allocations``, ``other_payments``, ``bank_transfers``, ``journals``, and the
read-only ``tax_rates`` and enumerations).

How records are loaded: each writable record is turned back into its request form (nested ``{id, …}`` references
become ``*_id`` members, ``contact_types`` becomes ``contact_type_ids`` …) and created through the same code as
``POST`` (:class:`~emulators.sage_accounting.engine.Engine`), keeping its ``id``, ``created_at`` and
``updated_at``. So computed members (totals, ``outstanding_amount``, ``status``) are recomputed from the lines and
the seeded payments and allocations, and postings are derived (seeded ``ledger_entries`` and ``transactions`` are
ignored). Collections load in dependency order (accounts, contacts, items, artefacts, then payments). A VOID artefact
is created and voided; a DRAFT stays a draft. A record that fails validation is skipped and reported (``GET
/_emulator/seed``). A payment's unallocated rest becomes a new payment on account (with a new id, so an allocation
that used the old one is skipped and reported). Read-only records (tax rates, enumerations) are stored as given.

A business folder with ``ledger_accounts`` replaces the built-in UK chart; its control accounts are recognised by the
chart's control nominal codes (1100, 2100, 2200, 2201), and any missing control account is added from the chart.
Without ``businesses.json`` the records go to the built-in businesses, without the built-in demo documents.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import errors
from .catalogue import chart, resource_specs
from .clock import Clock
from .engine import Engine
from .handlers.catalogue import new_ledger_account
from .handlers.settings import update_business_settings, update_financial_settings
from .setup import REFERENCE_COLLECTIONS, install_settings, new_business
from .store import Business, IdFactory, Store

#: Writable collections in the order their references need.
LOAD_ORDER = ("ledger_accounts", "bank_accounts", "contacts", "products", "services", "sales_invoices",
              "sales_credit_notes", "purchase_invoices", "purchase_credit_notes", "contact_payments",
              "contact_allocations", "other_payments", "bank_transfers", "journals")
#: Members of a response that are never part of a request.
RESPONSE_ONLY = {"id", "displayed_as", "created_at", "updated_at", "deleted_at", "links", "transaction", "editable",
                 "deletable", "balance", "balance_details", "payments_allocations", "tax_analysis",
                 "outstanding_amount", "total_paid", "payments_allocations_total_amount",
                 "payments_allocations_total_discount", "last_paid", "payment_on_account", "visible_scopes",
                 "is_control_account", "display_formatted"}
REFERENCE_KEYS = {"id", "displayed_as", "$path", "links"}
SETTINGS = ("financial_settings", "business_settings")


@dataclass
class SeedReport:
    """What a seed run loaded and skipped."""

    loaded: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)


def _is_reference(value: Any) -> bool:
    return isinstance(value, dict) and "id" in value and set(value) <= REFERENCE_KEYS


def as_request(value: Any, *, top: bool = True) -> Any:
    """A response record (or part of one) in request form: references become ``*_id``/``*_ids`` members."""
    if isinstance(value, list):
        return [as_request(v, top=False) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, member in value.items():
        if key.startswith("$") or (top and key in RESPONSE_ONLY) or (not top and key in ("id", "displayed_as")):
            continue
        if _is_reference(member):
            out[f"{key}_id"] = member["id"]
        elif isinstance(member, list) and member and all(_is_reference(m) for m in member):
            out[f"{key.removesuffix('s')}_ids"] = [m["id"] for m in member]
        else:
            out[key] = as_request(member, top=False)
    return out


def _records(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("$items"), list):
        data = data["$items"]
    if isinstance(data, dict):
        data = [data]
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def _read(path: Path, report: SeedReport) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as error:
        report.skipped.append(f"{path.name}: unreadable ({error})")
        return None


def _collect(folder: Path, report: SeedReport) -> dict[str, list[dict[str, Any]]]:
    """``{collection or settings name: records}`` of one folder (files and one-level subfolders)."""
    known = set(resource_specs()) | set(SETTINGS)
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.json")):
        if path.stem in known:
            found.setdefault(path.stem, []).extend(_records(_read(path, report)))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and p.name in known):
        for path in sorted(sub.rglob("*.json")):
            found.setdefault(sub.name, []).extend(_records(_read(path, report)))
    return found


class Seeder:
    """Loads a seed directory into a store."""

    def __init__(self, clock: Clock, ids: IdFactory, engine: Engine) -> None:
        self.clock, self.ids, self.engine = clock, ids, engine
        self.report = SeedReport()

    def load(self, root: Path, store: Store) -> SeedReport:
        if (root / "user.json").is_file():
            user = _read(root / "user.json", self.report)
            if isinstance(user, dict):
                store.user.update({k: v for k, v in user.items() if not k.startswith("_")})
                self.report.loaded["user"] += 1
        if (root / "businesses.json").is_file():
            self._businesses(_records(_read(root / "businesses.json", self.report)), store)
        lead = store.lead
        plan = [(lead, root)]
        for business in store.businesses.values():
            for name in (business.id, "lead" if business is lead else None):
                if name and (root / name).is_dir():
                    plan.append((business, root / name))
        for business, folder in plan:
            self._load_business(business, _collect(folder, self.report))
        return self.report

    def _businesses(self, rows: list[dict[str, Any]], store: Store) -> None:
        if not rows:
            return
        store.businesses.clear()
        for row in rows:
            business = store.add(new_business(
                self.clock, self.ids, business_id=str(row.get("id") or self.ids.new()),
                name=str(row.get("name") or row.get("displayed_as") or "Business"),
                address={k: row[k] for k in ("address_line_1", "address_line_2", "city", "postal_code", "region",
                                             "telephone", "mobile", "website") if isinstance(row.get(k), str)},
                year=self.clock.today().year, tax_number=""))
            business.record.update({k: v for k, v in row.items() if not k.startswith("_")})
            self.report.loaded["businesses"] += 1

    def _load_business(self, business: Business, found: dict[str, list[dict[str, Any]]]) -> None:
        ctx = self.engine.context(business)
        for collection in REFERENCE_COLLECTIONS:
            for record in found.get(collection, []):
                if "id" not in record:
                    self.report.skipped.append(f"{collection}: a record without id")
                    continue
                stored = {**record, "$path": record.get("$path") or f"/{collection}/{record['id']}"}
                if collection == "tax_rates":
                    stored.setdefault("_kind", "zero" if not record.get("percentage") else "standard")
                business.put(collection, stored)
                self.report.loaded[collection] += 1
        self._settings(ctx, "financial_settings", found)
        if found.get("ledger_accounts"):
            business.collections["ledger_accounts"] = {}  # the seeded chart replaces the built-in one
            business.settings.pop("business_settings", None)
            for record in found["ledger_accounts"]:
                self._create(business, "ledger_accounts", record)
            self._controls(business)
            install_settings(ctx, year=self.clock.today().year, tax_number="")
        self._settings(ctx, "business_settings", found)
        for collection in LOAD_ORDER[1:]:
            for record in found.get(collection, []):
                self._create(business, collection, record)

    def _settings(self, ctx: Any, name: str, found: dict[str, list[dict[str, Any]]]) -> None:
        update = update_financial_settings if name == "financial_settings" else update_business_settings
        for record in found.get(name, []):
            try:
                update(ctx, as_request(record))
                self.report.loaded[name] += 1
            except errors.SageError as error:
                self.report.skipped.append(f"{name}: {error}")

    def _controls(self, business: Business) -> None:
        """Give seeded accounts at the chart's control codes their control role; add missing control accounts."""
        roles = {row["nominal_code"]: row for row in chart().accounts if row.get("control")}
        for account in business.all("ledger_accounts"):
            row = roles.get(account["nominal_code"])
            if row:
                account["_control"] = row["control"]
                account["is_control_account"] = True
        present = {a.get("_control") for a in business.all("ledger_accounts")}
        ctx = self.engine.context(business)
        used = {a["nominal_code"] for a in business.all("ledger_accounts")}
        for code, row in roles.items():
            if row["control"] not in present and code not in used:
                new_ledger_account(ctx, type_id=row["type"], name=row["name"], nominal_code=code,
                                   control=row["control"])

    def _create(self, business: Business, collection: str, record: dict[str, Any]) -> None:
        record_id = record.get("id")
        label = f"{collection}/{record_id or '?'}"
        body = as_request(record)
        status = body.pop("status_id", None)
        if status == "DRAFT":
            body["status_id"] = "DRAFT"
        try:
            created = self.engine.create(business, collection, body, record_id=str(record_id) if record_id else None)
            if status == "VOID":
                self.engine.delete(business, collection, created["id"],
                                   {"void_reason": str(record.get("void_reason") or "Voided")})
        except (errors.SageError, LookupError) as error:
            self.report.skipped.append(f"{label}: {error}")
            return
        for member in ("created_at", "updated_at"):
            if isinstance(record.get(member), str):
                created[member] = record[member]
        self.report.loaded[collection] += 1


def seed_directory(directory: str | Path, store: Store, *, clock: Clock, ids: IdFactory,
                   engine: Engine) -> SeedReport:
    """Load ``directory`` into ``store`` (see the module docstring for the layout).

    Raises:
        FileNotFoundError: ``directory`` does not exist.
    """
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"seed directory not found: {root}")
    return Seeder(clock, ids, engine).load(root, store)
