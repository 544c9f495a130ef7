"""Sage 50 end to end: the official xero-python SDK → ``xero-gateway serve`` at ``/1001`` ← the real connector
(``sage50-connector``) → the stand-in's demo company (SQLite ODBC tables + fake SDO), every part a process on
127.0.0.1 (:mod:`tests.sage50.e2e_stack`).

The tests run in order on one stack: pairing through the consent page and the first full sync; reads of every
resource the adapter serves; writes of each kind, read back through the gateway and checked in Sage's own rows; a
change made in Sage by a user; the connector killed mid-write; the connector offline; each injected Sage fault.
Every Accounting API answer the SDK receives is validated against Xero's spec. Timings are printed, never asserted.
"""

from __future__ import annotations

import time
import uuid
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
    BankTransfer,
    BankTransfers,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    Invoice,
    Invoices,
    LineItem,
    ManualJournal,
    ManualJournalLine,
    ManualJournals,
    Payment,
)
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.exceptions import AccountingBadRequestException, HTTPStatusException
from xero_python.identity import IdentityApi

from emulators.sage50 import control
from emulators.sage50.sageuser import SageUser

from .e2e_stack import POLL_INTERVAL, Stack, until

pytestmark = pytest.mark.slow

TODAY = date.today()
RUN = uuid.uuid4().hex[:6].upper()  # keeps references unique per run


def ev(value):
    return getattr(value, "value", value)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("sage50-e2e"))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def seen():
    """Every (method, url, status, body, headers) the SDK received in this module."""
    return []


@pytest.fixture(autouse=True)
def recorded(monkeypatch, xero_spec, seen):
    """Records each HTTP answer xero-python receives; Accounting API ones are validated against the spec."""
    import urllib3
    from xero_python import rest

    # urllib3 would sleep out a 503's Retry-After and retry a PUT by itself: the tests want the 503.
    monkeypatch.setattr(urllib3.util.retry.Retry.DEFAULT, "respect_retry_after_header", False)
    mine: list[tuple] = []
    original = rest.RESTClientObject.request

    def recording(self, method, url, *args, **kwargs):
        try:
            response = original(self, method, url, *args, **kwargs)
        except HTTPStatusException as exc:
            body = exc.body.encode() if isinstance(exc.body, str) else (exc.body or b"")
            mine.append((method, url, exc.status, body, dict(exc.headers or {})))
            raise
        raw = getattr(response, "urllib3_response", response)
        mine.append((method, url, raw.status, raw.data, dict(raw.headers)))
        return response

    monkeypatch.setattr(rest.RESTClientObject, "request", recording)
    yield mine
    seen.extend(mine)
    for method, url, status, body, headers in mine:
        if "/api.xro/2.0/" in url and status != 503:  # Xero's 503 is a text body, outside the spec
            xero_spec.validate_response(method, url, status, body, headers)


class Session:
    """The partner app's SDK session on the one tenant."""

    def __init__(self, stack: Stack, connected: dict) -> None:
        self.stack, self.connected = stack, connected
        token = connected["token"]
        self.store = {"token": {**token, "scope": token["scope"].split(), "expires_at": time.time() + 1500}}

    def api(self, monkeypatch) -> tuple[AccountingApi, IdentityApi]:
        gw = self.stack.gw
        monkeypatch.setattr(TokenApi, "refresh_token_url", gw + "/connect/token")
        monkeypatch.setattr(TokenApi, "revoke_token_url", gw + "/connect/revocation")
        configuration = Configuration()
        configuration.oauth2_token = OAuth2Token(client_id=self.connected["app"]["client_id"],
                                                 client_secret=self.connected["app"]["client_secret"])
        client = ApiClient(configuration, pool_threads=1, oauth2_token_getter=lambda: self.store["token"],
                           oauth2_token_saver=lambda t: self.store.update(token=t))
        return AccountingApi(client, base_url=gw + "/api.xro/2.0"), IdentityApi(client, base_url=gw)

    def raw(self, method: str, tail: str, **kwargs) -> requests.Response:
        """A plain HTTP call (to see headers the SDK hides)."""
        headers = {"Authorization": f"Bearer {self.store['token']['access_token']}", "xero-tenant-id": self.tenant,
                   "Accept": "application/json", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.stack.gw}/api.xro/2.0{tail}", headers=headers, timeout=60, **kwargs)


@pytest.fixture(scope="module")
def session(stack) -> Session:
    connected = stack.connect()
    made = Session(stack, connected)
    started = time.monotonic()
    stack.start_connector()
    expected = stack.sage_rows("SELECT COUNT(*) AS n FROM AUDIT_HEADER WHERE TYPE IN ('SI', 'PI')")[0]["n"]

    def synced():
        tenants = requests.get(f"{stack.gw}/connections", timeout=30, headers={
            "Authorization": f"Bearer {made.store['token']['access_token']}"}).json()
        if not tenants:
            return None
        made.tenant = tenants[0]["tenantId"]
        answer = made.raw("GET", "/Invoices", params={"where": 'Status!="DRAFT"'})
        # The last table in protocol order (INVOICE_ITEM) arrived with the final posting tables.
        return answer.status_code == 200 and len(answer.json()["Invoices"]) == expected and \
            made.raw("GET", "/Invoices", params={"Statuses": "DRAFT"}).json()["Invoices"]

    until(synced, seconds=300, step=0.5, what="the first full sync")
    made.first_sync_seconds = time.monotonic() - started
    print(f"\nfirst full sync of the demo company: {made.first_sync_seconds:.1f} s "
          f"({expected} posted invoices; connector poll interval {POLL_INTERVAL} s)")
    return made


