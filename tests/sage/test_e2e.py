"""End to end: the official xero-python SDK → a real ``xero-gateway serve`` process at ``/1009`` → the Sage emulator
process, both on free loopback ports, the source registered with ``xero-gateway sources set 1009``.

Covers the OAuth dance (partner authorize → Sage consent → gateway callback → partner code), a business switch
through ``xero-tenant-id``, an access token expiring mid-session, concurrent calls during the refresh (the emulator
rejects a reused refresh token, so a lost rotation would fail the calls), reads and writes of each resource, reports
that reconcile, and one upstream list call for a page of 100 invoices with a warm cache. Every Accounting API
response the SDK receives is validated against Xero's spec.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from tests.e2e.oauth_browser import authorize, pkce_pair

pytestmark = pytest.mark.slow

SCOPES = ("openid profile email offline_access accounting.transactions accounting.contacts accounting.settings "
          "accounting.reports.read")
REDIRECT_URI = "http://127.0.0.1:9/sage/callback"
STARTUP_TIMEOUT = 90.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    gw: str
    emulator: str
    data_dir: Path
    processes: list[subprocess.Popen]

    def cli(self, *args: str) -> dict | list:
        done = subprocess.run([sys.executable, "-m", "gateway", *args, "--data-dir", str(self.data_dir)],
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def admin(self, method: str, path: str, body: dict | None = None) -> dict:
        response = requests.request(method, f"{self.emulator}{path}", json=body, timeout=30)
        assert response.status_code < 400, response.text
        return response.json()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    work = tmp_path_factory.mktemp("sage-e2e")
    config = work / "emulator.toml"
    config.write_text("requests_per_minute = 100000\nvalidate_requests = true\n", encoding="utf-8")
    emulator = subprocess.Popen([sys.executable, "-m", "emulators.sage_accounting", "--port", "0", "--config",
                                 str(config)], stdout=subprocess.PIPE, stderr=(work / "emulator.log").open("w"),
                                text=True)
    processes = [emulator]
    try:
        urls = json.loads(emulator.stdout.readline())
        base = urls["api_base"].removesuffix("/v3.1")
        data_dir = work / "data"
        port = free_port()
        log = (work / "gateway.log").open("w")
        gateway = subprocess.Popen([sys.executable, "-m", "gateway", "serve", "--port", str(port), "--data-dir",
                                    str(data_dir)], stdout=log, stderr=subprocess.STDOUT)
        processes.append(gateway)
        root = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert gateway.poll() is None, (work / "gateway.log").read_text()
            try:
                with urllib.request.urlopen(f"{root}/1009/.well-known/openid-configuration", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the gateway did not start"
            time.sleep(0.25)
        built = Stack(gw=f"{root}/1009", emulator=base, data_dir=data_dir, processes=processes)
        built.cli("sources", "set", "1009", "--client-id", "e2e-sage-app", "--client-secret", "e2e-sage-secret",
                  "--authorize-url", urls["authorize_url"], "--token-url", urls["token_url"],
                  "--api-base", urls["api_base"])
        yield built
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def sdk_responses(monkeypatch, xero_spec):
    """Record every response xero-python receives; validate the Accounting API ones against Xero's spec."""
    from xero_python import rest
    from xero_python.exceptions import HTTPStatusException

    recorded: list[tuple] = []
    original = rest.RESTClientObject.request

    def recording(self, method, url, *args, **kwargs):
        try:
            response = original(self, method, url, *args, **kwargs)
        except HTTPStatusException as exc:
            body = exc.body.encode() if isinstance(exc.body, str) else (exc.body or b"")
            recorded.append((method, url, exc.status, body, dict(exc.headers or {})))
            raise
        raw = getattr(response, "urllib3_response", response)
        recorded.append((method, url, raw.status, raw.data, dict(raw.headers)))
        return response

    monkeypatch.setattr(rest.RESTClientObject, "request", recording)
    yield recorded
    checked = [r for r in recorded if "/api.xro/2.0/" in r[1]]
    for method, url, status, body, headers in checked:
        xero_spec.validate_response(method, url, status, body, headers)
    assert checked


