"""The official xero-python SDK, repointed at a gateway process, against the embedded native ledger (/1000).

Covers the promise of the foundation issue: client-credentials token, connections, organisation, accounts,
create a contact, create an invoice, read it back, a ``where`` filter, paging, a payment, a validation error, the
authorization-code flow with PKCE through the consent page, refresh with rotation, and revocation. Every
Accounting API response is validated against Xero's spec by the ``sdk_responses`` fixture.
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests
from xero_python.accounting import (
    Account,
    AccountingApi,
    Contact,
    Contacts,
    Invoice,
    Invoices,
    LineAmountTypes,
    LineItem,
    Payment,
)
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.exceptions import AccountingBadRequestException, HTTPStatusException
from xero_python.identity import IdentityApi

from .oauth_browser import authorize, pkce_pair

pytestmark = pytest.mark.slow

SCOPES = "openid profile email offline_access accounting.transactions accounting.contacts accounting.settings"


def ev(value):
    """The SDK returns spec enums as Enum members: compare their wire value."""
    return getattr(value, "value", value)


def repoint(monkeypatch, gw: str) -> None:
    """The README's recipe: the token URLs are class attributes of TokenApi (no other hook exists)."""
    monkeypatch.setattr(TokenApi, "refresh_token_url", gw + "/connect/token")
    monkeypatch.setattr(TokenApi, "client_credentials_token_url", gw + "/connect/token")
    monkeypatch.setattr(TokenApi, "revoke_token_url", gw + "/connect/revocation")


def sdk(gw: str, client_id: str, client_secret: str, store: dict):
    # xero-python's Configuration is a process-wide singleton: set the token object on it, not in __init__.
    configuration = Configuration()
    configuration.oauth2_token = OAuth2Token(client_id=client_id, client_secret=client_secret)
    api_client = ApiClient(
        configuration,
        pool_threads=1,
        oauth2_token_getter=lambda: store.get("token"),
        oauth2_token_saver=lambda token: store.update(token=token),
    )
    return api_client, AccountingApi(api_client, base_url=gw + "/api.xro/2.0"), IdentityApi(api_client, base_url=gw)


@pytest.fixture(scope="module")
def custom_app(gateway):
    return gateway.cli_json("apps", "create", "--name", "E2E Custom Connection", "--custom-connection",
                            "--code", "1000", "--tenant", gateway.tenant_id,
                            "--scopes", "accounting.transactions accounting.contacts accounting.settings")


def test_custom_connection_bookkeeping(gateway, custom_app, monkeypatch, sdk_responses):
    gw = gateway.gw("1000")
    repoint(monkeypatch, gw)
    store: dict = {}
    api_client, accounting, identity = sdk(gw, custom_app["client_id"], custom_app["client_secret"], store)

    token = api_client.get_client_credentials_token()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert "refresh_token" not in token or not token["refresh_token"]
    assert set(token["scope"].split() if isinstance(token["scope"], str) else token["scope"]) >= {
        "accounting.transactions"}

    connections = identity.get_connections()
    assert [c.tenant_id for c in connections] == [gateway.tenant_id]
    tenant = str(connections[0].tenant_id)

    org = accounting.get_organisations(tenant).organisations[0]
    assert org.name == "Demo Company (UK)" and ev(org.base_currency) == "GBP"

    accounts = accounting.get_accounts(tenant).accounts
    codes = {a.code: a for a in accounts}
    assert ev(codes["200"].type) == "REVENUE" and ev(codes["090"].type) == "BANK"
    sales = accounting.get_accounts(tenant, where='Code=="200"').accounts
    assert [a.code for a in sales] == ["200"]

    name = f"E2E Customer {secrets.token_hex(4)}"
    created = accounting.create_contacts(tenant, Contacts(contacts=[Contact(name=name, email_address="ap@e2e.test")]))
    contact = created.contacts[0]
    assert contact.name == name and contact.contact_id

    today = date.today()
    invoice = Invoice(
        type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=today, due_date=today + timedelta(days=30),
        line_amount_types=LineAmountTypes.EXCLUSIVE, status="AUTHORISED", reference="E2E-1",
        line_items=[LineItem(description="Consulting", quantity=Decimal("2"), unit_amount=Decimal("50.00"),
                             account_code="200", tax_type="OUTPUT2")])
    made = accounting.create_invoices(tenant, Invoices(invoices=[invoice])).invoices[0]
    assert made.total == Decimal("120.00") and made.total_tax == Decimal("20.00")
    assert ev(made.status) == "AUTHORISED" and made.invoice_number

    again = accounting.get_invoice(tenant, made.invoice_id).invoices[0]
    assert again.invoice_id == made.invoice_id and again.date == today
    assert again.amount_due == Decimal("120.00") and len(again.line_items) == 1

    mine = accounting.get_invoices(tenant, where=f'Contact.ContactID==Guid("{contact.contact_id}")').invoices
    assert [i.invoice_id for i in mine] == [made.invoice_id]

    page1 = accounting.get_invoices(tenant, page=1, page_size=10, order="InvoiceNumber ASC")
    page2 = accounting.get_invoices(tenant, page=2, page_size=10, order="InvoiceNumber ASC")
    assert len(page1.invoices) == 10 and len(page2.invoices) == 10
    assert not {i.invoice_id for i in page1.invoices} & {i.invoice_id for i in page2.invoices}
    assert page1.pagination.page == 1 and page1.pagination.page_size == 10
    assert page1.pagination.item_count > 100 and page1.pagination.page_count >= 11

    payment = accounting.create_payment(tenant, Payment(
        invoice=Invoice(invoice_id=made.invoice_id), account=Account(code="090"), date=today,
        amount=Decimal("120.00"))).payments[0]
    assert payment.amount == Decimal("120.00")
    assert ev(accounting.get_invoice(tenant, made.invoice_id).invoices[0].status) == "PAID"

    bad = Invoice(type="ACCREC", contact=Contact(contact_id=contact.contact_id), date=today, due_date=today,
                  line_items=[LineItem(description="x", quantity=1, unit_amount=1, account_code="99999")])
    with pytest.raises(AccountingBadRequestException) as err:
        accounting.create_invoices(tenant, Invoices(invoices=[bad]))
    assert "99999" in err.value.reason
    assert len(accounting.get_invoices(tenant, where=f'Contact.ContactID==Guid("{contact.contact_id}")').invoices) == 1