def test_pairing_and_the_first_full_sync(stack, session, monkeypatch):
    assert "paired: agent" in session.connected["paired"]
    accounting, identity = session.api(monkeypatch)
    (connection,) = identity.get_connections()
    assert str(connection.tenant_id) == session.tenant and connection.tenant_name == "Ashdown Mill Trading Ltd"
    organisation = accounting.get_organisations(session.tenant).organisations[0]
    assert organisation.name == "Ashdown Mill Trading Ltd" and ev(organisation.base_currency) == "GBP"
    answer = session.raw("GET", "/Organisation")
    first = answer.headers["X-Sage50-Last-Sync"]
    assert first.endswith("Z")
    # Nothing changes in Sage: the connector's idle cycles send no page, yet the header keeps up (poll status).
    until(lambda: session.raw("GET", "/Organisation").headers["X-Sage50-Last-Sync"] > first,
          seconds=10 * POLL_INTERVAL + 5, step=0.5, what="a fresher X-Sage50-Last-Sync")
    (agent,) = stack.cli("agents", "list")
    assert agent["companies"][0]["online"] and agent["queued_jobs"] == 0


def test_an_idle_connector_long_polls(stack, session):
    gateway_log = stack.tmp / "gateway.log"
    before = gateway_log.read_text().count("/agent/v1/poll")
    time.sleep(3.0)
    polls = gateway_log.read_text().count("/agent/v1/poll") - before
    # At most one poll per sync cycle, plus one that straddles the window's edges.
    assert polls <= 3.0 / POLL_INTERVAL + 2, f"{polls} polls in 3 s"


