"""The partner API's routes on the demo ledger: reads, paging, scopes, postings, idempotency and lock dates; every
answer validated against ``adapters/native/partner/web/openapi.json`` (:mod:`tests.partner.spec`)."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.native.demo.company import DEMO_TENANT_ID
from adapters.native.tables.core import Company
from gateway import appkeys

from .conftest import demo_credentials
from .connect import connect
from .spec import PartnerCaller

pytestmark = pytest.mark.asyncio(loop_scope="package")

C = f"/companies/{DEMO_TENANT_ID}"


async def _chart(api: PartnerCaller) -> tuple[list[dict], list[dict]]:
    accounts = (await api.get(f"{C}/accounts?limit=500")).body["data"]
    banks = (await api.get(f"{C}/bank-accounts")).body["data"]
    return accounts, banks


def _first(accounts: list[dict], classification: str) -> dict:
    return next(a for a in accounts if a["classification"] == classification and a["status"] == "active"
                and not a["isBankAccount"])


async def test_every_read_answers_its_documented_shape(api):
    companies = await api.get("/companies")
    assert [c["id"] for c in companies.body["data"]] == [DEMO_TENANT_ID]
    assert (await api.get(C)).body["baseCurrency"] == "GBP"
    for path in ("accounts", "bank-accounts", "journal-entries", "journal-lines", "bank-transactions",
                 "reconciliations", "reports/profit-and-loss?fromDate=2026-01-01&toDate=2026-12-31",
                 "reports/balance-sheet?asOf=2026-12-31", "reports/trial-balance", "reports/general-ledger"):
        answer = await api.get(f"{C}/{path}")
        assert answer.status == 200, (path, answer.body)
    trial = (await api.get(f"{C}/reports/trial-balance")).body
    assert trial["totalDebitCents"] == trial["totalCreditCents"] > 0
    sheet = (await api.get(f"{C}/reports/balance-sheet")).body
    assert sheet["totalAssetsCents"] == sheet["totalLiabilitiesAndEquityCents"]


async def test_lists_page_with_limit_and_cursor_without_gaps_or_repeats(api):
    everything = (await api.get(f"{C}/journal-entries?limit=500")).body
    assert everything["nextCursor"] is None and 7 < len(everything["data"]) < 500
    seen, cursor = [], None
    for _ in range(100):  # bounded: fewer than 500 entries make fewer than 72 pages of 7
        page = (await api.get(f"{C}/journal-entries?limit=7" + (f"&cursor={cursor}" if cursor else ""))).body
        assert len(page["data"]) <= 7
        seen += [entry["number"] for entry in page["data"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [entry["number"] for entry in everything["data"]]
    assert seen == sorted(set(seen))


async def test_updated_since_keeps_later_changes_only(api):
    txs = (await api.get(f"{C}/bank-transactions?limit=500")).body["data"]
    moments = sorted({t["updatedAt"] for t in txs})
    since = moments[len(moments) // 2]
    later = (await api.get(f"{C}/bank-transactions?limit=500&updatedSince={since}")).body["data"]
    assert {t["id"] for t in later} == {t["id"] for t in txs if t["updatedAt"] >= since}
    assert 0 < len(later) < len(txs)


async def test_bad_paging_parameters_are_invalid_requests(api):
    for query in ("limit=0", "limit=501", "limit=x", "cursor=%%%", "updatedSince=yesterday"):
        answer = await api.get(f"{C}/accounts?{query}")
        assert answer.status == 400 and answer.body["error"]["code"] == "invalid_request", query


async def test_tokens_and_companies_are_checked(api, stack):
    assert (await api.get("/companies", token="not-a-token")).body["error"]["code"] == "invalid_token"
    unknown = await api.get("/companies/00000000-0000-0000-0000-000000000000/accounts")
    assert unknown.status == 404 and unknown.body["error"] == {
        "code": "not_found", "message": unknown.body["error"]["message"], "retryable": False}


async def test_each_route_needs_its_scope(stack):
    email, password = demo_credentials(stack)
    narrow = await connect(stack.gateway, email=email, password=password, scope="companies:read reports:read")
    api = PartnerCaller(stack.gateway, narrow.access_token)
    assert (await api.get("/companies")).status == 200
    assert (await api.get(f"{C}/reports/trial-balance")).status == 200
    for path in ("accounts", "journal-entries", "bank-accounts", "bank-transactions", "reconciliations"):
        answer = await api.get(f"{C}/{path}")
        assert answer.status == 403 and answer.body["error"]["code"] == "missing_scope", path
    refused = await api.post(f"{C}/journal-entries", {}, key="k")
    assert refused.status == 403 and refused.body["error"]["code"] == "missing_scope"


async def test_purchase_is_idempotent_and_a_new_body_under_the_same_key_conflicts(api):
    accounts, banks = await _chart(api)
    body = {"bankAccountId": banks[0]["id"], "date": "2026-11-03", "contactName": "Paper Mill Ltd",
            "reference": "INV-77", "lines": [{"accountId": _first(accounts, "expense")["id"], "amountCents": 4321,
                                               "description": "Copier paper"}]}
    for key in (None, "", "k" * 121):
        missing = await api.post(f"{C}/purchases", body, key=key)
        assert missing.status == 400 and missing.body["error"]["code"] == "idempotency_key_required", key
    first = await api.post(f"{C}/purchases", body, key="purchase-1")
    assert first.status == 201 and first.body["idempotentReplay"] is False
    assert set(first.body["affectedAccountIds"]) == {banks[0]["id"], _first(accounts, "expense")["id"]}
    again = await api.post(f"{C}/purchases", body, key="purchase-1")
    assert again.status == 200 and again.body == {**first.body, "idempotentReplay": True}
    conflict = await api.post(f"{C}/purchases", {**body, "reference": "INV-78"}, key="purchase-1")
    assert conflict.status == 409 and conflict.body["error"]["code"] == "idempotency_conflict"
    txs = (await api.get(f"{C}/bank-transactions?limit=500")).body["data"]
    assert [t["reference"] for t in txs].count("INV-77") == 1
    made = next(t for t in txs if t["id"] == first.body["bankTransactionIds"][0])
    assert made["type"] == "purchase" and made["totalCents"] == 4321
    entry = next(e for e in (await api.get(f"{C}/journal-entries?limit=500")).body["data"]
                 if e["id"] == first.body["journalEntryId"])
    assert entry["sourceType"] == "purchase" and sum(line["amountCents"] for line in entry["lines"]) == 0


async def test_deposit_transfer_and_journal_entry_post(api):
    accounts, banks = await _chart(api)
    deposit = await api.post(f"{C}/deposits", {
        "bankAccountId": banks[0]["id"], "date": "2026-11-04", "contactName": "Interest Payer",
        "lines": [{"accountId": _first(accounts, "revenue")["id"], "amountCents": 1500}]}, key="deposit-1")
    assert deposit.status == 201 and len(deposit.body["bankTransactionIds"]) == 1
    transfer = await api.post(f"{C}/transfers", {"fromBankAccountId": banks[0]["id"],
                                                  "toBankAccountId": banks[1]["id"], "amountCents": 2500,
                                                  "date": "2026-11-05"}, key="transfer-1")
    assert transfer.status == 201 and len(transfer.body["bankTransactionIds"]) == 2
    assert set(transfer.body["affectedAccountIds"]) == {banks[0]["id"], banks[1]["id"]}
    expense, liability = _first(accounts, "expense"), _first(accounts, "liability")
    journal = await api.post(f"{C}/journal-entries", {
        "date": "2026-11-06", "memo": "Accrue audit fee",
        "lines": [{"accountId": expense["id"], "amountCents": 90000}, {"accountId": liability["id"],
                                                                       "amountCents": -90000}]}, key="je-1")
    assert journal.status == 201 and journal.body["bankTransactionIds"] == []
    assert set(journal.body["affectedAccountIds"]) == {expense["id"], liability["id"]}


async def test_invalid_postings_are_validation_failures(api):
    accounts, banks = await _chart(api)
    cases = [
        ("journal-entries", {"date": "2026-11-06", "memo": "x", "lines": [
            {"accountId": accounts[0]["id"], "amountCents": 100},
            {"accountId": accounts[1]["id"], "amountCents": -99}]}),
        ("purchases", {"bankAccountId": banks[0]["id"], "date": "2026-11-06", "contactName": "X",
                       "lines": [{"accountId": accounts[0]["id"], "amountCents": 12.5}]}),
        ("transfers", {"fromBankAccountId": banks[0]["id"], "toBankAccountId": banks[0]["id"], "amountCents": 100,
                       "date": "2026-11-06"}),
        ("deposits", {"bankAccountId": banks[0]["id"], "date": "06/11/2026", "contactName": "X",
                      "lines": [{"accountId": accounts[0]["id"], "amountCents": 100}]}),
    ]
    for n, (path, body) in enumerate(cases):
        answer = await api.post(f"{C}/{path}", body, key=f"bad-{n}")
        assert answer.status == 422 and answer.body["error"]["code"] == "validation_failed", (path, answer.body)


async def test_postings_in_a_locked_period_are_refused(api, stack):
    accounts, banks = await _chart(api)
    adapter = await stack.gateway.app[appkeys.SOURCES].get("1000")
    async with adapter._session() as session, session.begin():  # noqa: SLF001 - lock dates have no Xero writer
        (await session.get(Company, DEMO_TENANT_ID)).period_lock_date = dt.date(2026, 2, 28)
    try:
        answer = await api.post(f"{C}/purchases", {
            "bankAccountId": banks[0]["id"], "date": "2026-02-10", "contactName": "Late Supplier",
            "lines": [{"accountId": _first(accounts, "expense")["id"], "amountCents": 100}]}, key="locked-1")
        assert answer.status == 422 and answer.body["error"]["code"] == "accounting_period_locked"
        assert (await api.get(C)).body["lockDate"] == "2026-02-28"
    finally:
        async with adapter._session() as session, session.begin():  # noqa: SLF001
            (await session.get(Company, DEMO_TENANT_ID)).period_lock_date = None


async def test_unknown_partner_route_is_a_partner_not_found(stack, partner):
    resp = await stack.gateway.get("/ledger/api/v1/nothing-here", headers=partner.headers)
    assert resp.status == 404 and (await resp.json())["error"]["code"] == "not_found"
    served = await stack.gateway.get("/ledger/api/openapi.json")
    assert (await served.json())["servers"] == [{"url": "/ledger/api/v1"}]


async def test_bad_input_gets_partner_errors_never_a_500(api):
    accounts, banks = await _chart(api)
    expense = _first(accounts, "expense")["id"]
    cases = [
        ({"bankAccountId": "not-a-guid", "date": "2026-11-06", "contactName": "X",
          "lines": [{"accountId": expense, "amountCents": 100}]}, 422),
        ({"bankAccountId": banks[0]["id"], "date": "2026-02-30", "contactName": "X",
          "lines": [{"accountId": expense, "amountCents": 100}]}, 422),
        ({"bankAccountId": banks[0]["id"], "date": "2026-11-06", "contactName": "X",
          "lines": [{"accountId": 42, "amountCents": 100}]}, 422),
        ({"bankAccountId": banks[0]["id"], "date": "2026-11-06", "lines": [{"accountId": expense,
                                                                          "amountCents": 100}]}, 422),
        ([{"bankAccountId": banks[0]["id"]}], 400),
    ]
    for n, (body, status) in enumerate(cases):
        answer = await api.post(f"{C}/purchases", body, key=f"bad-input-{n}")
        assert answer.status == status and answer.body["error"]["retryable"] is False, (body, answer.body)
