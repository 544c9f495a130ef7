"""The official xero-python SDK → a real ``xero-gateway serve`` process at ``/1004`` → the QBO emulator process
(``python -m emulators.qbo``), both on free 127.0.0.1 ports, administered with the real CLI.

The partner app connects through the full OAuth dance (partner → gateway authorize → emulator authorize → gateway
callback → gateway code → token), then reads and writes every resource family through the SDK; an upstream token
expires mid-session, the upstream throttles, and a page of 100 invoices is counted at the emulator. Every Accounting
API response the SDK receives is validated against Xero's spec.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import urllib3
from xero_python.accounting import (
    Account,
    AccountingApi,
    AccountType,
    BankTransaction,
    BankTransactions,
    BankTransfer,
    BankTransfers,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    Item,
    Items,
    LineItem,
    ManualJournal,
    ManualJournalLine,
    ManualJournals,
    Payment,
)
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.exceptions import AccountingBadRequestException, RateLimitException
from xero_python.identity import IdentityApi

from tests.support.qbo import CLIENT_ID, CLIENT_SECRET, pkce_pair

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT = 90.0
REDIRECT_URI = "http://127.0.0.1:9/xero/callback"
SCOPES = ("openid profile email offline_access accounting.transactions accounting.contacts accounting.settings "
          "accounting.reports.read")
TODAY = date.today()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ev(value):
    return getattr(value, "value", value)


class Servers:
    """The emulator and gateway processes and the CLI around them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.data_dir = tmp / "gateway"
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        self.logs.append(log)
        process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                                   stderr=log.open("w"), text=True)
        self.processes.append(process)
        return process

    def cli(self, *args: str) -> dict | list:
        done = subprocess.run([sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir),
                               "--config", str(self.tmp / "gateway.toml")],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def start(self) -> None:
        (self.tmp / "emulator.toml").write_text(
            f'requests_per_minute = 100000\nbatch_requests_per_minute = 10000\n'
            f'[[clients]]\nclient_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n')
        # An empty company: what the SDK reads back is what it wrote (the recorded samples are read in-process by
        # test_stack_reads.py; the emulator's computed reports cannot digest one of them, Invoice 1483 without
        # TxnDate).
        emulator = self.spawn("emulator", ["-m", "emulators.qbo", "--port", "0",
                                           "--config", str(self.tmp / "emulator.toml")])
        line = emulator.stdout.readline()
        assert line, (self.tmp / "emulator.log").read_text()
        self.urls = json.loads(line)
        (self.tmp / "gateway.toml").write_text(
            "[rate_limits]\ntenant_per_minute = 100000\ntenant_per_day = 1000000\ntenant_concurrent = 20\n")
        port = free_port()
        self.root = f"http://127.0.0.1:{port}"
        gateway = self.spawn("gateway", ["-m", "gateway", "serve", "--port", str(port), "--data-dir",
                                         str(self.data_dir), "--config", str(self.tmp / "gateway.toml")])
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if gateway.poll() is not None:
                pytest.fail(f"gateway exited: {self.logs[-1].read_text()}")
            try:
                with urllib.request.urlopen(f"{self.root}/1004/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, self.logs[-1].read_text()
            time.sleep(0.25)
        registered = self.cli("sources", "set", "1004", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                              "--authorize-url", self.urls["authorize_url"], "--token-url", self.urls["token_url"],
                              "--revoke-url", self.urls["revoke_url"], "--api-base", self.urls["api_base"])
        assert registered["configured"] is True

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()

    def admin(self, method: str, path: str, body=None):
        return requests.request(method, f"{self.urls['api_base']}/_emulator{path}", json=body, timeout=30).json()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    running = Servers(tmp_path_factory.mktemp("qbo-e2e"))
    running.start()
    yield running
    running.stop()


def oauth_dance(servers: Servers) -> dict:
    """partner → gateway authorize → emulator authorize → gateway callback → gateway code → token."""
    gw = f"{servers.root}/1004"
    app = servers.cli("apps", "create", "--name", "QBO SDK app", "--redirect-uri", REDIRECT_URI)
    verifier, challenge = pkce_pair()
    browser = requests.Session()
    response = browser.get(f"{gw}/identity/connect/authorize", allow_redirects=False, timeout=30, params={
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "scope": SCOPES,
        "state": "sdk-state", "code_challenge": challenge, "code_challenge_method": "S256"})
    hops = []
    for _ in range(5):
        assert response.status_code == 302, response.text
        location = urljoin(response.url, response.headers["Location"])
        hops.append(location)
        if location.startswith(REDIRECT_URI):
            break
        response = browser.get(location, allow_redirects=False, timeout=30)
    assert hops[0].startswith(servers.urls["authorize_url"]) and "/1004/callback?" in hops[1], hops
    answer = {k: v[0] for k, v in parse_qs(urlsplit(hops[-1]).query).items()}
    assert answer["state"] == "sdk-state"
    token = requests.post(f"{gw}/connect/token", auth=(app["client_id"], app["client_secret"]), timeout=30, data={
        "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier})
    assert token.status_code == 200, token.text
    return {"app": app, "token": token.json()}


@pytest.fixture
def recorded(monkeypatch, xero_spec):
    """Every HTTP response xero-python receives; Accounting API ones are validated against the spec."""
    from xero_python import rest
    from xero_python.exceptions import HTTPStatusException

    seen: list[tuple] = []
    original = rest.RESTClientObject.request

    def recording(self, method, url, *args, **kwargs):
        try:
            response = original(self, method, url, *args, **kwargs)
        except HTTPStatusException as exc:
            body = exc.body.encode() if isinstance(exc.body, str) else (exc.body or b"")
            seen.append((method, url, exc.status, body, dict(exc.headers or {})))
            raise
        raw = getattr(response, "urllib3_response", response)
        seen.append((method, url, raw.status, raw.data, dict(raw.headers)))
        return response

    monkeypatch.setattr(rest.RESTClientObject, "request", recording)
    yield seen
    for method, url, status, body, headers in seen:
        if "/api.xro/2.0/" in url:
            xero_spec.validate_response(method, url, status, body, headers)


def sdk(servers: Servers, connected: dict, monkeypatch):
    gw = f"{servers.root}/1004"
    monkeypatch.setattr(TokenApi, "refresh_token_url", gw + "/connect/token")
    monkeypatch.setattr(TokenApi, "revoke_token_url", gw + "/connect/revocation")
    token = connected["token"]
    store = {"token": {**token, "scope": token["scope"].split(), "expires_at": time.time() + 1500}}
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=connected["app"]["client_id"],
                                             client_secret=connected["app"]["client_secret"])
    client = ApiClient(configuration, pool_threads=1, oauth2_token_getter=lambda: store["token"],
                       oauth2_token_saver=lambda t: store.update(token=t))
    return AccountingApi(client, base_url=gw + "/api.xro/2.0"), IdentityApi(client, base_url=gw)


def test_xero_python_reads_and_writes_a_qbo_company(servers, monkeypatch, recorded):
    accounting, identity = sdk(servers, oauth_dance(servers), monkeypatch)
    (connection,) = identity.get_connections()
    tenant = str(connection.tenant_id)
    organisation = accounting.get_organisations(tenant).organisations[0]
    assert organisation.name == connection.tenant_name == "QBO Emulator Company"
    assert ev(organisation.base_currency) == "USD"

    for code, name, kind in (("4100", "SDK Sales", "REVENUE"), ("6100", "SDK Costs", "EXPENSE"),
                             ("1100", "SDK Bank", "BANK"), ("1110", "SDK Reserve", "BANK")):
        made = accounting.create_account(tenant, Account(code=code, name=name, type=AccountType(kind))).accounts[0]
        assert made.code == code and ev(made.type) == kind
    assert "4100" in {a.code for a in accounting.get_accounts(tenant).accounts}
    assert accounting.get_tax_rates(tenant).tax_rates == []  # an empty US company has no tax codes yet
    assert [ev(c.code) for c in accounting.get_currencies(tenant).currencies][0] == "USD"
    assert {c.name for c in accounting.get_tracking_categories(tenant).tracking_categories} == {"Class",
                                                                                              "Department"}

    customer = accounting.create_contacts(tenant, Contacts(contacts=[Contact(
        name="SDK Customer", email_address="sdk@example.test")])).contacts[0]
    supplier = accounting.create_contacts(tenant, Contacts(contacts=[Contact(
        name="SDK Supplier", is_supplier=True)])).contacts[0]
    assert customer.is_customer and supplier.is_supplier
    item = accounting.create_items(tenant, Items(items=[Item(code="SDK-ITEM", name="SDK item")])).items[0]
    assert item.code == "SDK-ITEM"

    invoice = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY,
        due_date=TODAY + timedelta(days=14), status="AUTHORISED", reference="SDK-1",
        line_items=[LineItem(description="Work", quantity=Decimal("2"), unit_amount=Decimal("60.00"),
                             account_code="4100", tax_type="NONE")])])).invoices[0]
    assert invoice.total == Decimal("120.00") and ev(invoice.status) == "AUTHORISED" and invoice.invoice_number
    again = accounting.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert again.reference == "SDK-1" and again.amount_due == Decimal("120.00")
    mine = accounting.get_invoices(tenant, where=f'Contact.ContactID==Guid("{customer.contact_id}")').invoices
    assert [i.invoice_id for i in mine] == [invoice.invoice_id]
    accounting.create_payment(tenant, Payment(invoice=Invoice(invoice_id=invoice.invoice_id),
                                              account=Account(code="1100"), date=TODAY, amount=Decimal("120.00")))
    assert ev(accounting.get_invoice(tenant, invoice.invoice_id).invoices[0].status) == "PAID"
    bill = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCPAY", contact=Contact(contact_id=supplier.contact_id), date=TODAY, due_date=TODAY,
        line_items=[LineItem(description="Supplies", quantity=1, unit_amount=Decimal("33.30"),
                             account_code="6100")])])).invoices[0]
    assert ev(bill.type) == "ACCPAY" and bill.contact.contact_id == supplier.contact_id

    note = accounting.create_credit_notes(tenant, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=customer.contact_id), date=TODAY,
        line_items=[LineItem(description="Credit", quantity=1, unit_amount=10, account_code="4100")])])
    ).credit_notes[0]
    assert note.total == Decimal("10") and ev(note.type) == "ACCRECCREDIT"
    spend = accounting.create_bank_transactions(tenant, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(contact_id=supplier.contact_id), bank_account=Account(code="1100"),
        date=TODAY, line_items=[LineItem(description="Fuel", quantity=1, unit_amount=25, account_code="6100")])])
    ).bank_transactions[0]
    assert ev(spend.type) == "SPEND" and spend.total == Decimal("25")
    transfer = accounting.create_bank_transfer(tenant, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="1100"), to_bank_account=Account(code="1110"), amount=Decimal("5"))])
    ).bank_transfers[0]
    assert transfer.amount == Decimal("5")
    journal = accounting.create_manual_journals(tenant, ManualJournals(manual_journals=[ManualJournal(
        narration="SDK journal", date=TODAY, journal_lines=[
            ManualJournalLine(line_amount=Decimal("7.50"), account_code="6100"),
            ManualJournalLine(line_amount=Decimal("-7.50"), account_code="1100")])])).manual_journals[0]
    assert ev(journal.status) == "POSTED"
    bad = Invoice(type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY,
                  line_items=[LineItem(description="x", quantity=1, unit_amount=1, account_code="99999")])
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.create_invoices(tenant, Invoices(invoices=[bad]))
    assert "99999" in err.value.reason

    report = accounting.get_report_profit_and_loss(tenant, from_date=TODAY.replace(day=1), to_date=TODAY)
    assert report.reports[0].report_type == "ProfitAndLoss"
    for read in (accounting.get_payments, accounting.get_bank_transactions, accounting.get_bank_transfers,
                 accounting.get_manual_journals, accounting.get_credit_notes, accounting.get_items,
                 accounting.get_contacts):
        read(tenant)

    # The upstream token expires mid-session: the gateway refreshes it once and the call succeeds.
    assert servers.admin("POST", "/tokens/expire")["expired"] >= 1
    assert accounting.get_invoice(tenant, invoice.invoice_id).invoices[0].invoice_id == invoice.invoice_id

    # QBO throttles: the SDK sees Xero's 429 with Retry-After, and the next call works.
    # (urllib3, under xero-python, would wait out Retry-After and retry by itself: it is told not to, so that the
    # 429 reaches the SDK without a 60-second sleep.)
    monkeypatch.setattr(urllib3.util.retry.Retry.DEFAULT, "respect_retry_after_header", False)
    servers.admin("PUT", "/faults", {"faults": [{"kind": "throttle", "count": 1}]})
    with pytest.raises(RateLimitException) as limited:
        accounting.get_invoice(tenant, invoice.invoice_id)
    assert limited.value.status == 429 and limited.value.headers["Retry-After"] == "60"
    assert limited.value.rate_limit == "minute"
    accounting.get_invoice(tenant, invoice.invoice_id)


