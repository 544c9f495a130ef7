"""Xero write samples for the declaration-driven round trips (:mod:`.test_round_trips`), and the comparison of what
was sent with what reads back.

Each sample is a Xero element as a client sends it (spec ``components.schemas``), built from :class:`Refs`: the
contacts, accounts, bank accounts and tax types of the stack's company, plus two coded accounts and an unpaid
invoice the round trips make first (QBO's US sample company numbers no accounts, and ``ItemDetails`` names accounts
by code only).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.support.stack import Stack

#: Fields Xero computes or keeps read-only (spec: "read only", or totals derived from lines); never sent.
READ_ONLY = frozenset({
    "UpdatedDateUTC", "CreatedDateUTC", "SubTotal", "TotalTax", "Total", "TotalDiscount", "AmountDue", "AmountPaid",
    "AmountCredited", "RemainingCredit", "Balances", "Payments", "FullyPaidOnDate", "Class", "SystemAccount",
    "BankAmount", "QuantityOnHand", "IsSupplier", "IsCustomer", "HasAttachments",
})
#: (source, resource, field) → why no sample writes a field declared populated.
NOT_SAMPLED = {
    ("1004", "Items", "InventoryAssetAccountCode"):
        "a tracked inventory item needs QBO's InvStartDate and a stock count the round trip does not set up",
    ("1009", "Payments", "CreditNote"): "a payment pays an Invoice or a CreditNote: the sample pays an invoice",
    ("1004", "Accounts", "TaxType"):
        "the emulator's sample realm is a US one: no GlobalTaxCalculation, so accounts carry no TaxCodeRef",
    ("1004", "Currencies", "Code"):
        "the emulator's sample realm has multicurrency off, where QBO lists the home currency only (real QBO "
        "refuses the CompanyCurrency; the emulator accepts it, as tests/qbo/test_stack_writes.py relies on)",
}
DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_serial = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix}{datetime.now(UTC).strftime('%H%M%S')}{next(_serial)}"


def _line_account(account: dict[str, Any]) -> dict[str, str]:
    return {"AccountCode": account["Code"]} if account.get("Code") else {"AccountID": account["AccountID"]}


@dataclass
class Refs:
    """What the samples name, from the stack's company (read, or made once per stack)."""

    code: str
    currency: str
    customer: str
    supplier: str
    revenue: dict[str, Any]
    expense: dict[str, Any]
    banks: list[dict[str, Any]]
    sales_tax: str
    purchase_tax: str
    invoice: dict[str, Any]
    taken: set[str]

    def free_code(self, start: int) -> str:
        """The first account code from ``start`` up that the company does not use (then taken)."""
        code = start
        while str(code) in self.taken:
            code += 1
        self.taken.add(str(code))
        return str(code)

    @classmethod
    async def of(cls, stack: Stack) -> Refs:
        """The stack's refs, made on the first call and kept on the stack."""
        found = getattr(stack, "_round_trip_refs", None)
        if found is None:
            found = await cls._make(stack)
            stack._round_trip_refs = found  # type: ignore[attr-defined]
        return found

    @classmethod
    async def _make(cls, stack: Stack) -> Refs:
        async def get(path: str, key: str) -> list[dict[str, Any]]:
            answer = await stack.api("GET", path, validate=False)
            assert answer.status == 200, (path, answer.body)
            return answer.body[key]

        org = (await get("/Organisation", "Organisations"))[0]
        contacts = await get("/Contacts", "Contacts")
        accounts = await get("/Accounts", "Accounts")
        rates = await get("/TaxRates", "TaxRates")

        def tax(side: str, preferred: tuple[str, ...]) -> str:
            usable = [r["TaxType"] for r in rates if r.get("Status") == "ACTIVE" and r.get(side)]
            return next((t for t in preferred if t in usable), usable[0])

        sales_tax = tax("CanApplyToRevenue", ("OUTPUT2", "NONE"))
        purchase_tax = tax("CanApplyToExpenses", ("INPUT2", "NONE"))
        taken = {a["Code"] for a in accounts if a.get("Code")}
        made = {}
        for kind, side_tax in (("REVENUE", sales_tax), ("EXPENSE", purchase_tax)):
            code = next(str(c) for c in range(4900, 9999) if str(c) not in taken)
            taken.add(code)
            element = {"Code": code, "Name": _unique(f"RT {kind} "), "Type": kind}
            if stack.code != "1004":  # QBO's US tax codes do not sit on accounts
                element["TaxType"] = side_tax
            answer = await stack.api("PUT", "/Accounts", body=element, validate=False)
            assert answer.status == 200, answer.body
            made[kind] = answer.body["Accounts"][0]
        customer = next(c for c in contacts if c.get("IsCustomer"))["ContactID"]
        supplier = next(c for c in contacts if c.get("IsSupplier"))["ContactID"]
        banks = [a for a in accounts if a.get("Type") == "BANK" and a.get("Status") == "ACTIVE"][:2]
        assert len(banks) == 2, "the company needs two bank accounts"
        invoice = {"Type": "ACCREC", "Contact": {"ContactID": customer}, "Date": "2025-03-10",
                   "DueDate": "2025-04-09", "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
                   "LineItems": [{"Description": "To be paid", "Quantity": 1, "UnitAmount": 80,
                                  **_line_account(made["REVENUE"]), "TaxType": sales_tax}]}
        answer = await stack.api("PUT", "/Invoices", body={"Invoices": [invoice]}, validate=False)
        assert answer.status == 200, answer.body
        return cls(code=stack.code, currency=org["BaseCurrency"], customer=customer, supplier=supplier,
                   revenue=made["REVENUE"], expense=made["EXPENSE"], banks=banks, sales_tax=sales_tax,
                   purchase_tax=purchase_tax, invoice=answer.body["Invoices"][0], taken=taken)

    @classmethod
    def placeholder(cls, code: str) -> Refs:
        """Refs with made-up values: for listing the keys the samples write, without a stack."""
        account = {"AccountID": "00000000-0000-0000-0000-000000000001", "Code": "1"}
        return cls(code=code, currency="GBP", customer="c", supplier="s", revenue=account, expense=account,
                   banks=[account, account], sales_tax="NONE", purchase_tax="NONE",
                   invoice={"InvoiceID": "i", "Total": 1}, taken=set())


