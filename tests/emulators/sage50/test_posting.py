"""Posting semantics of the fake SDO (sage50.md §9.3): audit rows, double entry, balances, allocations, documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from emulators.sage50.company import Company, dec
from emulators.sage50.errors import ComError, constants
from emulators.sage50.sageuser import SageUser
from emulators.sage50.sdo import SDOEngine, WorkSpace

from .conftest import Clock


def transaction(ws: WorkSpace, type_no: int, account: str, date: dt.date, ref: str,
                splits: list[tuple[str, str, str, int]], **header: Any) -> Any:
    post = ws.CreateObject("TransactionPost")
    fields = post.Header.Fields
    fields.Item("TYPE").Value = type_no
    fields.Item("ACCOUNT_REF").Value = account
    fields.Item("DATE").Value = date
    fields.Item("INV_REF").Value = ref
    fields.Item("DETAILS").Value = f"test {ref}"
    for name, value in header.items():
        fields.Item(name).Value = value
    for nominal, net, tax, tax_code in splits:
        item = post.Items.Add()
        item.Fields.Item("NOMINAL_CODE").Value = nominal
        item.Fields.Item("NET_AMOUNT").Value = Decimal(net)
        item.Fields.Item("TAX_AMOUNT").Value = Decimal(tax)
        item.Fields.Item("TAX_CODE").Value = tax_code
    return post


def posted(company: Company, ref: str) -> tuple[dict[str, Any], list[int]]:
    """The latest header with ``INV_REF`` ``ref`` and its split TRAN_NUMBERs: how the connector reads a write back."""
    found = company.rows("AUDIT_HEADER", "INV_REF = ? ORDER BY HEADER_NUMBER DESC", (ref,))
    assert found, f"no posting with reference {ref}"
    splits = company.rows("AUDIT_SPLIT", "HEADER_NUMBER = ? ORDER BY TRAN_NUMBER", (found[0]["HEADER_NUMBER"],))
    return found[0], [s["TRAN_NUMBER"] for s in splits]


def balance(company: Company, table: str, ref: str, column: str = "BALANCE") -> Decimal:
    row = company.row(table, ACCOUNT_REF=ref)
    assert row is not None
    return dec(row[column])


def test_sales_invoice_writes_header_splits_and_balanced_journal(ws: WorkSpace, company: Company) -> None:
    before = {code: balance(company, "NOMINAL_LEDGER", code) for code in ("1100", "4000", "4001", "2200")}
    customer = balance(company, "SALES_LEDGER", "DEN001")
    month = balance(company, "NOMINAL_LEDGER", "4000", "CREDIT_MTH3")
    post = transaction(ws, 1, "DEN001", dt.date(2025, 3, 14), "T-100",
                       [("4000", "100.00", "20.00", 1), ("4001", "50.00", "10.00", 1)])
    assert post.Update() is True
    assert ws.LastError.Code == constants.sdoNone
    header, trans = posted(company, "T-100")
    header_number = header["HEADER_NUMBER"]
    assert (header["TYPE"], header["TRAN_NUMBER"], header["ITEM_COUNT"]) == ("SI", header_number, 2)
    assert (header["NET_AMOUNT"], header["TAX_AMOUNT"], header["GROSS_AMOUNT"]) == ("150.00", "30.00", "180.00")
    assert (header["OUTSTANDING"], header["PAID_FLAG"], header["DATE"]) == ("180.00", "N", "2025-03-14")
    assert header["DUE_DATE"] == "2025-04-13"  # the account's 30 payment days
    assert trans[1] == trans[0] + 1
    splits = company.rows("AUDIT_SPLIT", "HEADER_NUMBER = ? ORDER BY TRAN_NUMBER", (header_number,))
    assert [(s["TRAN_NUMBER"], s["TAX_CODE"], s["GROSS_AMOUNT"], s["OUTSTANDING"]) for s in splits] == [
        (trans[0], "T1", "120.00", "120.00"), (trans[1], "T1", "60.00", "60.00")]
    journal = company.rows("AUDIT_JOURNAL", "HEADER_NUMBER = ?", (header_number,))
    assert sum(dec(j["AMOUNT"]) for j in journal) == 0
    first = {j["NOMINAL_CODE"]: dec(j["AMOUNT"]) for j in journal if j["TRAN_NUMBER"] == trans[0]}
    assert first == {"1100": Decimal("120.00"), "4000": Decimal("-100.00"), "2200": Decimal("-20.00")}
    assert balance(company, "NOMINAL_LEDGER", "1100") - before["1100"] == Decimal("180.00")
    assert balance(company, "NOMINAL_LEDGER", "4000") - before["4000"] == Decimal("-100.00")
    assert balance(company, "NOMINAL_LEDGER", "2200") - before["2200"] == Decimal("-30.00")
    assert balance(company, "NOMINAL_LEDGER", "4000", "CREDIT_MTH3") - month == Decimal("100.00")
    assert balance(company, "SALES_LEDGER", "DEN001") - customer == Decimal("180.00")


def test_purchase_invoice_and_bank_payment_entries(ws: WorkSpace, company: Company) -> None:
    post = transaction(ws, 6, "FEL001", dt.date(2025, 5, 2), "B-1", [("5000", "200.00", "40.00", 1)])
    assert post.Update()
    header_number = posted(company, "B-1")[0]["HEADER_NUMBER"]
    journal = {j["NOMINAL_CODE"]: dec(j["AMOUNT"])
               for j in company.rows("AUDIT_JOURNAL", "HEADER_NUMBER = ?", (header_number,))}
    assert journal == {"5000": Decimal("200.00"), "2201": Decimal("40.00"), "2100": Decimal("-240.00")}
    supplier_before = balance(company, "PURCHASE_LEDGER", "FEL001")
    bank_before = balance(company, "NOMINAL_LEDGER", "1200")
    bp = transaction(ws, 11, "1200", dt.date(2025, 5, 3), "DD-T", [("7502", "10.00", "2.00", 1)])
    assert bp.Update()
    header, _ = posted(company, "DD-T")
    assert (header["TYPE"], header["BANK_AMOUNT"], header["PAID_FLAG"]) == ("BP", "-12.00", "Y")
    assert balance(company, "NOMINAL_LEDGER", "1200") - bank_before == Decimal("-12.00")
    assert balance(company, "PURCHASE_LEDGER", "FEL001") == supplier_before  # a bank payment is not a supplier's


def test_header_data_exposes_first_and_last_split(ws: WorkSpace, company: Company) -> None:
    post = transaction(ws, 1, "GRA001", dt.date(2025, 6, 1), "FS",
                       [("4000", "1.00", "0.20", 1), ("4001", "2.00", "0.40", 1), ("4002", "3.00", "0", 0)])
    assert post.Update()
    headers = ws.CreateObject("HeaderData")
    header, trans = posted(company, "FS")
    assert headers.Read(header["HEADER_NUMBER"])
    assert headers.Fields.Item("FIRST_SPLIT").Value == trans[0]
    assert headers.Fields.Item("LAST_SPLIT").Value == trans[2]
    assert headers.Fields.Item("GROSS_AMOUNT").Value == Decimal("6.60")


def test_allocation_per_split_writes_usage_and_settles(ws: WorkSpace, company: Company) -> None:
    invoice = transaction(ws, 1, "GRA001", dt.date(2025, 7, 1), "A-1",
                          [("4000", "100.00", "20.00", 1), ("4001", "50.00", "10.00", 1)])
    assert invoice.Update()
    receipt = transaction(ws, 4, "GRA001", dt.date(2025, 7, 9), "A-1-REC", [("1200", "150.00", "0", 9)])
    assert receipt.Update()
    customer = balance(company, "SALES_LEDGER", "GRA001")
    invoice_header, inv_trans = posted(company, "A-1")
    paying = posted(company, "A-1-REC")[1][0]
    allocator = ws.CreateObject("TransactionPost")
    assert allocator.AllocatePayment(inv_trans[0], paying, Decimal("120.00"), dt.date(2025, 7, 9))
    assert allocator.AllocatePayment(inv_trans[1], paying, Decimal("30.00"), dt.date(2025, 7, 9))
    usage = company.rows("AUDIT_USAGE", "SPLIT_CROSSREF = ? ORDER BY USAGE_NUMBER", (paying,))
    assert [(u["TYPE"], u["SPLIT_NUMBER"], u["AMOUNT"]) for u in usage] == [
        ("SA", inv_trans[0], "120.00"), ("SA", inv_trans[1], "30.00")]
    first = company.row("AUDIT_SPLIT", TRAN_NUMBER=inv_trans[0])
    second = company.row("AUDIT_SPLIT", TRAN_NUMBER=inv_trans[1])
    assert first is not None and (first["OUTSTANDING"], first["PAID_FLAG"]) == ("0.00", "Y")
    assert second is not None and (second["OUTSTANDING"], second["PAID_FLAG"]) == ("30.00", "N")
    header = company.row("AUDIT_HEADER", HEADER_NUMBER=invoice_header["HEADER_NUMBER"])
    assert header is not None and (header["OUTSTANDING"], header["AMOUNT_PAID"]) == ("30.00", "150.00")
    assert first["RECORD_MODIFY_DATE"] == "2030-01-05 09:00:00"  # settling is a change the connector must see
    receipt_split = company.row("AUDIT_SPLIT", TRAN_NUMBER=paying)
    assert receipt_split is not None and (receipt_split["OUTSTANDING"], receipt_split["PAID_FLAG"]) == ("0.00", "Y")
    assert balance(company, "SALES_LEDGER", "GRA001") == customer  # allocating moves no balance


def test_allocation_above_outstanding_or_across_accounts_is_refused(ws: WorkSpace, company: Company) -> None:
    invoice = transaction(ws, 1, "GRA001", dt.date(2025, 7, 1), "A-2", [("4000", "10.00", "2.00", 1)])
    other = transaction(ws, 4, "DEN001", dt.date(2025, 7, 2), "A-2-OTHER", [("1200", "50.00", "0", 9)])
    receipt = transaction(ws, 4, "GRA001", dt.date(2025, 7, 2), "A-2-REC", [("1200", "50.00", "0", 9)])
    assert invoice.Update() and other.Update() and receipt.Update()
    inv = posted(company, "A-2")[1][0]
    allocator = ws.CreateObject("TransactionPost")
    usages = len(company.rows("AUDIT_USAGE"))
    assert allocator.AllocatePayment(inv, posted(company, "A-2-REC")[1][0],
                                     Decimal("12.01"), dt.date(2025, 7, 2)) is False
    assert ws.LastError.Code == constants.sdoInvalidAllocation
    assert allocator.AllocatePayment(inv, posted(company, "A-2-OTHER")[1][0],
                                     Decimal("1.00"), dt.date(2025, 7, 2)) is False
    assert ws.LastError.Code == constants.sdoInvalidAllocation
    assert allocator.AllocatePayment(999999, inv, Decimal("1.00"), dt.date(2025, 7, 2)) is False
    assert ws.LastError.Code == constants.sdoInvalidTransactionNumber
    assert len(company.rows("AUDIT_USAGE")) == usages
    split = company.row("AUDIT_SPLIT", TRAN_NUMBER=inv)
    assert split is not None and split["OUTSTANDING"] == "12.00"


@pytest.mark.parametrize(("account", "nominal", "tax_code", "code"), [
    ("NOBODY", "4000", 1, "sdoInvalidKey"),
    ("", "4000", 1, "sdoEmptyAccountReference"),
    ("DEN001", "4999", 1, "sdoInvalidNominalCode"),
    ("DEN001", "1100", 1, "sdoNominalAccountIsControl"),
    ("DEN001", "4000", 42, "sdoInvalidValue"),
])
def test_refusals_leave_last_error_and_write_nothing(ws: WorkSpace, company: Company, account: str, nominal: str,
                                                     tax_code: int, code: str) -> None:
    headers = len(company.rows("AUDIT_HEADER"))
    post = transaction(ws, 1, account, dt.date(2025, 3, 1), "BAD", [(nominal, "10.00", "2.00", tax_code)])
    assert post.Update() is False
    assert ws.LastError.Code == getattr(constants, code)
    assert ws.LastError.ErrorDescription
    assert len(company.rows("AUDIT_HEADER")) == headers


def test_lock_date_rule_refuses_earlier_postings(ws: WorkSpace, company: Company) -> None:
    post = transaction(ws, 1, "DEN001", dt.date(2024, 12, 31), "OLD", [("4000", "10.00", "2.00", 1)])
    assert post.Update() is False
    assert ws.LastError.Code == constants.sdoClosedLedgerDateControlError
    assert company.company()["CLOSED_LEDGER_CHECK_DATE"] == "2025-01-01"


def test_com_type_rules(ws: WorkSpace) -> None:
    post = ws.CreateObject("TransactionPost")
    with pytest.raises(ComError) as raised:
        post.Header.Fields.Item("TYPE").Value = "SI"  # SDO's TYPE is the numeric TransType
    assert raised.value.excepinfo[5] == constants.sdoInvalidType
    item = post.Items.Add()
    with pytest.raises(ComError):
        item.Fields.Item("TAX_CODE").Value = "T1"  # the integer index, not the ODBC code
    with pytest.raises(ComError) as unknown:
        post.Header.Fields.Item("NO_SUCH_FIELD")
    assert unknown.value.excepinfo[2] == "Field NO_SUCH_FIELD does not exist"
    with pytest.raises(ComError):
        ws.CreateObject("BankPost")  # not in the v32 typelib (sage50.md §4)


def test_not_connected() -> None:
    ws = SDOEngine().Workspaces.Add("x")
    with pytest.raises(ComError) as raised:
        ws.CreateObject("TransactionPost")
    assert raised.value.code == constants.sdoNotConnected


def test_journal_post_must_balance(ws: WorkSpace, company: Company) -> None:
    post = ws.CreateObject("JournalPost")
    post.Header.Fields.Item("DATE").Value = dt.date(2025, 8, 1)
    post.Header.Fields.Item("INV_REF").Value = "J1"
    for nominal, amount, side in (("1200", "40.00", 1), ("1210", "30.00", 0)):
        item = post.Items.Add()
        item.Fields.Item("NOMINAL_CODE").Value = nominal
        item.Fields.Item("NET_AMOUNT").Value = amount
        item.Fields.Item("TYPE").Value = side
    assert post.Update() is False
    post.Items.Item(2).Fields.Item("NET_AMOUNT").Value = "40.00"
    assert post.Update() is True
    rows = company.rows("AUDIT_HEADER", "INV_REF = 'J1' ORDER BY HEADER_NUMBER")
    assert [(r["TYPE"], r["NET_AMOUNT"]) for r in rows] == [("JC", "40.00"), ("JD", "40.00")]


def test_invoice_post_creates_an_unposted_document(ws: WorkSpace, company: Company) -> None:
    balance_before = balance(company, "SALES_LEDGER", "BRI001")
    headers = len(company.rows("AUDIT_HEADER"))
    post = ws.CreateObject("InvoicePost")
    post.Header.Fields.Item("ACCOUNT_REF").Value = "BRI001"
    post.Header.Fields.Item("INVOICE_DATE").Value = dt.date(2025, 9, 1)
    post.Header.Fields.Item("CUST_ORDER_NUMBER").Value = "XERO-REF-1"
    item = post.Items.Add()
    item.Fields.Item("DESCRIPTION").Value = "Consulting"
    item.Fields.Item("NOMINAL_CODE").Value = "4001"
    item.Fields.Item("NET_AMOUNT").Value = "80.00"
    item.Fields.Item("TAX_AMOUNT").Value = "16.00"
    item.Fields.Item("TAX_CODE").Value = 1
    assert post.Update()
    number = post.Header.Fields.Item("INVOICE_NUMBER").Value
    assert number == post.GetNextNumber() - 1 and number > 0
    document = company.row("INVOICE", INVOICE_NUMBER=number)
    assert document is not None
    assert (document["POSTED"], document["POSTED_CODE"], document["INVOICE_GROSS"]) == ("", 0, "96.00")
    assert document["NAME"] == "Brigsteer Garden Centre" and document["CUST_ORDER_NUMBER"] == "XERO-REF-1"
    items = company.rows("INVOICE_ITEM", "INVOICE_NUMBER = ?", (number,))
    assert [(i["ITEM_NUMBER"], i["TAX_CODE"], i["TAX_CODE_ID"], i["NET_AMOUNT"]) for i in items] == [
        (1, "T1", 1, "80.00")]
    assert balance(company, "SALES_LEDGER", "BRI001") == balance_before
    assert len(company.rows("AUDIT_HEADER")) == headers


def test_sales_record_create_find_edit_and_rules(ws: WorkSpace, company: Company, clock: Clock) -> None:
    record = ws.CreateObject("SalesRecord")
    record.AddNew()
    record.Fields.Item("ACCOUNT_REF").Value = "new001"
    record.Fields.Item("NAME").Value = "New Customer Ltd"
    with pytest.raises(ComError):
        record.Fields.Item("BALANCE").Value = 10  # computed by Sage
    assert record.Update()
    created = company.row("SALES_LEDGER", ACCOUNT_REF="NEW001")  # Sage keeps references upper case
    assert created is not None and created["NAME"] == "New Customer Ltd"
    assert created["RECORD_CREATE_DATE"] == "2030-01-05 09:00:00"

    clock.advance(90)
    finder = ws.CreateObject("SalesRecord")
    finder.Fields.Item("ACCOUNT_REF").Value = "NEW001"
    assert finder.Find(False)
    assert finder.Edit()
    finder.Fields.Item("NAME").Value = "Renamed Ltd"
    assert finder.Update()
    edited = company.row("SALES_LEDGER", ACCOUNT_REF="NEW001")
    assert edited is not None and edited["NAME"] == "Renamed Ltd"
    assert edited["RECORD_MODIFY_DATE"] == "2030-01-05 09:01:30"
    assert edited["RECORD_CREATE_DATE"] == "2030-01-05 09:00:00"

    for ref, code in (("NEW001", "sdoAccountRefAlreadyExists"), ("HAS SPACE", "sdoEmptyKey"),
                      ("AB CD", "sdoAccountRefContainsSpaces"), ("AB*1", "sdoAccountRefContainsInvalidCharacters"),
                      ("", "sdoEmptyKey")):
        duplicate = ws.CreateObject("SalesRecord")
        duplicate.AddNew()
        duplicate.Fields.Item("ACCOUNT_REF").Value = ref
        assert duplicate.Update() is False, ref
        assert ws.LastError.Code == getattr(constants, code), ref


def test_remove_records_deletion_unless_the_account_has_transactions(ws: WorkSpace, company: Company) -> None:
    busy = ws.CreateObject("SalesRecord")
    assert busy.Read("ABS001")
    assert busy.Remove() is False
    assert ws.LastError.Code == constants.sdoDeleteFailedHasTrans
    record = ws.CreateObject("PurchaseRecord")
    record.AddNew()
    record.Fields.Item("ACCOUNT_REF").Value = "GONE01"
    assert record.Update()
    assert record.Remove()
    assert company.row("PURCHASE_LEDGER", ACCOUNT_REF="GONE01") is None
    deleted = company.rows("DELETED_RECORDS")
    assert [(d["TABLE_ID"], d["FOREIGN_REF"], d["FOREIGN_REF_TYPE"]) for d in deleted] == [(82, "GONE01", 0)]


def test_records_iterate_in_key_order(ws: WorkSpace) -> None:
    nominal = ws.CreateObject("NominalRecord")
    codes = []
    nominal.MoveFirst()
    while not nominal.IsEOF():
        codes.append(nominal.Fields.Item("ACCOUNT_REF").Value)
        nominal.MoveNext()
    assert codes == sorted(codes) and "1100" in codes and len(codes) == nominal.Count
    with pytest.raises(ComError):
        nominal.Fields.Item("NAME").Value = "read-only record"


def test_an_account_on_hold_takes_no_invoice_but_pays(ws: WorkSpace, data_path: Path) -> None:
    SageUser(data_path).edit("SALES_LEDGER", "DEN001", ACCOUNT_ON_HOLD=1)
    post = transaction(ws, 1, "DEN001", dt.date(2025, 3, 1), "HOLD", [("4000", "10.00", "2.00", 1)])
    assert post.Update() is False
    assert ws.LastError.Code == constants.sdoSalPurAccountIsOnHold
    receipt = transaction(ws, 4, "DEN001", dt.date(2025, 3, 1), "HOLD-REC", [("1200", "10.00", "0", 9)])
    assert receipt.Update() is True


def test_postings_after_the_financial_year_go_to_the_future_columns(ws: WorkSpace, company: Company) -> None:
    before = company.row("NOMINAL_LEDGER", ACCOUNT_REF="4000")
    customer = company.row("SALES_LEDGER", ACCOUNT_REF="GRA001")
    post = transaction(ws, 1, "GRA001", dt.date(2026, 2, 1), "NEXT-YEAR", [("4000", "10.00", "2.00", 1)])
    assert post.Update()
    after = company.row("NOMINAL_LEDGER", ACCOUNT_REF="4000")
    assert dec(after["CREDIT_FUTURE"]) - dec(before["CREDIT_FUTURE"]) == Decimal("10.00")
    assert dec(after["BALANCE_FUTURE"]) - dec(before["BALANCE_FUTURE"]) == Decimal("-10.00")
    assert [after[f"CREDIT_MTH{m}"] for m in range(1, 13)] == [before[f"CREDIT_MTH{m}"] for m in range(1, 13)]
    moved = company.row("SALES_LEDGER", ACCOUNT_REF="GRA001")
    assert dec(moved["INVOICE_CF"]) - dec(customer["INVOICE_CF"]) == Decimal("12.00")
    assert moved["TURNOVER_YTD"] == customer["TURNOVER_YTD"]  # not this year's turnover


def test_amount_fields_take_decimal_text_and_refuse_non_numbers(ws: WorkSpace) -> None:
    post = ws.CreateObject("TransactionPost")
    item = post.Items.Add()
    item.Fields.Item("NET_AMOUNT").Value = "0.10"
    assert item.Fields.Item("NET_AMOUNT").Value == Decimal("0.10")
    item.Fields.Item("NET_AMOUNT").Value = 0.1  # a COM double: read through its shortest repr, not its binary value
    assert item.Fields.Item("NET_AMOUNT").Value == Decimal("0.1")
    for bad in ("NaN", "12,50", "abc"):
        with pytest.raises(ComError):
            item.Fields.Item("NET_AMOUNT").Value = bad
