"""The partner-API source adapter (``adapters/partner``) against a gateway instance's partner API over real HTTP:
the package's stack plays the remote ledger, the adapter reaches it with the partner token a consent gave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import pytest_asyncio

from adapters.base import AdapterServices, Tenant, UpstreamCredentials, UpstreamToken, upstream_tenant_id
from adapters.native.demo.company import DEMO_TENANT_ID
from adapters.partner.adapter import PartnerLedgerAdapter
from gateway import appkeys
from gateway.xero.errors import OperationNotSupported, ValidationException
from gateway.xero.parameters import Parameters
from gateway.xero.request import RequestContext, XeroRequest

from .conftest import xero_headers

pytestmark = pytest.mark.asyncio(loop_scope="package")

CODE = "1010"
EXPIRY = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class ConsentedTokens:
    """The credentials of one consented tenant (what ``gateway.upstream.tokens.UpstreamTokens`` hands out)."""

    def __init__(self, api_base: str, token: str) -> None:
        self.creds = UpstreamCredentials(code=CODE, tenant_id=upstream_tenant_id(CODE, DEMO_TENANT_ID),
                                         tenant_key=DEMO_TENANT_ID, access_token=token, token_type="Bearer",
                                         api_base=api_base, expires_at=EXPIRY, authorization_id="auth-1")

    async def credentials(self, code: str, tenant_id: str) -> UpstreamCredentials:
        return self.creds

    async def refresh(self, code: str, tenant_id: str, *, failed_token: str) -> UpstreamCredentials:
        return self.creds

    async def tenants(self, code: str) -> list[Tenant]:
        return []


@pytest_asyncio.fixture(loop_scope="package")
async def adapter(stack, partner):
    tokens = ConsentedTokens(str(stack.gateway.make_url("/ledger/api/v1")), partner.access_token)
    made = PartnerLedgerAdapter(code=CODE, settings=stack.gateway.app[appkeys.SETTINGS],
                                services=AdapterServices(db=stack.gateway.app[appkeys.DB], credentials=tokens))
    await made.startup()
    try:
        yield made
    finally:
        await made.shutdown()


def _ctx() -> RequestContext:
    return RequestContext(source_code=CODE, tenant_id=upstream_tenant_id(CODE, DEMO_TENANT_ID), client_id="app",
                          app_name="App", user_id=None, scopes=frozenset())


async def test_consent_maps_each_company_to_a_tenant(adapter, stack, partner):
    token = UpstreamToken(access_token=partner.access_token, token_type="Bearer",
                          api_base=str(stack.gateway.make_url("/ledger/api/v1")), scope="companies:read",
                          expires_at=EXPIRY)
    [tenant] = await adapter.tenants_for_authorization(token, {})
    assert tenant.tenant_key == DEMO_TENANT_ID and tenant.name == "Demo Company (UK)"
    assert tenant.tenant_id == upstream_tenant_id(CODE, DEMO_TENANT_ID)


async def test_xero_reads_come_from_the_remote_ledger(adapter):
    [org] = (await adapter.get_organisations(_ctx(), XeroRequest("getOrganisations"))).items
    assert org.Name == "Demo Company (UK)" and org.BaseCurrency == "GBP"
    accounts = (await adapter.get_accounts(_ctx(), XeroRequest("getAccounts"))).items
    sales = next(a for a in accounts if a.Code == "200")
    assert sales.Type == "REVENUE" and sales.Class == "REVENUE"
    journals = (await adapter.get_journals(_ctx(), XeroRequest("getJournals"))).items
    assert 0 < len(journals) <= 100 and journals[0].JournalNumber == 1
    assert all(sum(line.NetAmount for line in j.JournalLines) == 0 for j in journals)


async def test_a_xero_spend_and_manual_journal_post_on_the_remote_ledger(adapter, api):
    accounts = {a.Code: a for a in (await adapter.get_accounts(_ctx(), XeroRequest("getAccounts"))).items}
    spend = {"Type": "SPEND", "Contact": {"Name": "Courier Ltd"}, "Date": "2026-11-20", "Reference": "ADP-1",
             "BankAccount": {"AccountID": accounts["090"].AccountID}, "LineAmountTypes": "NoTax",
             "LineItems": [{"Description": "Courier", "Quantity": 1, "UnitAmount": 15.5,
                            "AccountID": accounts["429"].AccountID}]}
    req = XeroRequest("createBankTransactions", method="PUT", elements=[spend], idempotency_key="adp-key")
    [made] = (await adapter.create_bank_transactions(_ctx(), req)).items
    assert made.Type == "SPEND" and made.Total == Decimal("15.50") and made.Reference == "ADP-1"
    [again] = (await adapter.create_bank_transactions(_ctx(), req)).items  # same key: the remote replays
    assert again.BankTransactionID == made.BankTransactionID
    remote = (await api.get(f"/companies/{DEMO_TENANT_ID}/bank-transactions?limit=500")).body["data"]
    assert [t["id"] for t in remote if t["reference"] == "ADP-1"] == [made.BankTransactionID]
    journal = {"Narration": "Reclass", "Date": "2026-11-21", "Status": "POSTED", "JournalLines": [
        {"AccountID": accounts["429"].AccountID, "LineAmount": 10}, {"AccountID": accounts["400"].AccountID,
                                                                     "LineAmount": -10}]}
    [mj] = (await adapter.create_manual_journals(_ctx(), XeroRequest("createManualJournals", method="PUT",
                                                                     elements=[journal]))).items
    entries = (await api.get(f"/companies/{DEMO_TENANT_ID}/journal-entries?limit=500")).body["data"]
    assert [e["sourceType"] for e in entries if e["sourceId"] == mj.ManualJournalID] == ["journal_entry"]


async def test_a_xero_payment_pays_a_bill_on_the_remote_ledger(adapter, stack):
    headers = xero_headers(stack)
    resp = await stack.gateway.put("/1000/api.xro/2.0/Invoices", headers=headers, json={"Invoices": [{
        "Type": "ACCPAY", "Contact": {"Name": "Remote Supplier"}, "Date": "2026-10-02", "DueDate": "2026-10-30",
        "Status": "AUTHORISED", "LineAmountTypes": "NoTax",
        "LineItems": [{"Description": "Parts", "Quantity": 1, "UnitAmount": 42.0, "AccountCode": "429"}]}]})
    bill_id = (await resp.json())["Invoices"][0]["InvoiceID"]
    accounts = {a.Code: a for a in (await adapter.get_accounts(_ctx(), XeroRequest("getAccounts"))).items}
    [payment] = (await adapter.create_payment(_ctx(), XeroRequest("createPayment", method="PUT", elements=[{
        "Invoice": {"InvoiceID": bill_id}, "Account": {"AccountID": accounts["090"].AccountID}, "Amount": 42,
        "Date": "2026-10-20"}]))).items
    assert payment.Amount == Decimal("42.00") and payment.PaymentType == "ACCPAYPAYMENT"
    paid = await stack.gateway.get(f"/1000/api.xro/2.0/Invoices/{bill_id}", headers=headers)
    assert (await paid.json())["Invoices"][0]["Status"] == "PAID"


async def test_xero_reports_sum_the_remote_ledger(adapter, api):
    period = {"fromDate": "2026-01-01", "toDate": "2026-12-31"}
    req = XeroRequest("getReportProfitAndLoss", params=period, parameters=Parameters(period))
    [pnl] = (await adapter.get_report_profit_and_loss(_ctx(), req)).items
    net = next(r for s in pnl.Rows for r in (s.Rows or []) if r.Cells and r.Cells[0].Value == "Net Profit")
    remote = (await api.get(f"/companies/{DEMO_TENANT_ID}/reports/profit-and-loss?fromDate=2026-01-01"
                            "&toDate=2026-12-31")).body
    assert Decimal(net.Cells[1].Value) * 100 == remote["netIncomeCents"]
    [trial] = (await adapter.get_report_trial_balance(_ctx(), XeroRequest("getReportTrialBalance"))).items
    total = next(r for s in trial.Rows for r in (s.Rows or []) if r.RowType == "SummaryRow" and
                 r.Cells[0].Value == "Total")
    assert total.Cells[1].Value == total.Cells[2].Value and total.Cells[3].Value == total.Cells[4].Value
    [sheet] = (await adapter.get_report_balance_sheet(_ctx(), XeroRequest("getReportBalanceSheet"))).items
    assert sheet.ReportTitles[0] == "Balance Sheet" and sheet.ReportTitles[1] == "Demo Company (UK)"


async def test_what_the_partner_api_cannot_express_is_refused(adapter):
    draft = {"Narration": "Draft", "Date": "2026-11-21", "Status": "DRAFT", "JournalLines": []}
    with pytest.raises(ValidationException):
        await adapter.create_manual_journals(_ctx(), XeroRequest("createManualJournals", elements=[draft]))
    with pytest.raises(ValidationException):
        await adapter.create_bank_transactions(_ctx(), XeroRequest("createBankTransactions", elements=[
            {"Type": "SPEND-OVERPAYMENT", "LineItems": []}]))
    assert adapter.operation("getInvoices") is None and adapter.operation("getContacts") is None
    assert OperationNotSupported  # the front end answers 501 for operations the adapter lacks