def test_reads_of_every_resource(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    accounts = accounting.get_accounts(tenant).accounts
    by_code = {a.code: a for a in accounts}
    assert ev(by_code["1200"].type) == "BANK" and ev(by_code["4000"].type) == "REVENUE"
    assert accounting.get_account(tenant, by_code["4000"].account_id).accounts[0].code == "4000"
    taxes = accounting.get_tax_rates(tenant).tax_rates
    assert {"OUTPUT2", "INPUT2", "NONE"} <= {t.tax_type for t in taxes}
    assert {ev(c.code) for c in accounting.get_currencies(tenant).currencies} >= {"GBP", "EUR", "USD"}
    (departments,) = accounting.get_tracking_categories(tenant).tracking_categories
    one = accounting.get_tracking_category(tenant, departments.tracking_category_id).tracking_categories[0]
    assert {o.name for o in one.options} >= {"Sales", "Workshop"}
    assert accounting.get_items(tenant).items == []  # the demo company keeps no stock records

    contacts = accounting.get_contacts(tenant).contacts
    numbers = {c.contact_number: c for c in contacts}
    assert {"ABS001", "BRI001", "FEL001", "NOR001"} <= set(numbers)
    abbey = accounting.get_contact(tenant, numbers["ABS001"].contact_id).contacts[0]
    assert abbey.name == "Abbey Bridge Supplies" and abbey.is_customer

    invoices = accounting.get_invoices(tenant, page=1).invoices
    by_number = {i.invoice_number: i for i in invoices if ev(i.status) != "DRAFT"}  # drafts: INVOICE numbers
    golden = by_number["2"]  # Zynk's SI: 12.56 net, 2.43 tax at T1 (not 20 %: Sage's stored tax is kept)
    assert golden.sub_total == Decimal("12.56") and golden.total_tax == Decimal("2.43")
    assert golden.line_items[0].account_code == "4000" and golden.line_items[0].tax_type == "OUTPUT2"
    paid = accounting.get_invoice(tenant, by_number["24"].invoice_id).invoices[0]
    assert ev(paid.status) == "PAID" and paid.total == Decimal("200.00") and paid.payments
    assert {ev(i.type) for i in invoices} == {"ACCREC", "ACCPAY"}
    # An invoice of several splits, paid by one receipt allocated split by split: one Payment, the one of /Payments.
    split_paid = next(i for i in invoices if ev(i.status) == "PAID" and len(i.line_items) > 1)
    (one_payment,) = accounting.get_invoice(tenant, split_paid.invoice_id).invoices[0].payments
    assert one_payment.amount == split_paid.total
    assert accounting.get_payment(tenant, one_payment.payment_id).payments[0].amount == split_paid.total
    drafts = accounting.get_invoices(tenant, statuses=["DRAFT"]).invoices
    assert len(drafts) == 2
    assert accounting.get_invoice(tenant, drafts[0].invoice_id).invoices[0].line_items

    notes = accounting.get_credit_notes(tenant, page=1).credit_notes
    assert {ev(n.type) for n in notes} == {"ACCRECCREDIT", "ACCPAYCREDIT"}
    assert accounting.get_credit_note(tenant, notes[0].credit_note_id).credit_notes[0].line_items

    payments = accounting.get_payments(tenant).payments
    assert payments and payments[0].amount > 0
    assert accounting.get_payment(tenant, payments[0].payment_id).payments[0].payment_id == payments[0].payment_id
    bank = accounting.get_bank_transactions(tenant).bank_transactions
    assert {ev(b.type) for b in bank} >= {"SPEND", "RECEIVE"}
    rent = next(b for b in bank if b.line_items and b.line_items[0].account_code == "7100") if bank[0].line_items \
        else accounting.get_bank_transaction(tenant, bank[0].bank_transaction_id).bank_transactions[0]
    assert rent.bank_account.code == "1200"
    transfers = accounting.get_bank_transfers(tenant).bank_transfers
    assert [t.amount for t in transfers] == [Decimal("5000.00")]
    one = accounting.get_bank_transfer(tenant, transfers[0].bank_transfer_id).bank_transfers[0]
    assert one.from_bank_account.code == "1200" and one.to_bank_account.code == "1210"
    assert accounting.get_manual_journals(tenant).manual_journals == []  # its one journal is a bank transfer
    ledger = accounting.get_journals(tenant).journals
    assert ledger and accounting.get_journal(tenant, ledger[0].journal_id).journals[0].journal_lines


def _header(stack: Stack, header_number: int) -> dict:
    (row,) = stack.sage_rows("SELECT * FROM AUDIT_HEADER WHERE HEADER_NUMBER = ?", (header_number,))
    return row


def _by_ref(stack: Stack, inv_ref: str) -> list[dict]:
    return stack.sage_rows("SELECT * FROM AUDIT_HEADER WHERE INV_REF = ? ORDER BY HEADER_NUMBER", (inv_ref,))


def _splits(stack: Stack, header_number: int) -> list[dict]:
    return stack.sage_rows("SELECT * FROM AUDIT_SPLIT WHERE HEADER_NUMBER = ? ORDER BY TRAN_NUMBER",
                           (header_number,))


def _journal_balance(stack: Stack, header_number: int) -> Decimal:
    rows = stack.sage_rows("SELECT AMOUNT FROM AUDIT_JOURNAL WHERE HEADER_NUMBER = ?", (header_number,))
    assert rows, f"no AUDIT_JOURNAL rows for header {header_number}"
    return sum((Decimal(str(r["AMOUNT"])) for r in rows), Decimal(0))


def test_writes_of_each_kind_land_in_sage_and_read_back(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant

    # Contacts: create, then update; Sage's SALES_LEDGER holds both.
    customer = accounting.create_contacts(tenant, Contacts(contacts=[Contact(
        name=f"E2E Customer {RUN}", email_address="e2e@example.test")])).contacts[0]
    ref = customer.contact_number
    (row,) = stack.sage_rows("SELECT * FROM SALES_LEDGER WHERE ACCOUNT_REF = ?", (ref,))
    assert row["NAME"] == f"E2E Customer {RUN}" and row["E_MAIL"] == "e2e@example.test"
    updated = accounting.update_contact(tenant, customer.contact_id, Contacts(contacts=[Contact(
        contact_id=customer.contact_id, email_address="accounts@example.test")])).contacts[0]
    assert updated.email_address == "accounts@example.test" and updated.contact_id == customer.contact_id
    assert stack.sage_rows("SELECT E_MAIL FROM SALES_LEDGER WHERE ACCOUNT_REF = ?", (ref,))[0]["E_MAIL"] == \
        "accounts@example.test"
    assert accounting.get_contact(tenant, customer.contact_id).contacts[0].email_address == "accounts@example.test"

    # An AUTHORISED sales invoice whose tax is not 20 % of the net: Sage stores the tax it is given.
    invoice = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY,
        due_date=TODAY + timedelta(days=30), status="AUTHORISED", invoice_number=f"E{RUN}1", reference="SDK",
        line_items=[LineItem(description="Consultancy", quantity=Decimal("1"), unit_amount=Decimal("12.56"),
                             account_code="4000", tax_type="OUTPUT2", tax_amount=Decimal("2.43"))])])).invoices[0]
    assert ev(invoice.status) == "AUTHORISED" and invoice.total == Decimal("14.99")
    (posted,) = _by_ref(stack, f"E{RUN}1")
    assert posted["TYPE"] == "SI" and posted["ACCOUNT_REF"] == ref
    assert (Decimal(str(posted["NET_AMOUNT"])), Decimal(str(posted["TAX_AMOUNT"]))) == (Decimal("12.56"),
                                                                                      Decimal("2.43"))
    (split,) = _splits(stack, posted["HEADER_NUMBER"])
    assert split["NOMINAL_CODE"] == "4000" and split["TAX_CODE"] == "T1"
    assert _journal_balance(stack, posted["HEADER_NUMBER"]) == 0
    again = accounting.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert again.sub_total == Decimal("12.56") and again.total_tax == Decimal("2.43")
    assert again.amount_due == Decimal("14.99")

    # A DRAFT sales invoice is an unposted invoicing document (INVOICE), nothing in the audit trail.
    draft = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="DRAFT",
        invoice_number=f"E{RUN}D",
        line_items=[LineItem(description="Quote work", quantity=1, unit_amount=Decimal("80.00"),
                             account_code="4001", tax_type="OUTPUT2")])])).invoices[0]
    assert ev(draft.status) == "DRAFT" and draft.total == Decimal("96.00")
    assert not _by_ref(stack, f"E{RUN}D")
    (document,) = stack.sage_rows("SELECT * FROM INVOICE WHERE NOTES_1 = ?", (f"E{RUN}D",))
    assert Decimal(str(document["INVOICE_NET"])) == Decimal("80.00") and document["ACCOUNT_REF"] == ref
    assert ev(accounting.get_invoice(tenant, draft.invoice_id).invoices[0].status) == "DRAFT"

    # A bill (PI).
    supplier = next(c for c in accounting.get_contacts(tenant).contacts if c.contact_number == "FEL001")
    bill = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCPAY", contact=Contact(contact_id=supplier.contact_id), date=TODAY, due_date=TODAY,
        status="AUTHORISED", invoice_number=f"B{RUN}",
        line_items=[LineItem(description="Timber", quantity=2, unit_amount=Decimal("50.00"),
                             account_code="5000", tax_type="INPUT2")])])).invoices[0]
    assert ev(bill.type) == "ACCPAY" and bill.total == Decimal("120.00")
    (posted_bill,) = _by_ref(stack, f"B{RUN}")
    assert posted_bill["TYPE"] == "PI" and Decimal(str(posted_bill["GROSS_AMOUNT"])).copy_abs() == Decimal("120.00")

    # A second invoice to pay and to credit.
    target = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="AUTHORISED",
        invoice_number=f"E{RUN}2", line_items=[LineItem(description="Parts", quantity=1,
                                                        unit_amount=Decimal("100.00"), account_code="4002",
                                                        tax_type="OUTPUT2")])])).invoices[0]
    assert target.total == Decimal("120.00")

    # A credit note (SC) allocated to it (AUDIT_USAGE).
    note = accounting.create_credit_notes(tenant, CreditNotes(credit_notes=[CreditNote(
        type="ACCRECCREDIT", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="AUTHORISED",
        credit_note_number=f"C{RUN}", line_items=[LineItem(description="Returned part", quantity=1,
                                                           unit_amount=Decimal("25.00"), account_code="4002",
                                                           tax_type="OUTPUT2")])])).credit_notes[0]
    assert ev(note.type) == "ACCRECCREDIT" and note.total == Decimal("30.00")
    (posted_note,) = _by_ref(stack, f"C{RUN}")
    assert posted_note["TYPE"] == "SC"
    accounting.create_credit_note_allocation(tenant, note.credit_note_id, Allocations(allocations=[Allocation(
        invoice=Invoice(invoice_id=target.invoice_id), amount=Decimal("30.00"), date=TODAY)]))
    note_split = _splits(stack, posted_note["HEADER_NUMBER"])[0]["TRAN_NUMBER"]
    usages = stack.sage_rows("SELECT * FROM AUDIT_USAGE WHERE SPLIT_CROSSREF = ? OR SPLIT_NUMBER = ?",
                             (note_split, note_split))
    assert sum(Decimal(str(u["AMOUNT"])) for u in usages) == Decimal("30.00")
    credited = accounting.get_invoice(tenant, target.invoice_id).invoices[0]
    assert credited.amount_credited == Decimal("30.00") and credited.amount_due == Decimal("90.00")
    assert accounting.get_credit_note(tenant, note.credit_note_id).credit_notes[0].remaining_credit == 0

    # A payment (SA on account, then AllocatePayment) pays the rest.
    payment = accounting.create_payment(tenant, Payment(
        invoice=Invoice(invoice_id=target.invoice_id), account=Account(code="1200"), date=TODAY,
        amount=Decimal("90.00"), reference=f"P{RUN}")).payments[0]
    assert payment.amount == Decimal("90.00")
    (receipt,) = [h for h in _by_ref(stack, f"P{RUN}") if h["TYPE"] == "SA"]
    assert Decimal(str(receipt["GROSS_AMOUNT"])).copy_abs() == Decimal("90.00") and receipt["BANK_CODE"] == "1200"
    paid = accounting.get_invoice(tenant, target.invoice_id).invoices[0]
    assert ev(paid.status) == "PAID" and paid.amount_due == 0
    (split_row,) = _splits(stack, _by_ref(stack, f"E{RUN}2")[0]["HEADER_NUMBER"])
    assert Decimal(str(split_row["OUTSTANDING"])) == 0 and split_row["PAID_FLAG"] == "Y"

    # Bank transactions: a SPEND (BP) and a RECEIVE (BR).
    spend = accounting.create_bank_transactions(tenant, BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Kendal Stationers"), bank_account=Account(code="1200"), date=TODAY,
        reference=f"S{RUN}", line_items=[LineItem(description="Paper", quantity=1, unit_amount=Decimal("24.00"),
                                                  account_code="7502", tax_type="INPUT2")])])).bank_transactions[0]
    assert ev(spend.type) == "SPEND" and spend.total == Decimal("28.80")
    (bp,) = _by_ref(stack, f"S{RUN}")
    assert bp["TYPE"] == "BP" and _journal_balance(stack, bp["HEADER_NUMBER"]) == 0
    receive = accounting.create_bank_transactions(tenant, BankTransactions(bank_transactions=[BankTransaction(
        type="RECEIVE", contact=Contact(name="Scrap dealer"), bank_account=Account(code="1200"), date=TODAY,
        reference=f"R{RUN}", line_items=[LineItem(description="Scrap", quantity=1, unit_amount=Decimal("15.00"),
                                                  account_code="4900", tax_type="NONE")])])).bank_transactions[0]
    assert ev(receive.type) == "RECEIVE" and receive.total == Decimal("15.00")
    assert [h["TYPE"] for h in _by_ref(stack, f"R{RUN}")] == ["BR"]
    assert accounting.get_bank_transaction(tenant, spend.bank_transaction_id).bank_transactions[0].total == \
        Decimal("28.80")

    # A bank transfer and a manual journal (JournalPost: JD/JC).
    transfer = accounting.create_bank_transfer(tenant, BankTransfers(bank_transfers=[BankTransfer(
        from_bank_account=Account(code="1200"), to_bank_account=Account(code="1210"), amount=Decimal("250.00"),
        date=TODAY, reference=f"T{RUN}")])).bank_transfers[0]
    assert transfer.amount == Decimal("250.00") and transfer.to_bank_account.code == "1210"
    legs = _by_ref(stack, f"T{RUN}")
    assert sorted(h["TYPE"] for h in legs) == ["JC", "JD"]
    assert sum(_journal_balance(stack, h["HEADER_NUMBER"]) for h in legs) == 0
    assert accounting.get_bank_transfer(tenant, transfer.bank_transfer_id).bank_transfers[0].amount == \
        Decimal("250.00")
    journal = accounting.create_manual_journals(tenant, ManualJournals(manual_journals=[ManualJournal(
        narration=f"J{RUN} accrual", date=TODAY, status="POSTED", journal_lines=[
            ManualJournalLine(line_amount=Decimal("75.00"), account_code="7200", description="Accrued power"),
            ManualJournalLine(line_amount=Decimal("-75.00"), account_code="7100", description="Reclassified")])])
    ).manual_journals[0]
    assert ev(journal.status) == "POSTED" and len(journal.journal_lines) == 2
    assert sorted(h["TYPE"] for h in _by_ref(stack, f"J{RUN} accrual")) == ["JC", "JD"]
    assert accounting.get_manual_journal(tenant, journal.manual_journal_id).manual_journals[0].narration == \
        f"J{RUN} accrual"

    # Their history is Sage's own stamps: posted by the connector's reserved Sage user.
    connector_user = stack.sage["sdo"]["user"]
    for records in (accounting.get_bank_transactions_history(tenant, spend.bank_transaction_id).history_records,
                    accounting.get_bank_transfer_history(tenant, transfer.bank_transfer_id).history_records,
                    accounting.get_manual_journals_history(tenant, journal.manual_journal_id).history_records,
                    accounting.get_invoice_history(tenant, invoice.invoice_id).history_records):
        assert records[0].changes == "Created" and records[0].user == connector_user
    paid_history = accounting.get_invoice_history(tenant, target.invoice_id).history_records
    assert [r.changes for r in paid_history] == ["Created", "Credit Applied", "Paid"]

    # Sage refuses a bad nominal code through the gateway's pre-check: a ValidationException, nothing queued.
    with pytest.raises(AccountingBadRequestException) as refused:
        accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
            type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="AUTHORISED",
            line_items=[LineItem(description="x", quantity=1, unit_amount=1, account_code="99999")])]))
    assert "99999" in refused.value.reason