def test_wrong_tenant_and_missing_token_are_refused(gateway, custom_app, monkeypatch):
    gw = gateway.gw("1000")
    repoint(monkeypatch, gw)
    store: dict = {}
    api_client, accounting, _ = sdk(gw, custom_app["client_id"], custom_app["client_secret"], store)
    api_client.get_client_credentials_token()
    with pytest.raises(HTTPStatusException) as err:
        accounting.get_organisations("00000000-0000-0000-0000-000000000001")
    assert err.value.status == 403
    bare = requests.get(gw + "/api.xro/2.0/Organisation", headers={"xero-tenant-id": gateway.tenant_id}, timeout=30)
    assert bare.status_code == 401 and bare.json()["Title"] == "Unauthorized"


def test_authorization_code_pkce_refresh_rotation_and_revocation(gateway, monkeypatch, sdk_responses):
    gw = gateway.gw("1000")
    repoint(monkeypatch, gw)
    redirect_uri = "http://127.0.0.1:9/xero/callback"
    app = gateway.cli_json("apps", "create", "--name", "E2E Web App", "--redirect-uri", redirect_uri)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    callback = authorize(gw, client_id=app["client_id"], redirect_uri=redirect_uri, scope=SCOPES, state=state,
                         challenge=challenge, email="demo@xero-gateway.local", password="demo-ledger-password")
    assert callback["state"] == [state] and "code" in callback
    assert set(callback["scope"][0].split()) == set(SCOPES.split())

    token_response = requests.post(gw + "/connect/token", auth=(app["client_id"], app["client_secret"]), data={
        "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": redirect_uri,
        "code_verifier": verifier}, timeout=30)
    assert token_response.status_code == 200, token_response.text
    token = token_response.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert set(token["scope"].split()) == set(SCOPES.split())
    assert token["refresh_token"] and token["id_token"]

    # The stored token as an app keeps it: scope as a list, already expired, so the SDK refreshes first.
    first_refresh = token["refresh_token"]
    store = {"token": {**token, "scope": token["scope"].split(), "expires_at": time.time() - 10}}
    api_client, accounting, identity = sdk(gw, app["client_id"], app["client_secret"], store)
    connections = identity.get_connections()
    assert store["token"]["refresh_token"] != first_refresh  # rotated
    assert [str(c.tenant_id) for c in connections] == [gateway.tenant_id]
    assert accounting.get_organisations(gateway.tenant_id).organisations[0].name == gateway.tenant_name

    # Within the 30-minute grace the previous refresh token still works (a client that lost the response).
    grace = requests.post(gw + "/connect/token", data={
        "grant_type": "refresh_token", "refresh_token": first_refresh, "client_id": app["client_id"],
        "client_secret": app["client_secret"], "scope": "openid"}, timeout=30)
    assert grace.status_code == 200, grace.text
    assert set(grace.json()["scope"].split()) == set(SCOPES.split())  # never narrowed

    last_refresh = store["token"]["refresh_token"]
    api_client.revoke_oauth2_token()
    after = requests.get(gw + "/connections", headers={
        "Authorization": f"Bearer {store['token']['access_token']}"}, timeout=30)
    assert after.status_code in (200, 401)
    assert after.status_code == 401 or after.json() == []
    with pytest.raises(HTTPStatusException) as err:
        accounting.get_organisations(gateway.tenant_id)
    assert err.value.status in (401, 403)
    dead = requests.post(gw + "/connect/token", data={
        "grant_type": "refresh_token", "refresh_token": last_refresh,
        "client_id": app["client_id"], "client_secret": app["client_secret"]}, timeout=30)
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"

    # The code is single use. Checked last: a replayed code revokes the tokens issued from it (RFC 6749 §4.1.2).
    reused = requests.post(gw + "/connect/token", auth=(app["client_id"], app["client_secret"]), data={
        "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": redirect_uri,
        "code_verifier": verifier}, timeout=30)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
