"""A full bookkeeping cycle through /1000 with the official SDKs, ending in reports that reconcile.

xero-python (JSON) and pyxero (XML writes) each run: contacts, an item, an invoice and a bill with tracking, a
credit note allocated to the invoice, payments, a bank transaction, a manual journal, then P&L, balance sheet and
trial balance. Every Accounting response xero-python receives is validated against Xero's spec
(``sdk_responses``).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from xero_python.accounting import (
    Account,
    AccountingApi,
    Allocation,
    Allocations,
    BankTransaction,
    BankTransactions,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    Item,
    Items,
    LineAmountTypes,
    LineItem,
    LineItemTracking,
    ManualJournal,
    ManualJournalLine,
    ManualJournals,
    Payment,
    Purchase,
)
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi

pytestmark = pytest.mark.slow

SCOPES = ("accounting.transactions accounting.contacts accounting.settings accounting.reports.read "
          "accounting.journals.read")


def ev(value):
    return getattr(value, "value", value)


def money(text: str | None) -> Decimal:
    return Decimal(text.replace(",", "")) if text not in (None, "") else Decimal("0")


def flat_rows(rows) -> list[tuple[str, list[str]]]:
    """(row type, cell values) of every row of a report, sections flattened. Works on SDK objects and dicts."""
    out: list[tuple[str, list[str]]] = []
    for row in rows or []:
        get = (lambda o, k: o.get(k)) if isinstance(row, dict) else (lambda o, k: getattr(o, _snake(k), None))
        kind = ev(get(row, "RowType"))
        cells = [get(c, "Value") if isinstance(c, dict) else c.value for c in (get(row, "Cells") or [])]
        if kind != "Section":
            out.append((kind, cells))
        out.extend(flat_rows(get(row, "Rows")))
    return out


def _snake(name: str) -> str:
    return {"RowType": "row_type", "Cells": "cells", "Rows": "rows"}[name]


def value_of(rows, label: str, column: int = 1) -> Decimal:
    for _, cells in flat_rows(rows):
        if cells and cells[0] == label:
            return money(cells[column])
    raise AssertionError(f"no row {label!r} in {[c[0] for _, c in flat_rows(rows) if c]}")


def assert_reconciled(pnl_rows, bs_rows, tb_rows) -> None:
    total_assets = value_of(bs_rows, "Total Assets")
    total_liabilities = value_of(bs_rows, "Total Liabilities")
    net_assets = value_of(bs_rows, "Net Assets")
    total_equity = value_of(bs_rows, "Total Equity")
    assert total_assets - total_liabilities == net_assets == total_equity
    assert value_of(pnl_rows, "Net Profit") == value_of(bs_rows, "Current Year Earnings")
    total = next(cells for kind, cells in flat_rows(tb_rows) if kind == "SummaryRow" and cells[0] == "Total")
    assert money(total[1]) == money(total[2]) and money(total[3]) == money(total[4])


@pytest.fixture(scope="module")
def cycle_app(gateway):
    return gateway.cli_json("apps", "create", "--name", "E2E Bookkeeping", "--custom-connection", "--code", "1000",
                            "--tenant", gateway.tenant_id, "--scopes", SCOPES)


def fy_start(today: date) -> date:
    return date(today.year, 1, 1)  # the demo company's financial year ends on 31 December


def month_end(today: date) -> date:
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def test_xero_python_bookkeeping_cycle(gateway, cycle_app, monkeypatch, sdk_responses):
    gw = gateway.gw("1000")
    monkeypatch.setattr(TokenApi, "client_credentials_token_url", gw + "/connect/token")
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=cycle_app["client_id"],
                                             client_secret=cycle_app["client_secret"])
    store: dict = {}
    api_client = ApiClient(configuration, pool_threads=1, oauth2_token_getter=lambda: store.get("token"),
                           oauth2_token_saver=lambda t: store.update(token=t))
    api_client.get_client_credentials_token()
    api = AccountingApi(api_client, base_url=gw + "/api.xro/2.0")
    tenant = gateway.tenant_id
    today = date.today()
    tag = secrets.token_hex(3).upper()

    category = next(c for c in api.get_tracking_categories(tenant).tracking_categories if c.options)
    tracking = [LineItemTracking(name=category.name, option=category.options[0].name)]

    customer, supplier = api.create_contacts(tenant, Contacts(contacts=[
        Contact(name=f"Cycle Customer {tag}"), Contact(name=f"Cycle Supplier {tag}")])).contacts

    item = api.create_items(tenant, Items(items=[Item(
        code=f"CYC-{tag}", name=f"Cycle service {tag}",
        sales_details=Purchase(unit_price=Decimal("250.00"), account_code="200", tax_type="OUTPUT2"),
        purchase_details=Purchase(unit_price=Decimal("100.00"), account_code="310", tax_type="INPUT2"))])).items[0]
    assert item.code == f"CYC-{tag}"

    invoice = api.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=today, due_date=today + timedelta(14),
        status="AUTHORISED", line_amount_types=LineAmountTypes.EXCLUSIVE,
        line_items=[LineItem(item_code=item.code, quantity=Decimal("2"), tracking=tracking)])])).invoices[0]
    assert invoice.total == Decimal("600.00")  # 2 × 250.00 from the item, + 20% VAT
    assert invoice.line_items[0].tracking[0].option == category.options[0].name

    bill = api.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCPAY", contact=Contact(contact_id=supplier.contact_id), date=today, due_date=today + timedelta(30),
        status="AUTHORISED", invoice_number=f"SUP-{tag}", line_amount_types=LineAmountTypes.EXCLUSIVE,
        line_items=[LineItem(description="Subcontract", quantity=Decimal("1"), unit_amount=Decimal("150.00"),
                             account_code="310", tax_type="INPUT2", tracking=tracking)])])).invoices[0]
    assert bill.total == Decimal("180.00")

    credit = api.create_credit_notes(tenant, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=customer.contact_id), date=today, status="AUTHORISED",
        line_amount_types=LineAmountTypes.EXCLUSIVE,
        line_items=[LineItem(description="Goodwill", quantity=Decimal("1"), unit_amount=Decimal("50.00"),
                             account_code="200", tax_type="OUTPUT2")])])).credit_notes[0]
    assert credit.total == Decimal("60.00")
    api.create_credit_note_allocation(tenant, credit.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=invoice.invoice_id), amount=Decimal("60.00"), date=today)]))
    after_credit = api.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert after_credit.amount_credited == Decimal("60.00") and after_credit.amount_due == Decimal("540.00")
    assert ev(api.get_credit_note(tenant, credit.credit_note_id).credit_notes[0].status) == "PAID"

    api.create_payment(tenant, Payment(invoice=Invoice(invoice_id=invoice.invoice_id), account=Account(code="090"),
                                       date=today, amount=Decimal("540.00")))
    assert ev(api.get_invoice(tenant, invoice.invoice_id).invoices[0].status) == "PAID"
    api.create_payment(tenant, Payment(invoice=Invoice(invoice_id=bill.invoice_id), account=Account(code="090"),
                                       date=today, amount=Decimal("180.00")))

    spend = api.create_bank_transactions(tenant, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(contact_id=supplier.contact_id), bank_account=Account(code="090"), date=today,
        line_amount_types=LineAmountTypes.INCLUSIVE,
        line_items=[LineItem(description="Couriers", quantity=Decimal("1"), unit_amount=Decimal("36.00"),
                             account_code="429", tax_type="INPUT2")])])).bank_transactions[0]
    assert spend.total == Decimal("36.00") and spend.total_tax == Decimal("6.00")

    accrual = next(a for a in api.get_accounts(tenant, where='Type=="CURRLIAB"').accounts
                   if not ev(a.system_account))
    journal = api.create_manual_journals(tenant, ManualJournals(manual_journals=[ManualJournal(
        narration=f"Cycle accrual {tag}", date=today, status="POSTED", line_amount_types=LineAmountTypes.NOTAX,
        journal_lines=[ManualJournalLine(line_amount=Decimal("75.00"), account_code="429", description="Accrued"),
                       ManualJournalLine(line_amount=Decimal("-75.00"), account_code=accrual.code)])])
                                       ).manual_journals[0]
    assert ev(journal.status) == "POSTED"

    period_end = month_end(today)
    pnl = api.get_report_profit_and_loss(tenant, from_date=fy_start(today), to_date=period_end).reports[0]
    bs = api.get_report_balance_sheet(tenant, date=period_end).reports[0]
    tb = api.get_report_trial_balance(tenant, date=period_end).reports[0]
    assert_reconciled(pnl.rows, bs.rows, tb.rows)


def test_pyxero_bookkeeping_cycle_with_xml_bodies(gateway, cycle_app, monkeypatch):
    import xero.auth
    from xero import Xero

    gw = gateway.gw("1000")
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain-http gateway on loopback
    token = requests.post(gw + "/connect/token", auth=(cycle_app["client_id"], cycle_app["client_secret"]),
                          data={"grant_type": "client_credentials"}, timeout=30).json()
    creds = xero.auth.OAuth2Credentials(cycle_app["client_id"], cycle_app["client_secret"], token=token,
                                        scope=token["scope"].split())
    creds.base_url = gw
    creds.set_default_tenant()
    assert creds.tenant_id == gateway.tenant_id
    client = Xero(creds)
    today = date.today()
    tag = secrets.token_hex(3).upper()

    (customer,) = client.contacts.put({"Name": f"Pyxero Customer {tag}", "EmailAddress": f"{tag}@example.com"})
    (invoice,) = client.invoices.put({
        "Type": "ACCREC", "Contact": {"ContactID": customer["ContactID"]}, "Date": today,
        "DueDate": today + timedelta(days=10), "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Workshop", "Quantity": "3", "UnitAmount": "40.00", "AccountCode": "200",
                       "TaxType": "OUTPUT2"}]})
    assert Decimal(str(invoice["Total"])) == Decimal("144.00")

    (credit,) = client.creditnotes.put({
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": customer["ContactID"]}, "Date": today,
        "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Discount", "Quantity": "1", "UnitAmount": "20.00", "AccountCode": "200",
                       "TaxType": "OUTPUT2"}]})
    client.creditnotes.put_allocation(credit["CreditNoteID"], {
        "Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": "24.00", "Date": today})
    client.payments.put({"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "090"},
                         "Date": today, "Amount": "120.00"})
    (paid,) = client.invoices.get(invoice["InvoiceID"])
    assert paid["Status"] == "PAID"

    client.banktransactions.put({
        "Type": "RECEIVE", "Contact": {"ContactID": customer["ContactID"]}, "BankAccount": {"Code": "090"},
        "Date": today, "LineAmountTypes": "NoTax",
        "LineItems": [{"Description": "Bank interest", "Quantity": "1", "UnitAmount": "3.21", "AccountCode": "270"}]})
    client.manualjournals.put({
        "Narration": f"Pyxero journal {tag}", "Date": today, "Status": "POSTED", "LineAmountTypes": "NoTax",
        "JournalLines": [{"LineAmount": "12.50", "AccountCode": "429"},
                         {"LineAmount": "-12.50", "AccountCode": "805"}]})
    found = client.contacts.filter(Name=f"Pyxero Customer {tag}")
    assert [c["ContactID"] for c in found] == [customer["ContactID"]]

    period_end = month_end(today)
    (pnl,) = client.reports.get("ProfitAndLoss", params={"fromDate": fy_start(today).isoformat(),
                                                         "toDate": period_end.isoformat()})
    (bs,) = client.reports.get("BalanceSheet", params={"date": period_end.isoformat()})
    (tb,) = client.reports.get("TrialBalance", params={"date": period_end.isoformat()})
    assert_reconciled(pnl["Rows"], bs["Rows"], tb["Rows"])