def test_a_change_made_in_sage_is_visible_within_the_poll_interval(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    contact = next(c for c in accounting.get_contacts(tenant).contacts if c.contact_number == "GRA001")
    new_name = f"Grayrigg Farm Shop {RUN}"
    changed = time.monotonic()
    SageUser(stack.data_path).rename_customer("GRA001", new_name)

    def visible():
        answer = session.raw("GET", f"/Contacts/{contact.contact_id}")
        return answer.status_code == 200 and answer.json()["Contacts"][0]["Name"] == new_name

    until(visible, seconds=30 * POLL_INTERVAL + 30, step=0.1, what="the renamed customer")
    lag = time.monotonic() - changed
    print(f"\nchange in Sage → visible at /1001: {lag:.2f} s (connector poll interval {POLL_INTERVAL} s)")
    assert accounting.get_contact(tenant, contact.contact_id).contacts[0].name == new_name

    # A sales invoice a Sage user posts arrives the same way, with Sage's own numbers.
    posted = SageUser(stack.data_path).post("SI", "GRA001", TODAY, inv_ref=f"U{RUN}", details="Counter sale",
                                            lines=[("4000", Decimal("40.00"), Decimal("7.99"), 1)])
    assert posted
    found = until(lambda: accounting.get_invoices(tenant, invoice_numbers=[f"U{RUN}"]).invoices, seconds=30,
                  step=0.2, what="the invoice posted in Sage")
    assert found[0].total_tax == Decimal("7.99") and found[0].total == Decimal("47.99")


def test_the_connector_killed_mid_write_posts_exactly_once(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    customer = next(c for c in accounting.get_contacts(tenant).contacts if c.contact_number == "DEN001")
    stack.stop_connector()
    doomed = stack.start_connector(doomed=True)
    key = f"kill-{RUN}"
    invoice = Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="AUTHORISED",
        invoice_number=f"K{RUN}", line_items=[LineItem(description="Joinery", quantity=1,
                                                       unit_amount=Decimal("300.00"), account_code="4000",
                                                       tax_type="OUTPUT2")])])
    with pytest.raises(HTTPStatusException) as unavailable:
        accounting.create_invoices(tenant, invoice, idempotency_key=key)
    assert unavailable.value.status == 503 and unavailable.value.headers["Retry-After"]
    assert doomed.wait(30) == 9 and "killed after SDO Update" in stack.log("connector")
    assert len(_by_ref(stack, f"K{RUN}")) == 1  # Sage took it; nobody was told
    stack.connector = None
    stack.start_connector()

    def retried():
        try:
            return accounting.create_invoices(tenant, invoice, idempotency_key=key).invoices[0]
        except HTTPStatusException as exc:
            assert exc.status == 503, exc.body
            time.sleep(1)
            return None

    done = until(retried, seconds=60, step=0, what="the retried write's result")
    assert done.invoice_number == f"K{RUN}" and done.total == Decimal("360.00")
    assert len(_by_ref(stack, f"K{RUN}")) == 1  # exactly one posting
    assert len(accounting.get_invoices(tenant, invoice_numbers=[f"K{RUN}"]).invoices) == 1