def sdk(gw: str, client_id: str, client_secret: str, store: dict, monkeypatch):
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
    from xero_python.identity import IdentityApi

    monkeypatch.setattr(TokenApi, "refresh_token_url", gw + "/connect/token")
    monkeypatch.setattr(TokenApi, "revoke_token_url", gw + "/connect/revocation")
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=client_id, client_secret=client_secret)
    api_client = ApiClient(configuration, pool_threads=1, oauth2_token_getter=lambda: store.get("token"),
                           oauth2_token_saver=lambda token: store.update(token=token))
    return AccountingApi(api_client, base_url=gw + "/api.xro/2.0"), IdentityApi(api_client, base_url=gw)


def ev(value):
    return getattr(value, "value", value)


def test_xero_python_against_sage(stack, monkeypatch, sdk_responses):
    from xero_python.accounting import (
        Account,
        BankTransaction,
        BankTransactions,
        Contact,
        Contacts,
        CreditNote,
        CreditNotes,
        Invoice,
        Invoices,
        LineAmountTypes,
        LineItem,
        ManualJournal,
        ManualJournalLine,
        ManualJournals,
        Payment,
    )
    from xero_python.exceptions import AccountingBadRequestException

    app = stack.cli("apps", "create", "--name", "Sage E2E", "--redirect-uri", REDIRECT_URI)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(12)
    callback = authorize(stack.gw, client_id=app["client_id"], redirect_uri=REDIRECT_URI, scope=SCOPES,
                         state=state, challenge=challenge, email="", password="")
    assert callback["state"] == [state]
    token = requests.post(stack.gw + "/connect/token", auth=(app["client_id"], app["client_secret"]), data={
        "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier}, timeout=30).json()
    store = {"token": {**token, "scope": token["scope"].split(), "expires_at": time.time() + 1700}}
    accounting, identity = sdk(stack.gw, app["client_id"], app["client_secret"], store, monkeypatch)

    # Business switch: one consent, two Sage businesses, each a tenant.
    tenants = {c.tenant_name: str(c.tenant_id) for c in identity.get_connections()}
    assert set(tenants) == {"Emulator Trading Ltd", "Emulator Services Ltd"}
    for name, tenant_id in tenants.items():
        assert accounting.get_organisations(tenant_id).organisations[0].name == name
    trading, services = tenants["Emulator Trading Ltd"], tenants["Emulator Services Ltd"]
    assert {i.invoice_number for i in accounting.get_invoices(services).invoices if ev(i.type) == "ACCREC"} == {"SI-1"}

    # Reads.
    codes = {a.code: a for a in accounting.get_accounts(trading).accounts}
    assert ev(codes["1200"].type) == "BANK" and ev(codes["4000"].type) == "REVENUE"
    assert {ev(r.tax_type) if hasattr(r.tax_type, "value") else r.tax_type
            for r in accounting.get_tax_rates(trading).tax_rates} >= {"OUTPUT2", "INPUT2"}
    assert {i.code for i in accounting.get_items(trading).items} >= {"WID-1", "CONS-1"}
    assert accounting.get_bank_transfers(trading).bank_transfers
    assert accounting.get_manual_journals(trading).manual_journals
    assert accounting.get_payments(trading).payments
    assert accounting.get_credit_notes(trading).credit_notes

    # Writes.
    today = date(2025, 6, 2)
    contact = accounting.create_contacts(trading, Contacts(contacts=[
        Contact(name=f"E2E Sage {secrets.token_hex(3)}", email_address="e2e@sage.test")])).contacts[0]
    invoice = accounting.create_invoices(trading, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=today, due_date=today,
        status="AUTHORISED", reference="E2E-SAGE", line_amount_types=LineAmountTypes.EXCLUSIVE,
        line_items=[LineItem(description="Work", quantity=Decimal("3"), unit_amount=Decimal("40.00"),
                             account_code="4000", tax_type="OUTPUT2")])])).invoices[0]
    assert invoice.total == Decimal("144.00") and ev(invoice.status) == "AUTHORISED"
    accounting.create_payment(trading, Payment(invoice=Invoice(invoice_id=invoice.invoice_id),
                                               account=Account(code="1200"), date=today, amount=Decimal("44.00")))
    again = accounting.get_invoice(trading, invoice.invoice_id).invoices[0]
    assert again.amount_due == Decimal("100.00") and again.amount_paid == Decimal("44.00")
    note = accounting.create_credit_notes(trading, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=contact.contact_id), date=today, status="AUTHORISED",
        line_items=[LineItem(description="Goodwill", quantity=Decimal("1"), unit_amount=Decimal("10.00"),
                             account_code="4000", tax_type="OUTPUT2")])])).credit_notes[0]
    assert note.total == Decimal("12.00")
    spend = accounting.create_bank_transactions(trading, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", bank_account=Account(code="1200"), date=today,
        line_items=[LineItem(description="Parking", quantity=Decimal("1"), unit_amount=Decimal("5.00"),
                             account_code="7100", tax_type="INPUT2")])])).bank_transactions[0]
    assert spend.total == Decimal("6.00")
    journal = accounting.create_manual_journals(trading, ManualJournals(manual_journals=[ManualJournal(
        narration="E2E reclass", date=today, journal_lines=[
            ManualJournalLine(line_amount=Decimal("15.00"), account_code="7100"),
            ManualJournalLine(line_amount=Decimal("-15.00"), account_code="4000")])])).manual_journals[0]
    assert ev(journal.status) == "POSTED"
    with pytest.raises(AccountingBadRequestException) as refused:
        accounting.create_invoices(trading, Invoices(invoices=[Invoice(
            type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=today,
            line_items=[LineItem(description="x", quantity=1, unit_amount=1, account_code="99999")])]))
    assert "99999" in refused.value.reason

    # The access token expires mid-session: Sage answers 401, the gateway refreshes once and repeats the call.
    stack.admin("POST", "/_emulator/clock", {"advance": 301})
    assert accounting.get_contacts(trading).contacts

    # Concurrent calls while the token is being refreshed: every call succeeds with one refresh, since the emulator
    # rejects a refresh token used twice.
    stack.admin("POST", "/_emulator/clock", {"advance": 301})
    headers = {"Authorization": f"Bearer {store['token']['access_token']}", "Accept": "application/json"}

    def fetch(tail_and_tenant: tuple[str, str]) -> int:
        tail, tenant = tail_and_tenant
        return requests.get(f"{stack.gw}/api.xro/2.0{tail}", headers={**headers, "xero-tenant-id": tenant},
                            timeout=60).status_code

    jobs = [(tail, tenant) for tail in ("/Contacts", "/Invoices", "/Payments", "/BankTransactions")
            for tenant in (trading, services)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(fetch, jobs)) == [200] * len(jobs)
    stack.admin("POST", "/_emulator/clock", {"advance": 301})
    assert accounting.get_contacts(services).contacts  # the rotated refresh token was kept: it works again

    # Reports reconcile.
    trial = accounting.get_report_trial_balance(trading, date=date(2025, 12, 31)).reports[0]
    total = next(r for s in trial.rows for r in (s.rows or []) if r.cells[0].value == "Total")
    debit, credit, ytd_debit, ytd_credit = (Decimal(c.value) for c in total.cells[1:])
    assert debit == credit and ytd_debit == ytd_credit and ytd_debit > 0
    sheet = accounting.get_report_balance_sheet(trading, date=date(2025, 12, 31)).reports[0]
    values = {r.cells[0].value: Decimal(r.cells[1].value) for s in sheet.rows for r in (s.rows or [])
              if r.cells and r.cells[0].value in ("Net Assets", "Total Equity")}
    assert values["Net Assets"] == values["Total Equity"]

    # A page of 100 invoices with a warm cache is one upstream list call.
    batch = [Invoice(type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=today, status="AUTHORISED",
                     line_items=[LineItem(description=f"Bulk {n}", quantity=Decimal("1"),
                                          unit_amount=Decimal("10.00"), account_code="4000", tax_type="OUTPUT2")])
             for n in range(100)]
    for start in range(0, 100, 50):
        accounting.create_invoices(trading, Invoices(invoices=batch[start:start + 50]))
    warm = accounting.get_invoices(trading, page=1, page_size=100)
    stack.admin("DELETE", "/_emulator/requests")
    page = accounting.get_invoices(trading, page=1, page_size=100)
    calls = stack.admin("GET", "/_emulator/requests")["by_path"]
    assert calls == {"GET /v3.1/sales_invoices": 1}
    assert [i.invoice_id for i in page.invoices] == [i.invoice_id for i in warm.invoices]
    assert len(page.invoices) == 100 and page.pagination.item_count > 100
