"""The built-in deterministic demo data: one user with two UK businesses.

Everything is created through :class:`~emulators.sage_accounting.engine.Engine` (the same code as API writes), with
deterministic ids (uuid5 over a counter) and a frozen clock, so every run yields the same ids, numbers, amounts and
timestamps. Names, addresses and amounts are the emulator's own.

Lead business "Emulator Trading Ltd" (tests and demos rely on these):

- bank accounts "Current Account" (1200) and "Deposit Account" (1210);
- contacts Acme Retail Ltd (ACME001, customer), Brightside Cafe (BRIGHT01, customer), Paper Supplies plc (PAPER01,
  supplier), Northwind Traders (NORTH01, customer and supplier);
- a product (WID-1, 25.00) and a service (CONS-1, 90.00 per hour);
- sales invoices SI-1 (120.00, PAID), SI-2 (1185.00, PART_PAID 500.00), SI-3 (60.00, PART_PAID by the credit note
  SCN-1 of 20.00 through a contact allocation), SI-4 (108.00, DRAFT);
- purchase invoices INV-7781 (180.00, PAID) and NW-55 (480.00, UNPAID);
- a customer receipt per paid invoice, a supplier payment, an other payment (rent), an other receipt, a bank transfer
  and an opening capital journal.

Second business "Emulator Services Ltd": a current account, one customer, one supplier, an unpaid sales invoice
SI-1 (600.00) and an unpaid purchase invoice (60.00), so switching ``X-Business`` shows different data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .clock import Clock
from .engine import Engine
from .setup import new_business, new_user
from .store import Business, IdFactory, Store

SEED_INSTANT = datetime(2025, 4, 1, 9, 0, 0, tzinfo=UTC)
YEAR = 2025


def _code(business: Business, nominal_code: int) -> str:
    return next(a["id"] for a in business.all("ledger_accounts") if a["nominal_code"] == nominal_code)


def _line(description: str, account: str, unit_price: str, tax_rate: str, tax: str, quantity: str = "1",
          **extra: Any) -> dict[str, Any]:
    return {"description": description, "ledger_account_id": account, "quantity": quantity,
            "unit_price": unit_price, "tax_rate_id": tax_rate, "tax_amount": tax, **extra}


def _trading(engine: Engine, business: Business) -> None:
    def make(collection: str, body: dict[str, Any]) -> dict[str, Any]:
        return engine.create(business, collection, body)

    current = make("bank_accounts", {"bank_account_type_id": "CHECKING", "nominal_code": 1200,
                                     "bank_account_details": {"account_name": "Current Account",
                                                              "account_number": "12345678", "sort_code": "40-00-01"}})
    deposit = make("bank_accounts", {"bank_account_type_id": "SAVINGS", "nominal_code": 1210,
                                     "bank_account_details": {"account_name": "Deposit Account",
                                                              "account_number": "87654321", "sort_code": "40-00-01"}})
    acme = make("contacts", {"name": "Acme Retail Ltd", "reference": "ACME001", "contact_type_ids": ["CUSTOMER"],
                             "credit_days": 30, "tax_number": "GB123456789",
                             "main_address": {"address_line_1": "1 Market Street", "city": "Leeds",
                                              "postal_code": "LS1 1AA", "country_id": "GB"},
                             "main_contact_person": {"name": "Alice Acme", "email": "alice@acme.example"}})
    bright = make("contacts", {"name": "Brightside Cafe", "reference": "BRIGHT01", "contact_type_ids": ["CUSTOMER"],
                               "main_contact_person": {"name": "Ben Bright", "email": "ben@brightside.example"}})
    paper = make("contacts", {"name": "Paper Supplies plc", "reference": "PAPER01", "contact_type_ids": ["VENDOR"],
                              "credit_days": 30})
    north = make("contacts", {"name": "Northwind Traders", "reference": "NORTH01",
                              "contact_type_ids": ["CUSTOMER", "VENDOR"]})
    widget = make("products", {"description": "Widget", "item_code": "WID-1",
                               "sales_ledger_account_id": _code(business, 4000),
                               "purchase_ledger_account_id": _code(business, 5000), "sales_tax_rate_id": "GB_STANDARD",
                               "purchase_tax_rate_id": "GB_STANDARD", "cost_price": "12.5",
                               "sales_prices": [{"price_name": "Selling Price", "price": "25",
                                                 "price_includes_tax": False}]})
    consulting = make("services", {"description": "Consulting hour", "item_code": "CONS-1",
                                   "sales_ledger_account_id": _code(business, 4010), "sales_tax_rate_id": "GB_STANDARD",
                                   "sales_rates": [{"rate_name": "Hourly", "rate": "90", "rate_includes_tax": False}]})
    sales, services = _code(business, 4000), _code(business, 4010)
    make("journals", {"date": "2025-01-01", "reference": "OPEN-1", "description": "Capital introduced",
                      "journal_lines": [{"ledger_account_id": current["ledger_account"]["id"], "debit": "10000",
                                         "credit": "0", "details": "Capital introduced"},
                                        {"ledger_account_id": _code(business, 3000), "debit": "0",
                                         "credit": "10000", "details": "Capital introduced"}]})
    si1 = make("sales_invoices", {"contact_id": acme["id"], "date": "2025-01-10", "reference": "PO-1001",
                                  "invoice_lines": [_line("Widgets", sales, "25", "GB_STANDARD", "20", "4",
                                                          product_id=widget["id"])]})
    si2 = make("sales_invoices", {"contact_id": bright["id"], "date": "2025-02-03", "due_date": "2025-03-05",
                                  "invoice_lines": [
                                      _line("Consulting", services, "90", "GB_STANDARD", "180", "10",
                                            service_id=consulting["id"]),
                                      _line("Energy-saving fittings", sales, "100", "GB_LOWER", "5")]})
    si3 = make("sales_invoices", {"contact_id": north["id"], "date": "2025-03-01",
                                  "invoice_lines": [_line("Widgets", sales, "25", "GB_STANDARD", "10", "2",
                                                          product_id=widget["id"])]})
    make("sales_invoices", {"contact_id": acme["id"], "date": "2025-03-15", "status_id": "DRAFT",
                            "invoice_lines": [_line("Consulting", services, "90", "GB_STANDARD", "18",
                                                    service_id=consulting["id"])]})
    scn1 = make("sales_credit_notes", {"contact_id": north["id"], "date": "2025-03-03",
                                       "credit_note_lines": [_line("Damaged widget", sales, "20", "GB_ZERO", "0")]})
    pi1 = make("purchase_invoices", {"contact_id": paper["id"], "date": "2025-01-20", "due_date": "2025-02-19",
                                     "reference": "INV-7781", "vendor_reference": "INV-7781",
                                     "invoice_lines": [_line("Printer paper", _code(business, 7500), "150",
                                                             "GB_STANDARD", "30")]})
    make("purchase_invoices", {"contact_id": north["id"], "date": "2025-02-12", "due_date": "2025-03-14",
                               "reference": "NW-55", "vendor_reference": "NW-55",
                               "invoice_lines": [_line("Stock purchase", _code(business, 5000), "40", "GB_STANDARD",
                                                       "80", "10")]})
    bank = current["id"]
    make("contact_payments", {"transaction_type_id": "CUSTOMER_RECEIPT", "contact_id": acme["id"],
                              "bank_account_id": bank, "date": "2025-01-25", "total_amount": "120",
                              "reference": "REC-1", "payment_method_id": "BANK_TRANSFER",
                              "allocated_artefacts": [{"artefact_id": si1["id"], "amount": "120"}]})
    make("contact_payments", {"transaction_type_id": "CUSTOMER_RECEIPT", "contact_id": bright["id"],
                              "bank_account_id": bank, "date": "2025-02-20", "total_amount": "500",
                              "reference": "REC-2", "allocated_artefacts": [{"artefact_id": si2["id"],
                                                                            "amount": "500"}]})
    make("contact_payments", {"transaction_type_id": "VENDOR_PAYMENT", "contact_id": paper["id"],
                              "bank_account_id": bank, "date": "2025-02-15", "total_amount": "180",
                              "reference": "PAY-1", "allocated_artefacts": [{"artefact_id": pi1["id"],
                                                                            "amount": "180"}]})
    make("contact_allocations", {"transaction_type_id": "CUSTOMER_ALLOCATION", "contact_id": north["id"],
                                 "date": "2025-03-05",
                                 "allocated_artefacts": [{"artefact_id": si3["id"], "amount": "20"},
                                                         {"artefact_id": scn1["id"], "amount": "-20"}]})
    make("other_payments", {"transaction_type_id": "OTHER_PAYMENT", "date": "2025-01-31", "total_amount": "1000",
                            "bank_account_id": bank, "reference": "RENT-JAN",
                            "payment_lines": [{"ledger_account_id": _code(business, 7100), "total_amount": "1000",
                                               "tax_rate_id": "GB_EXEMPT", "details": "Office rent January"}]})
    make("other_payments", {"transaction_type_id": "OTHER_RECEIPT", "date": "2025-02-28", "total_amount": "250",
                            "bank_account_id": bank, "reference": "GRANT-1",
                            "payment_lines": [{"ledger_account_id": _code(business, 4900), "total_amount": "250",
                                               "tax_rate_id": "GB_EXEMPT", "details": "Local business grant"}]})
    make("bank_transfers", {"from_bank_account_id": bank, "to_bank_account_id": deposit["id"],
                            "date": "2025-03-05", "amount": "2000", "reference": "TRF-1",
                            "description": "Move to deposit"})
    make("sales_quotes", {"contact_id": acme["id"], "date": "2025-03-20", "expiry_date": "2025-04-19",
                          "reference": "Q-ACME", "status_id": "PENDING",
                          "quote_lines": [_line("Widgets", sales, "25", "GB_STANDARD", "50", "10",
                                                product_id=widget["id"])]})
    types = {t["name"]: t["id"] for t in business.all("analysis_types")}
    for type_name, names in (("Department", ("Sales", "Support")), ("Cost Centre", ("North", "South"))):
        for name in names:
            make("analysis_type_categories", {"analysis_type_id": types[type_name], "name": name})


def _services(engine: Engine, business: Business) -> None:
    def make(collection: str, body: dict[str, Any]) -> dict[str, Any]:
        return engine.create(business, collection, body)

    make("bank_accounts", {"bank_account_type_id": "CHECKING", "nominal_code": 1200,
                           "bank_account_details": {"account_name": "Business Current Account"}})
    orbit = make("contacts", {"name": "Orbit Media Ltd", "reference": "ORBIT01", "contact_type_ids": ["CUSTOMER"]})
    cloud = make("contacts", {"name": "Cloud Hosting Co", "reference": "CLOUD01", "contact_type_ids": ["VENDOR"]})
    make("sales_invoices", {"contact_id": orbit["id"], "date": "2025-03-10",
                            "invoice_lines": [_line("Design work", _code(business, 4010), "500", "GB_STANDARD",
                                                    "100")]})
    make("purchase_invoices", {"contact_id": cloud["id"], "date": "2025-03-12", "due_date": "2025-04-11",
                               "reference": "CH-2025-03",
                               "invoice_lines": [_line("Hosting March", _code(business, 7500), "50", "GB_STANDARD",
                                                       "10")]})


def build(store_clock: Clock, ids: IdFactory, engine: Engine, *, documents: bool = True) -> Store:
    """The demo user and businesses (with ``documents=False``: the businesses with chart and settings only).

    The clock is frozen at :data:`SEED_INSTANT` and ids are deterministic while building; both are restored after.
    """
    saved = store_clock.frozen
    store_clock.frozen = SEED_INSTANT.timestamp()
    ids.deterministic("sage-emulator-demo")
    try:
        user = new_user(ids, store_clock.stamp(), first_name="Emma", last_name="Ulator",
                        email="emma.ulator@example.com")
        store = Store(user=user)
        trading = store.add(new_business(
            store_clock, ids, name="Emulator Trading Ltd", year=YEAR, tax_number="GB123456789",
            address={"address_line_1": "1 Ledger Lane", "city": "Newcastle upon Tyne", "postal_code": "NE1 1AA",
                     "telephone": "0191 000 0000"}))
        services = store.add(new_business(
            store_clock, ids, name="Emulator Services Ltd", year=YEAR, tax_number="GB987654321",
            address={"address_line_1": "2 Journal Road", "city": "Manchester", "postal_code": "M1 1AA"}))
        if documents:
            _trading(engine, trading)
            _services(engine, services)
        return store
    finally:
        store_clock.frozen = saved
        ids.random()