def test_the_connector_killed_between_a_payments_receipt_and_its_allocation(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    customer = next(c for c in accounting.get_contacts(tenant).contacts if c.contact_number == "DEN001")
    invoice = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="AUTHORISED",
        invoice_number=f"Q{RUN}", line_items=[LineItem(description="Joinery", quantity=1,
                                                       unit_amount=Decimal("50.00"), account_code="4000",
                                                       tax_type="OUTPUT2")])])).invoices[0]
    stack.stop_connector()
    doomed = stack.start_connector(doomed=True)  # dies right after posting the receipt (SA), before allocating it
    key = f"pay-{RUN}"
    payment = Payment(invoice=Invoice(invoice_id=invoice.invoice_id), account=Account(code="1200"), date=TODAY,
                      amount=Decimal("60.00"), reference=f"Y{RUN}")
    with pytest.raises(HTTPStatusException) as unavailable:
        accounting.create_payment(tenant, payment, idempotency_key=key)
    assert unavailable.value.status == 503
    assert doomed.wait(30) == 9
    stack.connector = None
    stack.start_connector()
    done = until(lambda: _retry(accounting.create_payment, tenant, payment, idempotency_key=key), seconds=60,
                 step=0, what="the retried payment")
    assert done.payments[0].amount == Decimal("60.00")
    assert [h["TYPE"] for h in _by_ref(stack, f"Y{RUN}")] == ["SA"]  # one receipt
    paid = accounting.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert ev(paid.status) == "PAID" and [p.amount for p in paid.payments] == [Decimal("60.00")]


