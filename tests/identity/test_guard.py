"""``authenticate_api_call``: token, tenant and scope checks with Xero's error shapes (xero-contract §3)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .fake_adapter import OTHER_TENANT, TENANT_A, TENANT_B, USER_ID
from .helpers import claims_of

TRANSACTIONS = "accounting.transactions,accounting.transactions.read"


async def test_valid_call_returns_the_request_context(gw):
    app, token = await gw.user_token()
    status, ctx = await gw.guard(token["access_token"], tenant=TENANT_B.upper(), tenant_header="Xero-Tenant-Id")
    assert status == 200, ctx
    assert ctx == {"source_code": "1000", "tenant_id": TENANT_B, "client_id": app["client_id"],
                   "app_name": "Test App", "user_id": USER_ID, "scopes": sorted(token["scope"].split())}
    status, ctx = await gw.guard(token["access_token"], tenant=TENANT_A.replace("-", ""))
    assert status == 200 and ctx["tenant_id"] == TENANT_A


async def test_missing_or_invalid_token_is_401(gw):
    status, body = await gw.guard(None, tenant=TENANT_A)
    assert status == 401
    assert body["Title"] == "Unauthorized" and body["Status"] == 401 and body["Detail"] == "AuthenticationUnsuccessful"
    assert set(body) == {"Type", "Title", "Status", "Detail", "Instance", "Extensions"}
    app, token = await gw.user_token()
    head, payload, signature = token["access_token"].split(".")
    tampered = f"{head}.{payload}.{signature[:-4]}AAAA"
    status, body = await gw.guard(tampered, tenant=TENANT_A)
    assert status == 401 and body["Detail"] == "AuthenticationUnsuccessful"
    status, body = await gw.guard(token["id_token"], tenant=TENANT_A)  # wrong audience
    assert status == 401
    response = await gw.get("/_test/guard", headers={"Authorization": f"Basic {token['access_token']}",
                                                      "xero-tenant-id": TENANT_A})
    assert response.status == 401


async def test_expired_token_is_401_token_expired(gw):
    app, token = await gw.user_token()
    exp = claims_of(token["access_token"], gw.state)["exp"]
    gw.state.clock.advance(1801)
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401
    expected = datetime.fromtimestamp(exp, UTC).strftime("%m/%d/%Y %H:%M:%S")
    assert body["Detail"] == f"TokenExpired: token expired at {expected}"
    assert re.match(r"^TokenExpired: token expired at \d\d/\d\d/\d{4} \d\d:\d\d:\d\d$", body["Detail"])


async def test_token_of_another_source_code_is_401(gw):
    app, token = await gw.user_token()
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A, code="1001")
    assert status == 401 and body["Detail"] == "AuthenticationUnsuccessful"


async def test_missing_bad_or_unknown_tenant_is_403(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    for tenant in (None, "", "not-a-guid", TENANT_B, OTHER_TENANT):
        status, body = await gw.guard(token["access_token"], tenant=tenant)
        assert status == 403, tenant
        assert body["Title"] == "Forbidden" and body["Detail"] == "AuthenticationUnsuccessful"


async def test_tenant_not_required(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    status, ctx = await gw.guard(token["access_token"], tenant=None, tenant_required=False)
    assert status == 200 and ctx["tenant_id"] == ""


async def test_missing_scope_is_403_authorization_unsuccessful(gw):
    app, token = await gw.user_token(scope="openid offline_access accounting.contacts.read", tenants=[TENANT_A])
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A, scopes=TRANSACTIONS)
    assert status == 403 and body["Detail"] == "AuthorizationUnsuccessful"
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A, path="/Contacts",
                               scopes="accounting.contacts,accounting.contacts.read")
    assert status == 200
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A, path="/Contacts",
                                  scopes="accounting.contacts")  # a write needs the read-write scope
    assert status == 403 and body["Detail"] == "AuthorizationUnsuccessful"


async def test_granular_scopes_are_accepted(gw):
    app, token = await gw.user_token(scope="openid accounting.invoices.read accounting.reports.balancesheet.read",
                                     tenants=[TENANT_A])
    access = token["access_token"]
    ok = [("/Invoices/{InvoiceID}", TRANSACTIONS), ("/CreditNotes", TRANSACTIONS),
          ("/Items", "accounting.settings,accounting.settings.read"),
          ("/Reports/BalanceSheet", "accounting.reports.read")]
    refused = [("/Invoices", "accounting.transactions"),  # a write
               ("/Payments", TRANSACTIONS), ("/BankTransactions", TRANSACTIONS),
               ("/Reports/ProfitAndLoss", "accounting.reports.read"),
               ("/Invoices/{InvoiceID}/Attachments", "accounting.attachments,accounting.attachments.read"),
               ("/Accounts", "accounting.settings,accounting.settings.read")]
    for path, scopes in ok:
        status, body = await gw.guard(access, tenant=TENANT_A, path=path, scopes=scopes)
        assert status == 200, (path, body)
    for path, scopes in refused:
        status, body = await gw.guard(access, tenant=TENANT_A, path=path, scopes=scopes)
        assert status == 403 and body["Detail"] == "AuthorizationUnsuccessful", path


async def test_revoked_app_loses_access_at_once(gw):
    from gateway.identity import apps

    app, token = await gw.user_token()
    await apps.revoke_app(gw.state.db, app["client_id"])
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401
    status, body = await gw.refresh(app, token["refresh_token"])
    assert status in (400, 401) and body["error"] in ("invalid_grant", "invalid_client")

