"""Building the user and a business: the Business record, the enumerations, the UK chart and the settings.

Shapes: ``User`` and ``Business`` from swagger.user_business.v3.1.json; ``Base``/``TaxRate``, ``FinancialSettings``
and ``BusinessSettings`` from swagger.accounts.v3.1.json. Values are the emulator's own (names, addresses) or the
documented UK defaults (GBP base currency, accrual accounting, invoice-based VAT: the spec's allowed values).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .catalogue import chart, reference_rows
from .clock import Clock
from .context import Context, base_ref
from .handlers.analysis import install_analysis_types
from .handlers.catalogue import new_ledger_account
from .store import Business, IdFactory

#: Collections whose rows are the enumerations of ``data/reference.toml``.
REFERENCE_COLLECTIONS = ("artefact_statuses", "contact_types", "ledger_account_types", "transaction_types",
                         "bank_account_types", "payment_methods", "currencies", "countries", "tax_rates",
                         "attachment_context_types")


def new_user(ids: IdFactory, stamp: str, *, first_name: str, last_name: str, email: str,
             locale: str = "en-GB") -> dict[str, Any]:
    """A ``User`` record."""
    return {"id": ids.new(), "displayed_as": f"{first_name} {last_name}", "created_at": stamp, "updated_at": stamp,
            "first_name": first_name, "last_name": last_name, "initials": f"{first_name[:1]}{last_name[:1]}",
            "email": email, "locale": locale}


def business_record(business_id: str, stamp: str, *, name: str, address: dict[str, str]) -> dict[str, Any]:
    """A ``Business`` record of a UK business (``$path`` as in the best-practices guide's /businesses list)."""
    return {"id": business_id, "displayed_as": name, "$path": f"/businesses/{business_id}", "created_at": stamp,
            "updated_at": stamp, "name": name, **address,
            "country": {"id": "GB", "displayed_as": "United Kingdom (GB)"}, "is_demo": False, "ni_based": False}


def install_reference(business: Business, stamp: str) -> None:
    """The enumerations as read-only records (an existing record of the same id is kept)."""
    for collection in REFERENCE_COLLECTIONS:
        for row in reference_rows()[collection]:
            if business.get(collection, row["id"]) is not None:
                continue
            record: dict[str, Any] = {"id": row["id"], "displayed_as": row["displayed_as"],
                                      "$path": f"/{collection}/{row['id']}"}
            if collection == "tax_rates":
                record.update({"created_at": stamp, "updated_at": stamp, "name": row["name"],
                               "percentage": Decimal(row["percentage"]), "is_visible": True, "retailer": False,
                               "editable": False, "deletable": False, "is_combined_rate": False,
                               "_kind": row["kind"]})
            if "collection" in row:  # attachment context types: the collection their context ids name
                record["_collection"] = row["collection"]
            business.put(collection, record)


def install_chart(ctx: Context) -> None:
    """The UK chart of ``data/chart_uk.toml`` (skipping nominal codes already present)."""
    used = {a["nominal_code"] for a in ctx.business.all("ledger_accounts")}
    for row in chart().accounts:
        if row["nominal_code"] in used:
            continue
        new_ledger_account(ctx, type_id=row["type"], name=row["name"], nominal_code=row["nominal_code"],
                           tax_rate_id=row.get("tax_rate"), control=row.get("control"))


def install_settings(ctx: Context, *, year: int, tax_number: str) -> None:
    """``financial_settings``, ``business_settings`` and ``cis_settings`` (kept when already present, e.g. seeded)."""
    business, stamp = ctx.business, ctx.stamp()
    business.settings.setdefault("financial_settings", {
        "$path": "/financial_settings", "year_end_date": f"{year}-12-31", "accounts_start_date": f"{year}-01-01",
        "accounting_type": "accrual", "base_currency": ctx.ref("currencies", "GBP"), "multi_currency_enabled": False,
        "use_live_exchange_rates": False, "tax_number": tax_number, "sales_tax_calculation": "invoice",
        "purchase_tax_calculation": "invoice", "postponed_accounting": False, "destination_vat": False,
        "updated_at": stamp})
    by_code = {a["nominal_code"]: a for a in business.all("ledger_accounts")}
    defaults = {name: base_ref(by_code[code]) for name, code in chart().default_ledger_accounts.items()
                if code in by_code}
    business.settings.setdefault("business_settings", {
        "$path": "/business_settings", "default_ledger_accounts": defaults,
        "country_of_registration": ctx.ref("countries", "GB"), "business_created_at": stamp, "updated_at": stamp,
        "wizard_complete": True, "auxiliary_accounts_visible": False})
    business.settings.setdefault("cis_settings", {"$path": "/cis_settings", "contractor": False,
                                                  "subcontractor": False})


def new_business(clock: Clock, ids: IdFactory, *, business_id: str | None = None, name: str,
                 address: dict[str, str], year: int, tax_number: str, with_chart: bool = True) -> Business:
    """A UK business with enumerations, (optionally) the built-in chart, and settings."""
    stamp = clock.stamp()
    business_id = business_id or ids.new()
    business = Business(id=business_id, record=business_record(business_id, stamp, name=name, address=address))
    install_reference(business, stamp)
    install_analysis_types(business, stamp)
    ctx = Context(business, clock, ids)
    if with_chart:
        install_chart(ctx)
    install_settings(ctx, year=year, tax_number=tax_number)
    return business