def test_the_connector_offline(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    stack.stop_connector()
    stack.wait_offline()
    spend = BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Kendal Garage"), bank_account=Account(code="1200"), date=TODAY,
        reference=f"O{RUN}", line_items=[LineItem(description="Van service", quantity=1,
                                                  unit_amount=Decimal("180.00"), account_code="7502",
                                                  tax_type="INPUT2")])])
    # Without an Idempotency-Key: refused before anything is queued.
    with pytest.raises(HTTPStatusException) as refused:
        accounting.create_bank_transactions(tenant, spend)
    assert refused.value.status == 503 and int(refused.value.headers["Retry-After"]) > 0
    assert "offline" in str(refused.value.body)
    (agent,) = stack.cli("agents", "list")
    assert agent["queued_jobs"] == 0 and not agent["companies"][0]["online"]
    # Reads keep working from the replica.
    assert accounting.get_organisations(tenant).organisations[0].name == "Ashdown Mill Trading Ltd"
    # With a key: queued, 503 until the connector is back, then the final result; one posting.
    key = f"offline-{RUN}"
    with pytest.raises(HTTPStatusException) as queued:
        accounting.create_bank_transactions(tenant, spend, idempotency_key=key)
    assert queued.value.status == 503 and queued.value.headers["Retry-After"]
    (agent,) = stack.cli("agents", "list")
    assert agent["queued_jobs"] == 1
    stack.start_connector()
    done = until(lambda: _retry(accounting.create_bank_transactions, tenant, spend, idempotency_key=key),
                 seconds=60, step=0, what="the queued write's result")
    assert done.bank_transactions[0].total == Decimal("216.00")
    assert [h["TYPE"] for h in _by_ref(stack, f"O{RUN}")] == ["BP"]


def _retry(call, *args, **kwargs):
    """One retry of a write: its answer, or ``None`` after a 503 (and a one-second pause)."""
    try:
        return call(*args, **kwargs)
    except HTTPStatusException as exc:
        assert exc.status == 503, exc.body
        time.sleep(1)
        return None