def _sales_line(r: Refs, amount: int = 40, *, quantity: int = 2) -> dict[str, Any]:
    return {"Description": "Round trip", "Quantity": quantity, "UnitAmount": amount, **_line_account(r.revenue),
            "TaxType": r.sales_tax}


def _purchase_line(r: Refs, *, quantity: int = 3) -> dict[str, Any]:
    return {"Description": "Round trip cost", "Quantity": quantity, "UnitAmount": 15, **_line_account(r.expense),
            "TaxType": r.purchase_tax}


def _account_line_quantity(r: Refs, quantity: int) -> int:
    # QBO keeps an account line (DepositLineDetail, AccountBasedExpenseLineDetail) as an Amount only, Sage a
    # payment line as amounts only: they read as Quantity 1 (the LineItems declarations say so).
    return 1 if r.code in ("1004", "1009") else quantity


def accounts(r: Refs) -> list[dict[str, Any]]:
    # Sage writes Xero's EXPENSE as OVERHEADS, which reads back as OVERHEADS (the Accounts declaration of 1009 says so).
    kind = "OVERHEADS" if r.code == "1009" else "EXPENSE"
    expense = {"Code": r.free_code(6100), "Name": _unique("RT costs "), "Type": kind,
               "Status": "ACTIVE", "Description": "Round-trip costs", "TaxType": r.purchase_tax}
    bank = {"Code": r.free_code(1290), "Name": _unique("RT bank "), "Type": "BANK", "BankAccountType": "BANK",
            "CurrencyCode": r.currency, "BankAccountNumber": "20-32-06 40312087"}
    if r.code == "1004":
        del expense["TaxType"]  # QBO's US tax codes do not sit on accounts
    return [expense, bank]


