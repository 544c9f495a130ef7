"""The demo company reconciles: double entry, control accounts against ledgers, open items, golden rows."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from emulators.sage50.company import Company, dec


def _sum(rows: list[dict], column: str) -> Decimal:
    return sum((dec(r[column]) for r in rows), Decimal(0))


def test_journal_and_trial_balance_sum_to_zero(company: Company) -> None:
    assert _sum(company.rows("AUDIT_JOURNAL"), "AMOUNT") == 0
    assert _sum(company.rows("NOMINAL_LEDGER"), "BALANCE") == 0
    for header in company.rows("AUDIT_HEADER"):
        lines = company.rows("AUDIT_JOURNAL", "HEADER_NUMBER = ?", (header["HEADER_NUMBER"],))
        if header["TYPE"] not in ("JD", "JC"):  # a journal balances across its headers, not within one
            assert _sum(lines, "AMOUNT") == 0, header["HEADER_NUMBER"]


def test_every_nominal_balance_is_its_journal_and_its_months(company: Company) -> None:
    by_code: dict[str, Decimal] = defaultdict(Decimal)
    for line in company.rows("AUDIT_JOURNAL"):
        by_code[line["NOMINAL_CODE"]] += dec(line["AMOUNT"])
    for nominal in company.rows("NOMINAL_LEDGER"):
        code = nominal["ACCOUNT_REF"]
        assert dec(nominal["BALANCE"]) == by_code[code], code
        months = sum((dec(nominal[f"BALANCE_MTH{m}"]) for m in range(1, 13)), Decimal(0))
        assert dec(nominal["BALANCE_BF"]) + months + dec(nominal["BALANCE_FUTURE"]) == dec(nominal["BALANCE"])
        debits = sum((dec(nominal[f"DEBIT_MTH{m}"]) for m in range(1, 13)), Decimal(0))
        credits = sum((dec(nominal[f"CREDIT_MTH{m}"]) for m in range(1, 13)), Decimal(0))
        assert debits - credits == months, code


def test_control_accounts_equal_the_ledgers(company: Company) -> None:
    debtors = dec(company.row("NOMINAL_LEDGER", ACCOUNT_REF="1100")["BALANCE"])
    creditors = dec(company.row("NOMINAL_LEDGER", ACCOUNT_REF="2100")["BALANCE"])
    assert debtors == _sum(company.rows("SALES_LEDGER"), "BALANCE") > 0
    assert creditors == -_sum(company.rows("PURCHASE_LEDGER"), "BALANCE") < 0


def test_customer_balances_are_their_open_items(company: Company) -> None:
    for customer in company.rows("SALES_LEDGER"):
        splits = company.rows("AUDIT_SPLIT", "ACCOUNT_REF = ?", (customer["ACCOUNT_REF"],))
        owed = sum((dec(s["OUTSTANDING"]) * (1 if s["TYPE"] in ("SI", "SP") else -1) for s in splits), Decimal(0))
        assert owed == dec(customer["BALANCE"]), customer["ACCOUNT_REF"]


def test_bank_balance_and_twelve_months_of_each_kind(company: Company) -> None:
    bank = company.row("BANK", ACCOUNT_REF="1200")
    assert dec(bank["FOREIGN_BALANCE"]) == dec(company.row("NOMINAL_LEDGER", ACCOUNT_REF="1200")["BALANCE"])
    months = defaultdict(set)
    for header in company.rows("AUDIT_HEADER"):
        months[header["TYPE"]].add(header["DATE"][:7])
    for kind in ("SI", "PI", "BP", "BR"):
        assert len(months[kind]) == 12, kind
    for kind in ("SA", "PA"):
        assert len(months[kind]) == 11, kind  # from February, paying the previous month
    assert {"SC", "PC", "JD", "JC"} <= set(months)
    assert len(company.rows("AUDIT_USAGE")) > 40
    partly = company.rows("AUDIT_HEADER", "TYPE = 'SI' AND OUTSTANDING NOT IN ('0', '0.00') AND AMOUNT_PAID != '0'")
    assert partly, "some invoices are part paid"
    documents = company.rows("INVOICE")
    assert len(documents) == 2 and all(d["POSTED"] == "" for d in documents)


def test_golden_rows(company: Company) -> None:
    abs_invoice = company.rows("AUDIT_SPLIT", "TYPE = 'SI' AND ACCOUNT_REF = 'ABS001' AND INV_REF = '2'")
    assert [(s["NET_AMOUNT"], s["TAX_AMOUNT"], s["TAX_CODE"], s["NOMINAL_CODE"], s["DEPT_NUMBER"])
            for s in abs_invoice] == [("12.56", "2.43", "T1", "4000", 1)]
    dankular = company.rows("AUDIT_SPLIT", "TYPE = 'SI' AND INV_REF = '1'")
    assert [(s["NET_AMOUNT"], s["TAX_AMOUNT"], s["TAX_CODE"], s["NOMINAL_CODE"]) for s in dankular] == [
        ("100.00", "20.00", "T1", "4000")]
    inv24 = company.rows("AUDIT_SPLIT", "TYPE = 'SI' AND INV_REF = '24'")
    assert [(s["NET_AMOUNT"], s["TAX_AMOUNT"], s["OUTSTANDING"], s["PAID_FLAG"]) for s in inv24] == [
        ("170.21", "29.79", "0.00", "Y")]
    usage = company.rows("AUDIT_USAGE", "SPLIT_NUMBER = ?", (inv24[0]["TRAN_NUMBER"],))
    assert [(u["TYPE"], u["AMOUNT"]) for u in usage] == [("SA", "200.00")]
    receipt = company.row("AUDIT_SPLIT", TRAN_NUMBER=usage[0]["SPLIT_CROSSREF"])
    assert (receipt["TYPE"], receipt["GROSS_AMOUNT"], receipt["ACCOUNT_REF"]) == ("SA", "200.00", "CRO001")


def test_reference_data_from_the_uk_defaults(company: Company) -> None:
    taxes = {t["TAX_CODE"]: (t["TAX_CODE_ID"], dec(t["TAX_RATE"])) for t in company.rows("TAX_CODE")}
    assert taxes["T1"] == (1, Decimal(20)) and taxes["T5"] == (5, Decimal(5)) and taxes["T9"] == (9, Decimal(0))
    settings = company.company()
    assert (settings["NOM_DEBTORS"], settings["NOM_CREDITORS"], settings["NOM_TAX_SALES"],
            settings["NOM_TAX_PURCHASE"]) == ("1100", "2100", "2200", "2201")
    assert (settings["FINANCIAL_YEAR"], settings["CLOSED_LEDGER_DATE_ENABLED"]) == (2025, 1)
    assert company.row("NOMINAL_LEDGER", ACCOUNT_REF="9999")["NAME"] == "Mispostings Account"


def test_deterministic(demo_master: Path, tmp_path: Path) -> None:
    from emulators.sage50 import demo

    demo.build(tmp_path / "again")
    query = 'SELECT "TRAN_NUMBER", "TYPE", "ACCOUNT_REF", "NOMINAL_CODE", "DATE", "NET_AMOUNT", "TAX_AMOUNT", ' \
            '"OUTSTANDING" FROM "AUDIT_SPLIT" ORDER BY 1'
    first = sqlite3.connect(demo_master / "sage50.db").execute(query).fetchall()
    second = sqlite3.connect(tmp_path / "again" / "sage50.db").execute(query).fetchall()
    assert first == second and len(first) > 150