def _spend(reference: str, amount: str = "10.00") -> BankTransactions:
    return BankTransactions(bank_transactions=[BankTransaction(
        type="SPEND", contact=Contact(name="Fault test"), bank_account=Account(code="1200"), date=TODAY,
        reference=reference, line_items=[LineItem(description="Sundries", quantity=1, unit_amount=Decimal(amount),
                                                  account_code="7502", tax_type="NONE")])])


@pytest.mark.parametrize("kind", ["logon_name_in_use", "accounts_busy", "logon_exclusive", "user_logged_on"])
def test_sage_busy_answers_503_and_the_keyed_retry_gets_the_posting(stack, session, monkeypatch, kind):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    if stack.connector is None:
        stack.start_connector()
    reference = f"{kind.split('_')[-1][:4].upper()}{RUN}"
    key = f"{kind}-{RUN}"
    if kind == "user_logged_on":  # not injected: a person is logged on to Sage as the connector's user
        holder = SageUser(stack.data_path, user="CONNECTOR").logged_on()
        holder.__enter__()
    else:
        control.inject(stack.data_path, kind, count=-1)
    try:
        with pytest.raises(HTTPStatusException) as busy:
            accounting.create_bank_transactions(tenant, _spend(reference), idempotency_key=key)
        assert busy.value.status == 503 and int(busy.value.headers["Retry-After"]) > 0
        assert "text/plain" in busy.value.headers["Content-Type"]
        assert not _by_ref(stack, reference)
    finally:
        if kind == "user_logged_on":
            holder.__exit__(None, None, None)
        else:
            control.clear_faults(stack.data_path)
    done = until(lambda: _retry(accounting.create_bank_transactions, tenant, _spend(reference),
                                idempotency_key=key), seconds=60, step=0, what="the posting after Sage is free")
    assert done.bank_transactions[0].total == Decimal("10.00")
    assert [h["TYPE"] for h in _by_ref(stack, reference)] == ["BP"]


def test_the_lock_date_is_a_validation_error(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    # Before COMPANY.CLOSED_LEDGER_CHECK_DATE (2025-01-01): refused by the gateway, nothing queued.
    old = _spend(f"L{RUN}")
    old.bank_transactions[0].date = date(2024, 12, 31)
    with pytest.raises(AccountingBadRequestException) as early:
        accounting.create_bank_transactions(tenant, old)
    assert "lock date" in early.value.reason
    # Sage's own refusal (its lock date moved under the gateway): the same answer, from the job's error.
    control.inject(stack.data_path, "closed_ledger", count=1)
    try:
        with pytest.raises(AccountingBadRequestException) as closed:
            accounting.create_bank_transactions(tenant, _spend(f"M{RUN}"))
    finally:
        control.clear_faults(stack.data_path)
    assert "lock date" in closed.value.reason
    assert not _by_ref(stack, f"M{RUN}")


def test_an_update_that_returns_true_without_a_number(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    customer = next(c for c in accounting.get_contacts(tenant).contacts if c.contact_number == "CRO001")
    control.inject(stack.data_path, "update_without_number", count=1, object_name="InvoicePost")
    try:
        draft = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
            type="ACCREC", contact=Contact(contact_id=customer.contact_id), date=TODAY, status="DRAFT",
            invoice_number=f"N{RUN}", line_items=[LineItem(description="Room hire", quantity=1,
                                                           unit_amount=Decimal("200.00"), account_code="4001",
                                                           tax_type="OUTPUT2")])])).invoices[0]
    finally:
        control.clear_faults(stack.data_path)
    assert ev(draft.status) == "DRAFT" and draft.total == Decimal("240.00")
    (document,) = stack.sage_rows("SELECT * FROM INVOICE WHERE NOTES_1 = ?", (f"N{RUN}",))
    assert document["INVOICE_NUMBER"] and Decimal(str(document["INVOICE_NET"])) == Decimal("200.00")
    assert accounting.get_invoice(tenant, draft.invoice_id).invoices[0].total == Decimal("240.00")