def contacts(r: Refs) -> list[dict[str, Any]]:
    element = {"Name": _unique("Round Trip Ltd "), "FirstName": "Rita", "LastName": "Tripp",
               "EmailAddress": "rita@roundtrip.example", "AccountNumber": _unique("RT-"), "ContactStatus": "ACTIVE",
               "Addresses": [{"AddressType": "POBOX", "AddressLine1": "1 Loop Road", "City": "Leeds",
                              "PostalCode": "LS1 1AA"}],
               "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "0113 496 0000"}],
               "DefaultCurrency": r.currency}
    if r.code == "1009":
        element.update({"BankAccountDetails": "40312087", "TaxNumber": "GB987654321",
                        "AccountsReceivableTaxType": r.sales_tax, "SalesDefaultAccountCode": r.revenue["Code"],
                        "PurchasesDefaultAccountCode": r.expense["Code"]})
    return [element]


def _document(r: Refs, number_field: str, kind: str) -> dict[str, Any]:
    return {"Type": kind, "Contact": {"ContactID": r.customer}, "Date": "2025-03-12", "DueDate": "2025-04-11",
            "LineAmountTypes": "Exclusive", number_field: _unique("RT-"), "Reference": "round trip",
            "CurrencyCode": r.currency, "CurrencyRate": 1, "Status": "AUTHORISED", "SentToContact": False,
            "LineItems": [_sales_line(r)]}


def invoices(r: Refs) -> list[dict[str, Any]]:
    return [_document(r, "InvoiceNumber", "ACCREC")]


def credit_notes(r: Refs) -> list[dict[str, Any]]:
    return [_document(r, "CreditNoteNumber", "ACCRECCREDIT")]


def bank_transactions(r: Refs) -> list[dict[str, Any]]:
    return [{"Type": "RECEIVE", "Contact": {"ContactID": r.customer},
             "BankAccount": {"AccountID": r.banks[0]["AccountID"]}, "Date": "2025-03-14", "Reference": "round trip",
             "CurrencyCode": r.currency, "CurrencyRate": 1, "LineAmountTypes": "Exclusive", "Status": "AUTHORISED",
             "LineItems": [_sales_line(r, 25, quantity=_account_line_quantity(r, 2))]}]


def bank_transfers(r: Refs) -> list[dict[str, Any]]:
    return [{"FromBankAccount": {"AccountID": r.banks[0]["AccountID"]},
             "ToBankAccount": {"AccountID": r.banks[1]["AccountID"]}, "Amount": 75, "Date": "2025-03-15",
             "Reference": "round trip", "CurrencyRate": 1}]


def currencies(r: Refs) -> list[dict[str, Any]]:
    return [{"Code": "EUR"}]


def items(r: Refs) -> list[dict[str, Any]]:
    element = {"Code": _unique("RT"), "Name": _unique("Round trip item "), "Description": "Sold round",
               "PurchaseDescription": "Bought round",
               "SalesDetails": {"UnitPrice": 12, "AccountCode": r.revenue["Code"], "TaxType": r.sales_tax},
               "PurchaseDetails": {"UnitPrice": 7, "AccountCode": r.expense["Code"], "TaxType": r.purchase_tax}}
    if r.code == "1004":  # a US realm's items carry no tax codes (the Items declaration of 1004 says so)
        del element["SalesDetails"]["TaxType"], element["PurchaseDetails"]["TaxType"]
    if r.code == "1009":  # Sage's sales prices are not written (the Items declaration of 1009 says so)
        del element["SalesDetails"]["UnitPrice"]
    return [element]


def manual_journals(r: Refs) -> list[dict[str, Any]]:
    return [{"Narration": "Round trip journal", "Date": "2025-03-16", "LineAmountTypes": "NoTax", "Status": "POSTED",
             "JournalLines": [{"LineAmount": 50, **_line_account(r.expense), "Description": "debit"},
                              {"LineAmount": -50, **_line_account(r.revenue), "Description": "credit"}]}]


