"""The deterministic demo company: UK default nominal and tax codes, then a year of trading posted through the fake SDO.

Set-up data (``COMPANY``, ``CURRENCY``, ``DEPARTMENT``, ``TAX_CODE``, ``NOMINAL_LEDGER``, ``BANK``, ``CHART_LIST``,
``CATEGORY``) is written directly, as Sage's company set-up does; the control accounts and tax codes come from
``shared/contracts/sage50/{nominal,tax}-codes-uk-default.json``, the rest from ``data/demo.toml``. Customers,
suppliers and every transaction go through :class:`.sdo.SDOEngine` as ``MANAGER``, so they obey the posting rules.

The year (financial year 2025, January start, lock date 2025-01-01 enforced), per month: three sales invoices (one
to three splits), two purchase invoices, a rent payment, an electricity payment with VAT, bank interest, receipts
(``SA``) and supplier payments (``PA``) for the previous month's invoices allocated split by split (every fifth
invoice left unpaid, every fifth-plus-one paid in half), a sales credit note every third month, a purchase credit
note every fourth, a capital introduction in January, a bank transfer journal in June, and two unposted invoice
documents in December. Amounts come from ``random.Random(1001)``.

Golden rows (sage50.md §9.5), kept exactly: sales invoice 1 is Dankular's SI of 100.00 + 20.00 at T1 to 4000;
sales invoice 2 is Zynk's SI to ``ABS001`` of 12.56 net with 2.43 tax (not 20 % of the net: Sage stores the tax it
is given) at T1, nominal 4000, department 1; sales invoice 24 (``INV_REF`` "24") is 170.21 + 29.79 and is paid by
one ``SA`` of 200.00 allocated to it in full.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
import tomllib
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from . import control, schema
from .company import Clock, Company, dec
from .posting import TRANS_TYPE_NUMBERS
from .sdo import SDOEngine, WorkSpace

DATA = Path(__file__).parent / "data" / "demo.toml"
YEAR = 2025
SALES_NOMINALS = ("4000", "4001", "4002")
CAPITAL = Decimal("25000.00")

#: The golden sales invoices by their number: (customer, [(nominal, net, tax, tax code, dept)]).
GOLDEN = {
    1: ("BRI001", [("4000", Decimal("100.00"), Decimal("20.00"), 1, 0)]),
    2: ("ABS001", [("4000", Decimal("12.56"), Decimal("2.43"), 1, 1)]),
    24: ("CRO001", [("4000", Decimal("170.21"), Decimal("29.79"), 1, 0)]),
}


def _vat(net: Decimal, rate: Decimal) -> Decimal:
    return (net * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _setup(company: Company, data: dict[str, Any]) -> None:
    contracts = schema.contracts_dir()
    nominal = json.loads((contracts / "nominal-codes-uk-default.json").read_text(encoding="utf-8"))
    taxes = json.loads((contracts / "tax-codes-uk-default.json").read_text(encoding="utf-8"), parse_float=Decimal)
    settings = dict(data["company"])
    name = settings["NAME"]
    settings.update(
        COMPANYID=str(uuid.uuid5(uuid.NAMESPACE_URL, f"sage50-stand-in:{name}")).upper(), DEFAULT_CHART=1,
        NOM_DEBTORS="1100", NOM_CREDITORS="2100", NOM_TAX_SALES="2200", NOM_TAX_PURCHASE="2201",
        NOM_DEFAULT_BANK="1200", NOM_DEFAULT_SALES="4000", NOM_RETAINED_EARNINGS="3200", NOM_MISPOSTINGS="9999",
        NOM_SUSPENSE="9998", PAYMENT_DUE_SALES=30, PAYMENT_DUE_PURCHASE=30,
        CLOSED_LEDGER_CHECK_DATE=dt.date.fromisoformat(settings["CLOSED_LEDGER_CHECK_DATE"]))
    with company.transaction():
        company.insert("COMPANY", settings)
        for row in data["currencies"]:
            company.insert("CURRENCY", row)
        for row in data["departments"]:
            company.insert("DEPARTMENT", row)
        for code, tax in taxes["defaults_uk"].items():
            index = int(code[1:])
            company.insert("TAX_CODE", {
                "TAX_CODE": code, "TAX_CODE_ID": index, "DESCRIPTION": tax["meaning"][:60], "TAX_RATE": tax["rate"],
                "VAT_INCLUDE": 0 if code == "T9" else 1, "EURO_SALES": int(code == "T4"),
                "EURO_PURCHASE": int(code in ("T7", "T8"))})
        names = {**nominal["control_and_common_codes"], **data["nominal"]}
        for code, title in sorted(names.items()):
            company.insert("NOMINAL_LEDGER", {"ACCOUNT_REF": code, "NAME": title})
        for row in data["banks"]:
            company.insert("BANK", {"CURRENCY": 1, **row})
        company.insert("CHART_LIST", {"CHART": 1, "NAME": "Default Layout of Accounts"})
        ranges = re.findall(r"([A-Za-z ]+?) (\d{4})-(\d{4})", nominal["default_ranges_by_category"])
        for number, (title, low, high) in enumerate(ranges, start=1):
            company.insert("CATEGORY", {"CHART": 1, "CATEGORY": number, "NAME": title.strip(), "LOW": low,
                                        "HIGH": high, "SORT_ORDER": number,
                                        "FLAG_ASSET_LIABILITY": int(low < "3000")})


def _record(ws: WorkSpace, name: str, values: dict[str, Any]) -> None:
    record = ws.CreateObject(name)
    record.AddNew()
    for field, value in values.items():
        record.Fields.Item(field).Value = value
    if not record.Update():
        raise RuntimeError(f"{name} {values.get('ACCOUNT_REF')}: {ws.LastError.ErrorDescription}")


class _Poster:
    """Posts through one SDO workspace; reads each posting back by its reference, as the connector must."""

    def __init__(self, ws: WorkSpace, company: Company) -> None:
        self.ws = ws
        self.company = company

    def post(self, code: str, account: str, date: dt.date, ref: str, details: str,
             splits: list[tuple[str, Decimal, Decimal, int, int]], bank: str = "") -> list[tuple[int, Decimal]]:
        """One ``TransactionPost``; ``[(split TRAN_NUMBER, gross)]``."""
        post = self.ws.CreateObject("TransactionPost")
        header = post.Header.Fields
        header.Item("TYPE").Value = TRANS_TYPE_NUMBERS[code]
        header.Item("ACCOUNT_REF").Value = account
        header.Item("DATE").Value = date
        header.Item("INV_REF").Value = ref
        header.Item("DETAILS").Value = details
        if bank:
            header.Item("BANK_CODE").Value = bank
        for nominal, net, tax, tax_code, dept in splits:
            item = post.Items.Add().Fields
            item.Item("NOMINAL_CODE").Value = nominal
            item.Item("NET_AMOUNT").Value = net
            item.Item("TAX_AMOUNT").Value = tax
            item.Item("TAX_CODE").Value = tax_code
            item.Item("DEPT_NUMBER").Value = dept
            item.Item("DETAILS").Value = details
        if not post.Update():
            raise RuntimeError(f"{code} {ref}: {self.ws.LastError.ErrorDescription}")
        header = self.company.rows("AUDIT_HEADER", "INV_REF = ? ORDER BY HEADER_NUMBER DESC LIMIT 1", (ref,))[0]
        return [(s["TRAN_NUMBER"], dec(s["GROSS_AMOUNT"])) for s in self.company.rows(
            "AUDIT_SPLIT", "HEADER_NUMBER = ? ORDER BY TRAN_NUMBER", (header["HEADER_NUMBER"],))]

    def settle(self, invoice: list[tuple[int, Decimal]], paying: int, amount: Decimal, date: dt.date) -> None:
        """Allocate ``amount`` of split ``paying`` over the invoice's splits in order (the SDO sample's way)."""
        post = self.ws.CreateObject("TransactionPost")
        left = amount
        for tran, gross in invoice:
            part = min(left, gross)
            if part <= 0:
                break
            if not post.AllocatePayment(tran, paying, part, date):
                raise RuntimeError(f"allocation {paying} → {tran}: {self.ws.LastError.ErrorDescription}")
            left -= part

    def journal(self, date: dt.date, ref: str, details: str, lines: list[tuple[str, Decimal, int]]) -> None:
        post = self.ws.CreateObject("JournalPost")
        post.Header.Fields.Item("DATE").Value = date
        post.Header.Fields.Item("INV_REF").Value = ref
        post.Header.Fields.Item("DETAILS").Value = details
        for nominal, amount, side in lines:
            item = post.Items.Add().Fields
            item.Item("NOMINAL_CODE").Value = nominal
            item.Item("NET_AMOUNT").Value = amount
            item.Item("TYPE").Value = side
            item.Item("TAX_CODE").Value = 9
        if not post.Update():
            raise RuntimeError(f"journal {ref}: {self.ws.LastError.ErrorDescription}")

    def document(self, account: str, date: dt.date, lines: list[tuple[str, str, Decimal, Decimal]]) -> None:
        post = self.ws.CreateObject("InvoicePost")
        post.Header.Fields.Item("ACCOUNT_REF").Value = account
        post.Header.Fields.Item("INVOICE_DATE").Value = date
        post.Header.Fields.Item("INVOICE_TYPE_CODE").Value = 1
        for description, nominal, net, tax in lines:
            item = post.Items.Add().Fields
            item.Item("DESCRIPTION").Value = description
            item.Item("NOMINAL_CODE").Value = nominal
            item.Item("NET_AMOUNT").Value = net
            item.Item("TAX_AMOUNT").Value = tax
            item.Item("TAX_CODE").Value = 1
            item.Item("SERVICE_FLAG").Value = 1
        if not post.Update():
            raise RuntimeError(f"invoice document: {self.ws.LastError.ErrorDescription}")


def _trade(poster: _Poster, data: dict[str, Any]) -> None:
    rng = random.Random(1001)
    customers = [c["ACCOUNT_REF"] for c in data["customers"]]
    suppliers = [s["ACCOUNT_REF"] for s in data["suppliers"]]

    def money(low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low * 100, high * 100)) / 100

    poster.post("BR", "1200", dt.date(YEAR, 1, 2), "CAPITAL", "Capital introduced",
                [("3000", CAPITAL, Decimal(0), 9, 0)])
    sales_number = purchase_number = 0
    open_sales: list[tuple[int, str, dt.date, list[tuple[int, Decimal]]]] = []
    open_purchases: list[tuple[int, str, dt.date, list[tuple[int, Decimal]]]] = []
    for month in range(1, 13):
        day = functools.partial(dt.date, YEAR, month)
        # receipts and payments for last month's invoices, split by split
        for number, account, _, splits in open_sales:
            gross = sum((g for _, g in splits), Decimal(0))
            if number % 5 == 0 and number not in GOLDEN:
                continue
            paid = gross if number % 5 != 1 or number in GOLDEN else (gross / 2).quantize(Decimal("0.01"))
            receipt = poster.post("SA", account, day(5), str(number), f"Receipt for invoice {number}",
                                  [("1200", paid, Decimal(0), 9, 0)], bank="1200")
            poster.settle(splits, receipt[0][0], paid, day(5))
        for number, account, _, splits in open_purchases:
            if number % 5 == 0:
                continue
            gross = sum((g for _, g in splits), Decimal(0))
            payment = poster.post("PA", account, day(8), f"PAY{number}", f"Payment of bill {number}",
                                  [("1200", gross, Decimal(0), 9, 0)], bank="1200")
            poster.settle(splits, payment[0][0], gross, day(8))
        open_sales, open_purchases = [], []
        for index in range(3):
            sales_number += 1
            if sales_number in GOLDEN:
                account, lines = GOLDEN[sales_number]
            else:
                account = customers[(sales_number + index) % len(customers)]
                lines = []
                for _ in range(rng.randint(1, 3)):
                    net = money(40, 2400)
                    zero = rng.random() < 0.15
                    lines.append((rng.choice(SALES_NOMINALS), net, Decimal(0) if zero else _vat(net, Decimal(20)),
                                  0 if zero else 1, rng.choice((0, 1, 2))))
            date = day(3 + index * 8)
            splits = poster.post("SI", account, date, str(sales_number), f"Invoice {sales_number}", lines)
            open_sales.append((sales_number, account, date, splits))
        for index, (supplier, nominal) in enumerate(((suppliers[0], "5000"), (suppliers[2], "7502"))):
            purchase_number += 1
            net = money(150, 1800) if nominal == "5000" else money(40, 120)
            date = day(6 + index * 9)
            splits = poster.post("PI", supplier, date, f"B{purchase_number:04d}", f"Bill {purchase_number}",
                                 [(nominal, net, _vat(net, Decimal(20)), 1, 0)])
            open_purchases.append((purchase_number, supplier, date, splits))
        poster.post("BP", "1200", day(1), "DD", "Rent", [("7100", Decimal("1250.00"), Decimal(0), 2, 0)])
        power = money(90, 260)
        poster.post("BP", "1200", day(20), "DD", "Electricity", [("7200", power, _vat(power, Decimal(5)), 5, 0)])
        poster.post("BR", "1200", day(28), "INT", "Bank interest", [("4900", money(1, 9), Decimal(0), 2, 0)])
        if month % 3 == 0:
            net = money(20, 90)
            poster.post("SC", customers[month % len(customers)], day(15), f"CN{month:02d}", "Credit: damaged goods",
                        [("4000", net, _vat(net, Decimal(20)), 1, 0)])
        if month % 4 == 0:
            net = money(15, 60)
            poster.post("PC", suppliers[0], day(16), f"SC{month:02d}", "Supplier credit: returns",
                        [("5000", net, _vat(net, Decimal(20)), 1, 0)])
        if month == 6:
            poster.journal(day(30), "TRANSFER", "Transfer to deposit account",
                           [("1200", Decimal("5000.00"), 1), ("1210", Decimal("5000.00"), 0)])
    poster.document(customers[1], dt.date(YEAR, 12, 30), [("Design consultation", "4001", Decimal("450.00"),
                                                           Decimal("90.00"))])
    poster.document(customers[3], dt.date(YEAR, 12, 31), [("Workshop hire", "4001", Decimal("120.00"),
                                                           Decimal("24.00")),
                                                          ("Spares", "4002", Decimal("35.50"), Decimal("7.10"))])


def build(data_path: Path | str, *, clock: Clock | None = None) -> None:
    """Create the demo company at ``data_path`` (a new, empty data folder).

    Raises:
        FileExistsError: a company already exists there.
    """
    path = Path(data_path)
    if (path / "sage50.db").exists():
        raise FileExistsError(f"a company already exists at {path}")
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    with Company(path, clock=clock, create=True) as company:
        _setup(company, data)
    control.initialise(path)
    ws = SDOEngine(clock=clock).Workspaces.Add("demo")
    ws.Connect(str(path), "MANAGER", control.password_of(path, "MANAGER") or "", "demo-build")
    try:
        for customer in data["customers"]:
            _record(ws, "SalesRecord", customer)
        for supplier in data["suppliers"]:
            _record(ws, "PurchaseRecord", supplier)
        with Company(path) as reader:
            _trade(_Poster(ws, reader), data)
    finally:
        ws.Disconnect()