def test_prepayments_history_and_actions_through_the_sdk(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    if stack.connector is None:
        stack.start_connector()
    # A Sage user records money received on account, allocated to nothing: a Xero prepayment.
    SageUser(stack.data_path).post("SA", "BRI001", TODAY, inv_ref=f"A{RUN}", details="Deposit on account",
                                   lines=[("1200", Decimal("150.00"), Decimal("0"), 9)])
    prepayments = until(lambda: [p for p in accounting.get_prepayments(tenant).prepayments
                                 if p.reference == f"A{RUN}"], seconds=30, what="the prepayment")
    (prepayment,) = prepayments
    assert ev(prepayment.type) == "RECEIVE-PREPAYMENT" and prepayment.remaining_credit == Decimal("150.00")
    assert prepayment.contact.name == "Brigsteer Garden Centre"
    again = accounting.get_prepayment(tenant, prepayment.prepayment_id).prepayments[0]
    assert again.total == Decimal("150.00")
    # Part of it pays an invoice (AllocatePayment): that part becomes a Payment, the rest stays the prepayment.
    brigsteer = prepayment.contact.contact_id
    invoice = accounting.create_invoices(tenant, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=brigsteer), date=TODAY, status="AUTHORISED",
        invoice_number=f"G{RUN}", line_items=[LineItem(description="Plants", quantity=1,
                                                       unit_amount=Decimal("100.00"), account_code="4000",
                                                       tax_type="OUTPUT2")])])).invoices[0]
    (allocation,) = accounting.create_prepayment_allocations(tenant, prepayment.prepayment_id, Allocations(
        allocations=[Allocation(invoice=Invoice(invoice_id=invoice.invoice_id), amount=Decimal("100.00"),
                                date=TODAY)])).allocations
    assert allocation.amount == Decimal("100.00") and allocation.invoice.invoice_id == invoice.invoice_id
    (receipt,) = _by_ref(stack, f"A{RUN}")
    assert Decimal(str(receipt["OUTSTANDING"])).copy_abs() == Decimal("50.00")
    paid_split = _splits(stack, receipt["HEADER_NUMBER"])[0]["TRAN_NUMBER"]
    usages = stack.sage_rows("SELECT AMOUNT FROM AUDIT_USAGE WHERE SPLIT_CROSSREF = ?", (paid_split,))
    assert sum(Decimal(str(u["AMOUNT"])) for u in usages) == Decimal("100.00")
    assert accounting.get_prepayment(tenant, prepayment.prepayment_id).prepayments[0].remaining_credit == \
        Decimal("50.00")
    billed = accounting.get_invoice(tenant, invoice.invoice_id).invoices[0]
    assert billed.amount_due == Decimal("20.00") and [p.amount for p in billed.payments] == [Decimal("100.00")]
    records = accounting.get_prepayment_history(tenant, prepayment.prepayment_id).history_records
    assert [(r.changes, r.user) for r in records] == [("Created", "MANAGER"),
                                                      ("Credit Applied", stack.sage["sdo"]["user"])]
    (made,) = accounting.get_payment_history(tenant, billed.payments[0].payment_id).history_records
    assert made.changes == "Created" and "100.00" in made.details and f"G{RUN}" in made.details
    with pytest.raises(AccountingBadRequestException) as too_much:
        accounting.create_prepayment_allocations(tenant, prepayment.prepayment_id, Allocations(allocations=[
            Allocation(invoice=Invoice(invoice_id=invoice.invoice_id), amount=Decimal("60.00"), date=TODAY)]))
    assert "remaining credit" in too_much.value.reason

    golden = next(i for i in accounting.get_invoices(tenant, invoice_numbers=["24"]).invoices
                  if ev(i.status) != "DRAFT")
    records = accounting.get_invoice_history(tenant, golden.invoice_id).history_records
    assert [r.changes for r in records] == ["Created", "Paid"] and records[0].user == "MANAGER"
    assert "200.00" in records[1].details
    note = accounting.get_credit_notes(tenant).credit_notes[0]
    assert accounting.get_credit_note_history(tenant, note.credit_note_id).history_records[0].changes == "Created"

    actions = {a.name: a.status for a in accounting.get_organisation_actions(tenant).actions}
    assert actions["CreateApprovedInvoice"] == "ALLOWED" and actions["CreateDraftBill"] == "NOT-ALLOWED"


def test_a_keyless_write_the_connector_did_not_take_is_withdrawn(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    if stack.connector is None:
        stack.start_connector()
    until(lambda: all(c["online"] for a in stack.cli("agents", "list") for c in a["companies"]), seconds=20,
          what="the connector online")
    stack.stop_connector()  # still counted online for a few seconds: the write is queued, and nobody takes it
    with pytest.raises(HTTPStatusException) as unavailable:
        accounting.create_bank_transactions(tenant, _spend(f"W{RUN}"))
    assert unavailable.value.status == 503 and "nothing was posted" in str(unavailable.value.body)
    (agent,) = stack.cli("agents", "list")
    assert agent["queued_jobs"] == 0
    stack.start_connector()
    until(lambda: session.raw("GET", "/Organisation").headers["X-Sage50-Last-Sync"] and
          all(c["online"] for a in stack.cli("agents", "list") for c in a["companies"]), seconds=20,
          what="the connector back")
    time.sleep(3 * POLL_INTERVAL)  # polls in which a withdrawn job would have been served
    assert not _by_ref(stack, f"W{RUN}")


def test_revoking_the_connector(stack, session, monkeypatch):
    accounting, _ = session.api(monkeypatch)
    tenant = session.tenant
    if stack.connector is None:
        stack.start_connector()
    (agent,) = stack.cli("agents", "list")
    assert stack.cli("agents", "revoke", agent["agent_id"]) == {"agent_id": agent["agent_id"], "revoked": True}
    assert stack.connector.wait(30) == 1 and "revoked" in stack.log("connector")
    stack.connector = None
    with pytest.raises(HTTPStatusException) as gone:
        accounting.get_organisations(tenant)
    assert gone.value.status in (401, 403, 503)
    refreshed = requests.post(f"{stack.gw}/connect/token", timeout=30, auth=(
        session.connected["app"]["client_id"], session.connected["app"]["client_secret"]), data={
        "grant_type": "refresh_token", "refresh_token": session.store["token"]["refresh_token"]})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