def payments(r: Refs) -> list[dict[str, Any]]:
    return [{"Invoice": {"InvoiceID": r.invoice["InvoiceID"]}, "Account": {"AccountID": r.banks[0]["AccountID"]},
             "Date": "2025-03-20", "Amount": 30, "Reference": "round trip", "CurrencyRate": 1,
             "Status": "AUTHORISED"}]


def quotes(r: Refs) -> list[dict[str, Any]]:
    element = {"QuoteNumber": _unique("QU-"), "Reference": "round trip", "Contact": {"ContactID": r.customer},
               "Date": "2025-03-17", "ExpiryDate": "2025-04-16", "Status": "DRAFT", "CurrencyCode": r.currency,
               "CurrencyRate": 1, "Title": "Round trip quote", "LineAmountTypes": "EXCLUSIVE",
               "LineItems": [_sales_line(r)]}
    if r.code == "1009":
        element["Terms"] = "Payable in 30 days"
    return [element]


def purchase_orders(r: Refs) -> list[dict[str, Any]]:
    return [{"PurchaseOrderNumber": _unique("PO-"), "Contact": {"ContactID": r.supplier}, "Date": "2025-03-18",
             "DeliveryDate": "2025-03-25", "ExpectedArrivalDate": "2025-03-24", "LineAmountTypes": "Exclusive",
             "Reference": "round trip", "CurrencyCode": r.currency, "CurrencyRate": 1, "Status": "AUTHORISED",
             "DeliveryAddress": "1 Loop Road\nLeeds", "DeliveryInstructions": "Side door",
             "LineItems": [_purchase_line(r, quantity=_account_line_quantity(r, 3))]}]


SAMPLES: dict[str, Callable[[Refs], list[dict[str, Any]]]] = {
    "Accounts": accounts, "BankTransactions": bank_transactions, "BankTransfers": bank_transfers,
    "Contacts": contacts, "CreditNotes": credit_notes, "Currencies": currencies, "Invoices": invoices,
    "Items": items, "ManualJournals": manual_journals, "Payments": payments, "PurchaseOrders": purchase_orders,
    "Quotes": quotes,
}


def sample_keys(code: str, resource: str) -> set[str]:
    """The fields the samples of ``resource`` write on source ``code`` (empty without samples)."""
    build = SAMPLES.get(resource)
    return set().union(*(set(e) for e in build(Refs.placeholder(code)))) if build else set()


def build(resource: str, refs: Refs) -> list[dict[str, Any]]:
    """The samples of ``resource``."""
    return SAMPLES[resource](refs)


def _date_of(value: Any) -> str | None:
    if isinstance(value, str):
        found = DATE.match(value)
        if found:
            return datetime.fromtimestamp(int(found[1]) / 1000, UTC).date().isoformat()
        return value[:10]
    return None


def shown(record: dict[str, Any], name: str) -> Any:
    """What ``record`` carries for ``name`` (a date as ``YYYY-MM-DD``)."""
    value = record.get(name)
    return _date_of(value) if name.endswith("Date") else value


def _contains(sent: Any, got: Any) -> bool:
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(
            _contains(v, _date_of(got.get(k)) if k.endswith("Date") else got.get(k)) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(got, list) and len(sent) <= len(got) and all(
            any(_contains(s, g) for g in got) for s in sent)
    if isinstance(sent, bool) or sent is None:
        return sent == got
    if isinstance(sent, (int, float, Decimal)):
        return isinstance(got, (int, float, Decimal)) and not isinstance(got, bool) and (
            Decimal(str(sent)) == Decimal(str(got)))
    return sent == got


def kept(sent: Any, record: dict[str, Any], name: str) -> bool:
    """Whether ``record`` carries ``sent`` for field ``name``: equal values, a sent object's or list's members
    among the record's (the record may add ids and computed members), dates compared by day."""
    return _contains(sent, shown(record, name))
