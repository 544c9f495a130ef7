"""Source 1010 end to end (issue 16, "Done when"): a second gateway reaches this package's native ledger through its
Partner Bookkeeping API, consented through ``gateway.upstream`` (:mod:`tests.support.partner`). A Xero
``ManualJournal`` written through ``/1010`` is a journal entry at the remote and reads back as the same ManualJournal;
a purchase, a transfer and a bill payment posted at the remote through the partner API are a SPEND, a BankTransfer and
a Payment in ``/1010``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
import pytest_asyncio
from joserfc.jwk import RSAKey
from sqlalchemy import select

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.upstream.models import UpstreamAuthorization
from tests.support import partner
from tests.xero_spec import load_xero_spec

from .test_shared_books import _pnl_row, _xero

pytestmark = pytest.mark.asyncio(loop_scope="package")

C = f"/companies/{DEMO_TENANT_ID}"
#: What the partner app asks for at the gateway.
SCOPE = "openid offline_access accounting.transactions accounting.settings accounting.reports.read"


@pytest_asyncio.fixture(scope="module", loop_scope="package")
async def source(stack, tmp_path_factory) -> AsyncIterator[partner.PartnerStack]:
    pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
    started = await partner.start(data_dir=tmp_path_factory.mktemp("source-1010"), pem=pem, remote=stack,
                                  scope=SCOPE,
                                  xero_spec=load_xero_spec())
    try:
        yield started
    finally:
        await partner.stop(started)


async def _general_expenses(source: partner.PartnerStack) -> Decimal:
    """October 2026's General Expenses (429) in ``/1010``'s ProfitAndLoss."""
    report = await source.api("GET", "/Reports/ProfitAndLoss", params={"fromDate": "2026-10-01",
                                                                       "toDate": "2026-10-31"})
    assert report.status == 200, report.body
    return _pnl_row(report.body, "General Expenses")


async def test_xero_manual_journal_and_partner_purchase_cross_over(source, api):
    assert [t["tenantId"] for t in source.tenants] == [partner.TENANT_ID]
    expenses_before = await _general_expenses(source)
    # Xero → remote: a ManualJournal through /1010, by account codes, is a partner journal entry.
    made = await source.api("PUT", "/ManualJournals", body={"ManualJournals": [{
        "Narration": "Accrual through source 1010", "Date": "2026-10-20", "Status": "POSTED", "JournalLines": [
            {"LineAmount": "42.10", "AccountCode": "429", "Description": "Accrued cleaning"},
            {"LineAmount": "-42.10", "AccountCode": "850", "Description": "Accrued cleaning"}]}]})
    assert made.status == 200, made.body
    [journal] = made.body["ManualJournals"]
    entries = (await api.get(f"{C}/journal-entries?limit=500")).body["data"]
    entry = next(e for e in entries if e["sourceId"] == journal["ManualJournalID"])
    assert entry["sourceType"] == "journal_entry" and entry["date"] == "2026-10-20"
    assert sorted(line["amountCents"] for line in entry["lines"]) == [-4210, 4210]
    # Remote → Xero: a purchase posted through the partner API is a SPEND in /1010's BankTransactions.
    accounts = (await api.get(f"{C}/accounts?limit=500")).body["data"]
    bank = (await api.get(f"{C}/bank-accounts")).body["data"][0]
    expense = next(a for a in accounts if a["code"] == "429")
    receipt = (await api.post(f"{C}/purchases", {
        "bankAccountId": bank["id"], "date": "2026-10-21", "contactName": "Gutter Care Ltd", "reference": "GC-1021",
        "lines": [{"accountId": expense["id"], "amountCents": 6789, "description": "Gutters"}]},
        key="source-1010-purchase")).body
    [tx_id] = receipt["bankTransactionIds"]
    listed = await source.api("GET", "/BankTransactions", params={"where": 'Reference=="GC-1021"'})
    assert listed.status == 200, listed.body
    [tx] = listed.body["BankTransactions"]
    assert tx["BankTransactionID"] == tx_id and tx["Type"] == "SPEND" and tx["Status"] == "AUTHORISED"
    assert Decimal(str(tx["Total"])) == Decimal("67.89") and tx["BankAccount"]["AccountID"] == bank["id"]
    assert [line["AccountID"] for line in tx["LineItems"]] == [expense["id"]]
    # Both postings are in /1010's ProfitAndLoss, read from the remote's trial balances.
    assert await _general_expenses(source) - expenses_before == Decimal("42.10") + Decimal("67.89")


async def test_a_manual_journal_written_through_1010_reads_back_equal(source):
    made = await source.api("PUT", "/ManualJournals", body={"ManualJournals": [{
        "Narration": "Prepaid rent release", "Date": "2026-10-22", "Status": "POSTED", "LineAmountTypes": "NoTax",
        "JournalLines": [{"LineAmount": "300.00", "AccountCode": "469", "Description": "Rent"},
                         {"LineAmount": "-300.00", "AccountCode": "620", "Description": "Rent"}]}]})
    assert made.status == 200, made.body
    [written] = made.body["ManualJournals"]
    read = await source.api("GET", f"/ManualJournals/{written['ManualJournalID']}")
    assert read.status == 200, read.body
    [back] = read.body["ManualJournals"]
    for field in ("ManualJournalID", "Narration", "Date", "Status", "LineAmountTypes"):
        assert back[field] == written[field], field
    assert [(Decimal(str(line["LineAmount"])), line["AccountID"], line["Description"])
            for line in back["JournalLines"]] == [(Decimal(str(line["LineAmount"])), line["AccountID"],
                                                   line["Description"]) for line in written["JournalLines"]]
    listed = await source.api("GET", "/ManualJournals", params={"where": 'Narration=="Prepaid rent release"'})
    assert [j["ManualJournalID"] for j in listed.body["ManualJournals"]] == [written["ManualJournalID"]]
    missing = await source.api("GET", "/ManualJournals/00000000-0000-0000-0000-0000000000c1", validate=False)
    assert missing.status == 404


async def test_a_remote_transfer_and_bill_payment_read_as_xero_documents(source, stack, api):
    banks = (await api.get(f"{C}/bank-accounts")).body["data"]
    transfer = (await api.post(f"{C}/transfers", {
        "fromBankAccountId": banks[0]["id"], "toBankAccountId": banks[1]["id"], "amountCents": 12345,
        "date": "2026-10-23", "reference": "TR-1023"}, key="source-1010-transfer")).body
    out_id, in_id = transfer["bankTransactionIds"]
    listed = await source.api("GET", "/BankTransfers")
    assert listed.status == 200, listed.body
    [xfer] = [t for t in listed.body["BankTransfers"] if t["FromBankTransactionID"] == out_id]
    assert xfer["ToBankTransactionID"] == in_id and Decimal(str(xfer["Amount"])) == Decimal("123.45")
    assert (xfer["FromBankAccount"]["AccountID"], xfer["ToBankAccount"]["AccountID"]) == (banks[0]["id"],
                                                                                         banks[1]["id"])
    assert xfer["Reference"] == "TR-1023"
    one = await source.api("GET", f"/BankTransfers/{xfer['BankTransferID']}")
    assert one.status == 200 and one.body["BankTransfers"][0]["FromBankTransactionID"] == out_id

    bill = await _xero(stack, "PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCPAY", "Contact": {"Name": "Window Cleaners Ltd"}, "Date": "2026-10-02", "DueDate": "2026-10-30",
        "Status": "AUTHORISED", "LineAmountTypes": "NoTax", "InvoiceNumber": "WC-1002",
        "LineItems": [{"Description": "Windows", "Quantity": 1, "UnitAmount": 55.5, "AccountCode": "429"}]}]})
    paid = (await api.post(f"{C}/bill-payments", {
        "billId": bill["Invoices"][0]["InvoiceID"], "bankAccountId": banks[0]["id"], "amountCents": 5550,
        "date": "2026-10-24", "reference": "WC-PAY"}, key="source-1010-bill-payment")).body
    entries = (await api.get(f"{C}/journal-entries?limit=500")).body["data"]
    payment_id = next(e["sourceId"] for e in entries if e["id"] == paid["journalEntryId"])
    read = await source.api("GET", f"/Payments/{payment_id}")
    assert read.status == 200, read.body
    [payment] = read.body["Payments"]
    assert payment["PaymentType"] == "ACCPAYPAYMENT" and payment["Status"] == "AUTHORISED"
    assert Decimal(str(payment["Amount"])) == Decimal("55.50") and payment["Account"]["AccountID"] == banks[0]["id"]
    assert payment["Reference"] == "WC-PAY" and payment["Invoice"]["InvoiceID"] == bill["Invoices"][0]["InvoiceID"]
    listed = await source.api("GET", "/Payments", params={"where": 'Reference=="WC-PAY"'})
    assert [p["PaymentID"] for p in listed.body["Payments"]] == [payment_id]


async def test_an_expiring_remote_token_is_refreshed_at_the_remote(source):
    tokens = source.gateway.app[appkeys.SOURCES].upstream
    before = await tokens.credentials(partner.CODE, partner.TENANT_ID)
    tokens.clock = lambda: time.time() + 3600  # the remote's access tokens live 3600 s
    try:
        org = await source.api("GET", "/Organisation")
        assert org.status == 200, org.body
        after = await tokens.credentials(partner.CODE, partner.TENANT_ID)
    finally:
        tokens.clock = time.time
    # A new access token from the remote's token endpoint (client_secret_basic, refresh_token grant), and it works.
    assert after.access_token != before.access_token
    assert org.body["Organisations"][0]["Name"] == "Demo Company (UK)"


async def test_a_reused_refresh_token_needs_reauthorization(source):
    """The remote rotates refresh tokens: after a refresh, the previous one is refused (``invalid_grant``) and the
    tenant answers 401 until the user connects again (gateway/upstream/tokens.py). Last in the module: it leaves
    the authorization gone."""
    tokens = source.gateway.app[appkeys.SOURCES].upstream
    async with source.gateway.app[IDENTITY].db.session() as s:
        stale = tokens.box.decrypt((await s.scalars(select(UpstreamAuthorization))).one().refresh_token_sealed)
    try:
        tokens.clock = lambda: time.time() + 2 * 3600
        assert (await source.api("GET", "/Organisation")).status == 200  # refreshed: ``stale`` is now spent
        async with source.gateway.app[IDENTITY].db.session() as s, s.begin():  # a lost rotation: the old one back
            (await s.scalars(select(UpstreamAuthorization))).one().refresh_token_sealed = tokens.box.encrypt(stale)
        tokens.clock = lambda: time.time() + 3 * 3600
        answer = await source.api("GET", "/Organisation", validate=False)
    finally:
        tokens.clock = time.time
    assert answer.status == 401 and answer.body["Detail"].startswith("AuthenticationUnsuccessful"), answer.body
