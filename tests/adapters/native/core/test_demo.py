"""The demo company: deterministic, big enough to page and report, and Xero's UK defaults."""

from __future__ import annotations

import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

from adapters.native import codes
from adapters.native.demo import company as demo
from adapters.native.ids import stable_id
from gateway.xero.models import dump

from .conftest import SEED_TIME, TENANT, call, start_adapter


async def _snapshot(data_dir: Path) -> dict[str, object]:
    adapter = await start_adapter(data_dir, lambda: SEED_TIME)
    created = adapter.demo_created
    try:
        invoices = (await call(adapter, "getInvoices", page=1, page_size=1000)).items
        contacts = (await call(adapter, "getContacts", include_archived=True)).items
        payments = (await call(adapter, "getPayments")).items
        accounts = (await call(adapter, "getAccounts")).items
    finally:
        await adapter.shutdown()
    return {"created": created, "invoices": dump(invoices), "contacts": dump(contacts),
            "payments": dump(payments), "accounts": dump(accounts)}


async def test_two_fresh_starts_seed_the_same_books(tmp_path: Path) -> None:
    first = await _snapshot(tmp_path / "a")
    second = await _snapshot(tmp_path / "b")
    assert first["created"] is True and second["created"] is True
    for key in ("invoices", "contacts", "payments", "accounts"):
        assert first[key] == second[key], key
    # Ids are uuid5 of fixed names, not random.
    assert TENANT == stable_id("tenant", "demo-company-uk")
    ids = {inv["InvoiceID"] for inv in first["invoices"]}  # type: ignore[union-attr]
    assert len(ids) == len(first["invoices"])  # type: ignore[arg-type]


async def test_second_start_does_not_seed_again(seeded_dir: Path, tmp_path: Path) -> None:
    shutil.copy(seeded_dir / "ledger.db", tmp_path / "ledger.db")
    adapter = await start_adapter(tmp_path, lambda: SEED_TIME)
    try:
        assert adapter.demo_created is False
        assert [t.tenant_id for t in await adapter.list_tenants()] == [TENANT]
    finally:
        await adapter.shutdown()


async def test_demo_volume_and_shape(adapter) -> None:
    invoices = (await call(adapter, "getInvoices")).items
    contacts = (await call(adapter, "getContacts", include_archived=True)).items
    assert len(contacts) >= 20
    assert len(invoices) > 100
    assert {c.ContactStatus for c in contacts} == {"ACTIVE", "ARCHIVED"}
    by_type_status = Counter((i.Type, i.Status) for i in invoices)
    for key in [("ACCREC", "PAID"), ("ACCREC", "AUTHORISED"), ("ACCPAY", "PAID"), ("ACCPAY", "AUTHORISED"),
                ("ACCREC", "DRAFT"), ("ACCREC", "VOIDED"), ("ACCREC", "DELETED")]:
        assert by_type_status[key] > 0, key
    # 12 months ending in the seed month.
    months = {(i.Date.year, i.Date.month) for i in invoices}
    assert len(months) == 12
    assert max(months) == (SEED_TIME.year, SEED_TIME.month)
    assert max(i.Date for i in invoices) <= SEED_TIME.date()
    today = SEED_TIME.date()
    part_paid = [i for i in invoices if i.Status == "AUTHORISED" and 0 < i.AmountPaid < i.Total]
    overdue = [i for i in invoices if i.Status == "AUTHORISED" and i.DueDate < today]
    assert part_paid and overdue
    assert all(i.UpdatedDateUTC <= SEED_TIME for i in invoices)


async def test_paid_invoices_are_consistent(adapter) -> None:
    invoices = (await call(adapter, "getInvoices")).items
    for inv in invoices:
        paid = sum((p.Amount for p in inv.Payments or []), Decimal(0))
        assert inv.AmountPaid == paid, inv.InvoiceNumber
        if inv.Status == "PAID":
            assert inv.AmountDue == 0 and inv.FullyPaidOnDate is not None
        if inv.Status in ("AUTHORISED", "DRAFT", "SUBMITTED"):
            assert inv.AmountDue == inv.Total - inv.AmountPaid
        assert inv.Total == inv.SubTotal + inv.TotalTax


async def test_organisation_is_demo_company_uk(adapter) -> None:
    (org,) = (await call(adapter, "getOrganisations")).items
    assert org.OrganisationID == TENANT
    assert org.Name == "Demo Company (UK)"
    assert (org.BaseCurrency, org.CountryCode, org.Version, org.OrganisationType) == ("GBP", "GB", "UK", "COMPANY")
    assert (org.FinancialYearEndDay, org.FinancialYearEndMonth, org.SalesTaxBasis) == (31, 12, "ACCRUALS")
    assert org.IsDemoCompany is True


async def test_uk_chart_and_tax_rates(adapter) -> None:
    accounts = {a.Code: a for a in (await call(adapter, "getAccounts")).items}
    assert accounts["090"].Type == "BANK" and accounts["090"].Class == "ASSET"
    assert (accounts["200"].Name, accounts["200"].Type, accounts["200"].TaxType) == ("Sales", "REVENUE", "OUTPUT2")
    assert accounts["610"].SystemAccount == "DEBTORS"
    assert accounts["800"].SystemAccount == "CREDITORS"
    assert (accounts["820"].Name, accounts["820"].SystemAccount) == ("VAT", "GST")
    assert accounts["960"].SystemAccount == "RETAINEDEARNINGS"
    assert accounts["429"].Name == "General Expenses"
    rates = {r.TaxType: r for r in (await call(adapter, "getTaxRates")).items}
    assert rates["OUTPUT2"].EffectiveRate == Decimal("20") and rates["OUTPUT2"].Name == "20% (VAT on Income)"
    assert rates["INPUT2"].CanApplyToRevenue is False and rates["INPUT2"].CanApplyToExpenses is True
    assert rates["RROUTPUT"].EffectiveRate == Decimal("5")
    assert {"ZERORATEDOUTPUT", "ZERORATEDINPUT", "EXEMPTOUTPUT", "EXEMPTINPUT", "NONE", "ECZROUTPUT",
            "ECZRINPUT"} <= set(rates)
    (gbp,) = (await call(adapter, "getCurrencies")).items
    assert gbp.Code == "GBP"


def test_code_tables_use_only_spec_enums(xero_spec) -> None:
    schemas = xero_spec.spec["components"]["schemas"]
    account_types = set(schemas["AccountType"]["enum"])
    tax_types = set(schemas["TaxType"]["enum"])
    system_accounts = set(schemas["Account"]["properties"]["SystemAccount"]["enum"])
    classes = set(schemas["Account"]["properties"]["Class"]["enum"])
    report_types = set(schemas["TaxRate"]["properties"]["ReportTaxType"]["enum"])
    currencies = set(schemas["CurrencyCode"]["enum"])
    assert set(codes.class_by_type()) == account_types
    assert set(codes.class_by_type().values()) <= classes
    for acc in codes.uk_chart():
        assert acc.type in account_types, acc
        assert acc.tax_type in tax_types, acc
        assert acc.system_account in system_accounts, acc
    for rate in codes.uk_tax_rates():
        assert rate.tax_type in tax_types, rate
        assert rate.report_tax_type in report_types, rate
    assert set(codes.currency_names()) <= currencies


def test_demo_ids_are_fixed_names() -> None:
    assert demo.DEMO_TENANT_ID == stable_id("tenant", "demo-company-uk")
    assert demo.DEMO_USER_ID == stable_id("user", "demo")
