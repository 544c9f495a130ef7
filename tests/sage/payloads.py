"""Sage Business Cloud Accounting v3.1 records shaped as Sage's spec says (swagger.accounts.v3.1.json definitions
``LedgerAccount``, ``BankAccount``, ``TaxRate``, ``Contact``, ``SalesInvoice``, ``PurchaseInvoice``,
``ContactPayment``, ``OtherPayment``, ``BankTransfer``, ``Journal``, ``Product``, ``Service``; swagger.user_business
``Business``), for the unit tests. Ids are 32 hexadecimal characters as Sage's are; enumeration ids are those of the
upstream notes (GB_STANDARD, SALES, UNPAID…)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

BUSINESS_ID = "0b1c2d3e4f5061728394a5b6c7d8e9f0"


def ref(resource: str, sage_id: str, displayed_as: str = "") -> dict[str, Any]:
    return {"id": sage_id, "displayed_as": displayed_as or sage_id, "$path": f"/{resource}/{sage_id}"}


def hexid(n: int) -> str:
    return f"{n:032x}"


SALES_ACCOUNT = {"id": hexid(1), "displayed_as": "Sales (4000)", "$path": f"/ledger_accounts/{hexid(1)}",
                 "name": "Sales", "display_name": "Sales", "nominal_code": 4000, "included_in_chart": True,
                 "ledger_account_type": ref("ledger_account_types", "SALES", "Sales"),
                 "tax_rate": ref("tax_rates", "GB_STANDARD", "Standard 20.00%"), "is_control_account": False,
                 "updated_at": "2025-01-02T10:00:00Z"}
PURCHASES_ACCOUNT = {"id": hexid(2), "displayed_as": "Purchases (5000)", "name": "Purchases", "nominal_code": 5000,
                     "included_in_chart": True,
                     "ledger_account_type": ref("ledger_account_types", "DIRECT_EXPENSES", "Direct Expenses"),
                     "tax_rate": ref("tax_rates", "GB_STANDARD"), "updated_at": "2025-01-02T10:00:00Z"}
RENT_ACCOUNT = {"id": hexid(3), "displayed_as": "Rent (7100)", "name": "Rent", "nominal_code": 7100,
                "included_in_chart": False,
                "ledger_account_type": ref("ledger_account_types", "OVERHEADS"), "updated_at": "2025-01-02T10:00:00Z"}
BANK_LEDGER = {"id": hexid(4), "displayed_as": "Current (1200)", "name": "Current", "nominal_code": 1200,
               "included_in_chart": True, "ledger_account_type": ref("ledger_account_types", "BANK", "Bank"),
               "updated_at": "2025-01-02T10:00:00Z"}
CARD_LEDGER = {"id": hexid(5), "displayed_as": "Card (1240)", "name": "Card", "nominal_code": 1240,
               "included_in_chart": True, "ledger_account_type": ref("ledger_account_types", "BANK"),
               "updated_at": "2025-01-02T10:00:00Z"}
CONTROL_ACCOUNT = {"id": hexid(6), "displayed_as": "Creditors (2100)", "name": "Creditors Control",
                   "nominal_code": 2100,
                   "included_in_chart": True, "is_control_account": True,
                   "ledger_account_type": ref("ledger_account_types", "CURRENT_LIABILITY"),
                   "updated_at": "2025-01-02T10:00:00Z"}
CAPITAL_ACCOUNT = {"id": hexid(7), "displayed_as": "Capital (3000)", "name": "Capital", "nominal_code": 3000,
                   "included_in_chart": True, "ledger_account_type": ref("ledger_account_types", "EQUITY"),
                   "updated_at": "2025-01-02T10:00:00Z"}
LEDGER_ACCOUNTS = [SALES_ACCOUNT, PURCHASES_ACCOUNT, RENT_ACCOUNT, BANK_LEDGER, CARD_LEDGER, CONTROL_ACCOUNT,
                   CAPITAL_ACCOUNT]

CURRENT_BANK = {"id": hexid(11), "displayed_as": "Current Account (1200)", "nominal_code": 1200,
                "ledger_account": ref("ledger_accounts", hexid(4), "Current (1200)"),
                "bank_account_type": ref("bank_account_types", "CHECKING", "Current"),
                "bank_account_details": {"account_name": "Current Account", "account_number": "12345678",
                                         "sort_code": "40-00-01"},
                "currency": ref("currencies", "GBP"), "is_active": True, "updated_at": "2025-01-02T10:00:00Z"}
CARD_BANK = {"id": hexid(12), "displayed_as": "Card (1240)", "nominal_code": 1240,
             "ledger_account": ref("ledger_accounts", hexid(5)),
             "bank_account_type": ref("bank_account_types", "CREDIT_CARD"),
             "bank_account_details": {"account_name": "Card"}, "currency": ref("currencies", "GBP")}
ORPHAN_BANK = {"id": hexid(13), "displayed_as": "Old Savings", "nominal_code": 1210,
               "ledger_account": ref("ledger_accounts", hexid(99)), "is_active": False,
               "bank_account_type": ref("bank_account_types", "SAVINGS"),
               "bank_account_details": {"account_name": "Old Savings"}}
BANK_ACCOUNTS = [CURRENT_BANK, CARD_BANK, ORPHAN_BANK]


def tax_rate(sage_id: str, name: str, percentage: str) -> dict[str, Any]:
    return {"id": sage_id, "displayed_as": name, "$path": f"/tax_rates/{sage_id}", "name": name,
            "percentage": D(percentage), "is_visible": True, "editable": False, "deletable": False}


TAX_RATES = [tax_rate("GB_STANDARD", "Standard 20.00%", "20.0"), tax_rate("GB_LOWER", "Lower 5.00%", "5.0"),
             tax_rate("GB_ZERO", "Zero 0.00%", "0.0"), tax_rate("GB_EXEMPT", "Exempt", "0.0"),
             tax_rate("GB_NO_TAX", "No Tax", "0.0"), tax_rate(hexid(21), "Local Levy 3%", "3.0")]

PRODUCT = {"id": hexid(31), "displayed_as": "Widget", "item_code": "WID-1", "description": "Widget",
           "notes": "Blue widget", "sales_ledger_account": ref("ledger_accounts", hexid(1)),
           "purchase_ledger_account": ref("ledger_accounts", hexid(2)),
           "sales_tax_rate": ref("tax_rates", "GB_STANDARD"), "purchase_tax_rate": ref("tax_rates", "GB_STANDARD"),
           "cost_price": D("12.5"), "sales_prices": [{"id": hexid(32), "price_name": "Selling Price",
                                                     "price": D("25.0"), "price_includes_tax": False}],
           "active": True, "updated_at": "2025-01-03T10:00:00Z"}
SERVICE = {"id": hexid(33), "displayed_as": "Consulting", "item_code": "CONS-1", "description": "Consulting",
           "sales_ledger_account": ref("ledger_accounts", hexid(1)), "sales_tax_rate": ref("tax_rates", "GB_STANDARD"),
           "sales_rates": [{"id": hexid(34), "rate_name": "Hourly", "rate": D("90.0"), "rate_includes_tax": False}],
           "active": True, "updated_at": "2025-01-03T10:00:00Z"}

BUSINESS = {"id": BUSINESS_ID, "displayed_as": "Widgets Ltd", "name": "Widgets Ltd", "address_line_1": "1 High St",
            "city": "York", "postal_code": "YO1 1AA", "country": {"id": "GB", "displayed_as": "United Kingdom"},
            "telephone": "01904 000000", "is_demo": False, "created_at": "2024-06-01T08:00:00Z"}
FINANCIAL_SETTINGS = {"$path": "/financial_settings", "year_end_date": "2025-03-31", "accounting_type": "accrual",
                      "base_currency": ref("currencies", "GBP", "Pound Sterling"), "multi_currency_enabled": False,
                      "tax_number": "GB999999973", "sales_tax_calculation": "invoice"}
BUSINESS_SETTINGS = {"default_ledger_accounts": {
    "product_sales_ledger_account": ref("ledger_accounts", hexid(1)),
    "product_purchase_ledger_account": ref("ledger_accounts", hexid(2)),
    "service_sales_ledger_account": ref("ledger_accounts", hexid(1))}}

CUSTOMER = {"id": hexid(41), "displayed_as": "Acme Ltd (ACME)", "name": "Acme Ltd", "reference": "ACME",
            "contact_types": [ref("contact_types", "CUSTOMER", "Customer")], "email": "ap@acme.test",
            "tax_number": "GB123456789", "is_active": True, "currency": ref("currencies", "GBP"),
            "main_address": {"address_line_1": "2 Mill Lane", "city": "Leeds", "postal_code": "LS1 1AA",
                             "country": ref("countries", "GB")},
            "delivery_address": {"address_line_1": "Unit 4", "city": "Leeds"},
            "main_contact_person": {"name": "Alice", "telephone": "0113 000", "mobile": "07700 900000",
                                    "email": "alice@acme.test"},
            "default_sales_ledger_account": {"id": hexid(1), "nominal_code": 4000},
            "default_sales_tax_rate": ref("tax_rates", "GB_STANDARD"),
            "bank_account_details": {"account_number": "87654321"}, "updated_at": "2025-02-01T12:00:00Z"}
BOTH = {"id": hexid(42), "displayed_as": "Northwind", "name": "Northwind",
        "contact_types": [ref("contact_types", "CUSTOMER"), ref("contact_types", "VENDOR")], "is_active": False,
        "updated_at": "2025-02-01T12:00:00Z"}


def sales_invoice(**overrides: Any) -> dict[str, Any]:
    row = {
        "id": hexid(51), "displayed_as": "SI-7", "$path": f"/sales_invoices/{hexid(51)}",
        "created_at": "2025-04-01T09:00:00Z", "updated_at": "2025-04-02T09:30:00Z",
        "contact": ref("contacts", hexid(41), "Acme Ltd (ACME)"), "contact_name": "Acme Ltd",
        "invoice_number": "SI-7", "date": "2025-04-01", "due_date": "2025-05-01", "reference": "PO-42",
        "net_amount": D("150.0"), "tax_amount": D("30.0"), "total_amount": D("180.0"),
        "outstanding_amount": D("100.0"), "total_paid": D("80.0"), "currency": ref("currencies", "GBP"),
        "exchange_rate": D("1.0"), "status": ref("artefact_statuses", "PART_PAID", "Part Paid"), "sent": True,
        "last_paid": "2025-04-10",
        "invoice_lines": [
            {"id": hexid(61), "displayed_as": "Widgets", "description": "Widgets",
             "product": ref("products", hexid(31)),
             "ledger_account": ref("ledger_accounts", hexid(1)), "quantity": D("4.0"), "unit_price": D("25.0"),
             "net_amount": D("100.0"), "tax_rate": ref("tax_rates", "GB_STANDARD"), "tax_amount": D("20.0"),
             "total_amount": D("120.0"), "unit_price_includes_tax": False, "discount_amount": D("0.0")},
            {"id": hexid(62), "displayed_as": "Set-up", "description": "Set-up",
             "ledger_account": ref("ledger_accounts", hexid(1)), "quantity": D("1.0"), "unit_price": D("50.0"),
             "net_amount": D("50.0"), "tax_rate": ref("tax_rates", "GB_STANDARD"), "tax_amount": D("10.0"),
             "total_amount": D("60.0"), "unit_price_includes_tax": False}],
        "payments_allocations": [
            {"date": "2025-04-10", "type": "Customer Receipt", "amount": D("60.0"), "reference": "REC-1",
             "contact_payment": ref("contact_payments", hexid(71)), "displayed_as": "REC-1"},
            {"date": "2025-04-11", "type": "Customer Allocation", "amount": D("20.0"),
             "contact_allocation": ref("contact_allocations", hexid(81))}],
    }
    row.update(overrides)
    return row


def purchase_invoice(**overrides: Any) -> dict[str, Any]:
    row = {
        "id": hexid(52), "displayed_as": "INV-9", "contact": ref("contacts", hexid(42), "Northwind"),
        "contact_name": "Northwind", "vendor_reference": "INV-9", "reference": "", "date": "2025-04-03",
        "due_date": "2025-05-03", "net_amount": D("100.0"), "tax_amount": D("20.0"), "total_amount": D("120.0"),
        "outstanding_amount": D("120.0"), "status": ref("artefact_statuses", "UNPAID"),
        "updated_at": "2025-04-03T09:00:00Z",
        "invoice_lines": [{"id": hexid(63), "description": "Paper", "ledger_account": ref("ledger_accounts", hexid(2)),
                           "quantity": D("1.0"), "unit_price": D("120.0"), "unit_price_includes_tax": True,
                           "net_amount": D("100.0"), "tax_rate": ref("tax_rates", "GB_STANDARD"),
                           "tax_amount": D("20.0"), "total_amount": D("120.0")}],
        "payments_allocations": [],
    }
    row.update(overrides)
    return row


CONTACT_PAYMENT = {
    "id": hexid(71), "displayed_as": "REC-1", "transaction_type": ref("transaction_types", "CUSTOMER_RECEIPT"),
    "contact": ref("contacts", hexid(41)), "bank_account": ref("bank_accounts", hexid(11), "Current Account"),
    "date": "2025-04-10", "total_amount": D("90.0"), "reference": "REC-1", "exchange_rate": D("1.0"),
    "updated_at": "2025-04-10T10:00:00Z",
    "allocated_artefacts": [
        {"id": hexid(72), "artefact": ref("sales_invoices", hexid(51), "SI-7"), "amount": D("60.0")},
        {"id": hexid(73), "artefact": {"id": hexid(53), "displayed_as": "SI-8"}, "amount": D("30.0")}],
}
OTHER_PAYMENT = {
    "id": hexid(91), "displayed_as": "Rent", "transaction_type": ref("transaction_types", "OTHER_PAYMENT"),
    "bank_account": ref("bank_accounts", hexid(11)), "contact": ref("contacts", hexid(42), "Northwind"),
    "date": "2025-04-20", "reference": "RENT-4", "net_amount": D("100.0"), "tax_amount": D("20.0"),
    "total_amount": D("120.0"), "updated_at": "2025-04-20T10:00:00Z",
    "payment_lines": [{"id": hexid(92), "ledger_account": ref("ledger_accounts", hexid(3)), "details": "April rent",
                       "tax_rate": ref("tax_rates", "GB_STANDARD"), "net_amount": D("100.0"),
                       "tax_amount": D("20.0"), "total_amount": D("120.0")}],
}
BANK_TRANSFER = {"id": hexid(93), "from_bank_account": {"id": hexid(11), "displayed_as": "Current"},
                 "to_bank_account": {"id": hexid(12), "displayed_as": "Card"}, "date": "2025-04-21",
                 "reference": "TRF", "amount": D("250.0"), "created_at": "2025-04-21T08:00:00Z"}
JOURNAL = {"id": hexid(94), "date": "2025-04-22", "reference": "Accrual", "description": "Accrual for April",
           "updated_at": "2025-04-22T08:00:00Z",
           "journal_lines": [{"id": hexid(95), "ledger_account": {"id": hexid(3)}, "debit": D("30.0"),
                              "credit": D("0.0"), "details": "rent"},
                             {"id": hexid(96), "ledger_account": {"id": hexid(6)}, "debit": D("0.0"),
                              "credit": D("30.0")}]}
