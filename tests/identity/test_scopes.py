"""The scope table (mappings/scopes.toml) and the guard's scope rule, as units."""

from __future__ import annotations

import pytest

from gateway.identity.scopes import scope_table

TX = ["accounting.transactions", "accounting.transactions.read"]
TX_WRITE = ["accounting.transactions"]
SETTINGS = ["accounting.settings", "accounting.settings.read"]
REPORTS = ["accounting.reports.read"]


@pytest.fixture(scope="module")
def table():
    return scope_table()


def test_known_scopes(table):
    known = set(table.known)
    assert {"openid", "profile", "email", "offline_access"} <= known
    assert {"accounting.transactions", "accounting.reports.tenninetynine.read", "paymentservices"} <= known
    assert {"accounting.invoices", "accounting.invoices.read", "accounting.reports.taxreports.read"} <= known
    assert "openid" not in table.api_scopes
    assert table.unknown(["openid", "bogus", "accounting.invoices"]) == ["bogus"]


def test_every_broad_scope_of_the_spec_is_known(table):
    import mappings

    spec_scopes = {s for op in mappings.load("xero_operations")["operation"] for s in op["scopes"]}
    assert spec_scopes <= set(table.broad)


@pytest.mark.parametrize(("held", "required", "path", "allowed"), [
    ({"accounting.transactions"}, TX, "/Invoices", True),
    ({"accounting.transactions.read"}, TX, "/Invoices", True),
    ({"accounting.transactions.read"}, TX_WRITE, "/Invoices", False),
    ({"accounting.transactions"}, ["accounting.transactions.read"], "/Invoices", True),  # rw satisfies .read
    ({"accounting.contacts"}, TX, "/Invoices", False),
    ({"accounting.invoices"}, TX_WRITE, "/Invoices/{InvoiceID}", True),
    ({"accounting.invoices"}, TX, "/CreditNotes", True),
    ({"accounting.invoices"}, TX, "/RepeatingInvoices/{RepeatingInvoiceID}/History", True),
    ({"accounting.invoices"}, TX_WRITE, "/Payments", False),
    ({"accounting.invoices"}, ["accounting.attachments"], "/Invoices/{InvoiceID}/Attachments", False),
    ({"accounting.invoices"}, SETTINGS, "/Items", True),
    ({"accounting.invoices"}, ["accounting.settings"], "/Items/{ItemID}", True),
    ({"accounting.invoices"}, SETTINGS, "/Accounts", False),
    ({"accounting.invoices.read"}, ["accounting.settings"], "/Items", False),
    ({"accounting.invoices.read"}, TX, "/invoices", True),  # case-insensitive paths
    ({"accounting.invoices.read"}, TX, "/InvoiceReminders/Settings", False),  # segment match, not prefix
    ({"accounting.payments"}, TX_WRITE, "/BatchPayments", True),
    ({"accounting.payments.read"}, TX, "/Prepayments/{PrepaymentID}", True),
    ({"accounting.banktransactions.read"}, TX, "/BankTransfers", True),
    ({"accounting.manualjournals"}, TX_WRITE, "/ManualJournals", True),
    ({"accounting.classicexpenses"}, TX, "/Receipts", True),
    ({"accounting.classicexpenses"}, TX, "/Invoices", False),
    ({"accounting.reports.balancesheet.read"}, REPORTS, "/Reports/BalanceSheet", True),
    ({"accounting.reports.balancesheet.read"}, REPORTS, "/Reports/TrialBalance", False),
    ({"accounting.reports.aged.read"}, REPORTS, "/Reports/AgedPayablesByContact", True),
    ({"accounting.reports.taxreports.read"}, REPORTS, "/Reports/{ReportID}", True),
    ({"accounting.reports.taxreports.read"}, REPORTS, "/Reports", True),
    ({"accounting.reports.read"}, REPORTS, "/Reports/ProfitAndLoss", True),
    ({"openid", "offline_access"}, TX, "/Invoices", False),
    (set(), [], "/Anything", True),
])
def test_allows(table, held, required, path, allowed):
    assert table.allows(held, required, path) is allowed