def test_a_page_of_100_invoices_counted_at_the_emulator(servers, monkeypatch, recorded):
    accounting, identity = sdk(servers, oauth_dance(servers), monkeypatch)
    tenant = str(identity.get_connections()[0].tenant_id)
    accounting.create_account(tenant, Account(code="4200", name="Page Sales", type=AccountType("REVENUE")))
    existing = len(accounting.get_invoices(tenant, where='Type=="ACCREC"').invoices)
    missing = max(0, 101 - existing)
    for start in range(0, missing, 50):  # 50 invoices per request, as Xero recommends
        accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
            type="ACCREC", contact=Contact(name="Page Customer"), date=TODAY,
            line_items=[LineItem(description="p", quantity=1, unit_amount=1, account_code="4200")])
            for _ in range(min(50, missing - start))]))
    first = accounting.get_invoices(tenant, page=1, page_size=100, where='Type=="ACCREC"')  # warms the caches
    servers.admin("DELETE", "/requests")
    again = accounting.get_invoices(tenant, page=1, page_size=100, where='Type=="ACCREC"')
    assert [i.invoice_id for i in again.invoices] == [i.invoice_id for i in first.invoices]
    assert len(again.invoices) == 100 and again.pagination.item_count >= 101
    counted = servers.admin("GET", "/requests")
    assert counted["total"] == 1 and [path.split()[0] + " " + path.rsplit("/", 1)[-1]
                                      for path in counted["by_path"]] == ["GET query"]
