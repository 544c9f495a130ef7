"""Write jobs through the stand-in's fake SDO: results, the journal (never twice, also across a crash), faults."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from emulators.sage50 import control


def si(ref: str, *, date: str = "2025-12-15", net: str = "100.00", tax: str = "20.00", account: str = "ABS001"):
    return {"object": "TransactionPost", "action": "create", "reference": ref,
            "header": {"TYPE": 1, "ACCOUNT_REF": account, "DATE": date, "INV_REF": ref, "DETAILS": "Connector sale"},
            "items": [{"NOMINAL_CODE": "4000", "NET_AMOUNT": net, "TAX_AMOUNT": tax, "TAX_CODE": 1,
                       "DETAILS": "Widgets"}]}


def sa(ref: str, amount: str, *, account: str = "ABS001"):
    return {"object": "TransactionPost", "action": "create", "reference": ref,
            "header": {"TYPE": 4, "ACCOUNT_REF": account, "DATE": "2025-12-20", "INV_REF": ref,
                       "DETAILS": "Payment on account", "BANK_CODE": "1200"},
            "items": [{"NOMINAL_CODE": "1200", "NET_AMOUNT": amount, "TAX_AMOUNT": "0", "TAX_CODE": 9}]}


def headers_with(data_path, inv_ref: str) -> list[tuple]:
    with sqlite3.connect(data_path / "sage50.db") as conn:
        return conn.execute("SELECT HEADER_NUMBER, TYPE, NET_AMOUNT, TAX_AMOUNT FROM AUDIT_HEADER WHERE INV_REF = ?",
                            [inv_ref]).fetchall()


async def run_job(agent, fake, payload, **queue_args) -> tuple[str, dict]:
    key = agent.companies[0].company.company_key
    job_id = fake.queue(key, payload, **queue_args)
    await agent.run(once=True)
    return job_id, fake.results[job_id][-1]


async def test_transaction_post_is_written_and_its_rows_returned(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    _, result = await run_job(agent, fake, si("GW-0001"))

    assert result["status"] == "succeeded" and result["error"] is None
    [(number, kind, net, tax)] = headers_with(data_path, "GW-0001")
    assert (kind, net, tax) == ("SI", "100.00", "20.00")
    body = result["result"]
    assert body["header_number"] == number and body["account_ref"] == "ABS001"
    rows = body["rows"]
    assert [r["HEADER_NUMBER"] for r in rows["AUDIT_HEADER"] if r["INV_REF"] == "GW-0001"] == [number]
    assert {r["HEADER_NUMBER"] for r in rows["AUDIT_SPLIT"]} >= {number}
    assert sum(Decimal(r["AMOUNT"]) for r in rows["AUDIT_JOURNAL"] if r["HEADER_NUMBER"] == number) == 0
    assert "ABS001" in [r["ACCOUNT_REF"] for r in rows["SALES_LEDGER"]]  # its balance moved
    assert {"1100", "2200", "4000"} <= {r["ACCOUNT_REF"] for r in rows["NOMINAL_LEDGER"]}


async def test_a_job_served_again_is_answered_from_the_journal(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    fake.refuse_results = 1  # the first result post is lost: the lease expires, the job comes back
    key = agent.companies[0].company.company_key
    job_id = fake.queue(key, si("GW-0002"))
    await agent.run(once=True)
    assert job_id not in fake.results
    fake.requeue(job_id)
    await agent.run(once=True)
    fake.requeue(job_id)
    await agent.run(once=True)

    assert len(headers_with(data_path, "GW-0002")) == 1  # applied once
    first, second = fake.results[job_id]
    assert first == second and first["status"] == "succeeded"


async def test_a_new_job_with_the_same_idempotency_key_is_not_posted_again(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    _, first = await run_job(agent, fake, si("GW-0003"), idempotency_key="client-key-1")
    _, again = await run_job(agent, fake, si("GW-0003"), idempotency_key="client-key-1")
    assert again == first
    assert len(headers_with(data_path, "GW-0003")) == 1


class Crash(Exception):
    """The agent dies between SDO's Update and the journal's record of it."""


async def test_crash_after_update_is_recovered_by_reference_not_posted_again(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    key = agent.companies[0].company.company_key

    def crash(job_id, result):
        raise Crash(job_id)

    agent.state.finish_job = crash
    job_id = fake.queue(key, si("GW-0004"))
    with pytest.raises(Crash):
        await agent.run(once=True)
    [(number, *_)] = headers_with(data_path, "GW-0004")  # Sage has it; the gateway has no result
    assert job_id not in fake.results
    assert agent.state.job(job_id).state == "started"

    restarted = await make_agent()
    fake.requeue(job_id)
    await restarted.run(once=True)
    [result] = fake.results[job_id]
    assert result["status"] == "succeeded" and result["result"]["header_number"] == number
    assert any(r["INV_REF"] == "GW-0004" for r in result["result"]["rows"]["AUDIT_HEADER"])
    assert len(headers_with(data_path, "GW-0004")) == 1  # found by reference, not posted twice


async def test_crash_before_update_is_posted_on_restart(make_agent, gateway, data_path, monkeypatch):
    fake, _ = gateway
    agent = await make_agent()
    key = agent.companies[0].company.company_key
    import sage50_connector.jobs as jobs

    def dies(*args, **kwargs):
        raise Crash("before SDO")

    monkeypatch.setattr(jobs, "session", dies)
    job_id = fake.queue(key, si("GW-0005"))
    with pytest.raises(Crash):
        await agent.run(once=True)
    monkeypatch.undo()
    assert headers_with(data_path, "GW-0005") == []

    restarted = await make_agent()
    fake.requeue(job_id)
    await restarted.run(once=True)
    assert fake.results[job_id][-1]["status"] == "succeeded"
    assert len(headers_with(data_path, "GW-0005")) == 1


@pytest.mark.parametrize(("fault", "status", "code"), [
    ("logon_name_in_use", "retryable", "sdoLogonNameInUse"),
    ("logon_exclusive", "retryable", "sdoLogonExclusive"),
    ("accounts_busy", "retryable", "sdoFileLockedAccountsBusy"),
    ("closed_ledger", "failed", "sdoClosedLedgerDateControlError"),
])
async def test_sdo_faults_are_reported_with_their_codes_and_retry_cleanly(make_agent, gateway, data_path, fault,
                                                                          status, code):
    fake, _ = gateway
    agent = await make_agent()
    control.inject(data_path, fault)
    job_id, result = await run_job(agent, fake, si("GW-0006"))
    assert (result["status"], result["error"]["code"]) == (status, code)
    assert result["error"]["message"]
    assert headers_with(data_path, "GW-0006") == []
    assert fake.polls and agent.companies[0].error in (None, code)

    fake.requeue(job_id)  # the gateway serves it again once the condition passed
    await agent.run(once=True)
    assert fake.results[job_id][-1]["status"] == "succeeded"
    assert len(headers_with(data_path, "GW-0006")) == 1
    assert control.read(data_path)["faults"] == []


async def test_logon_name_in_use_is_reported_to_the_gateway_as_the_company_condition(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    control.inject(data_path, "logon_name_in_use")
    await run_job(agent, fake, si("GW-0007"))
    await agent.run(once=True)
    key = agent.companies[0].company.company_key
    assert fake.polls[-1]["status"][key]["error"] == "sdoLogonNameInUse"


async def test_a_date_before_the_lock_date_is_refused(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    _, result = await run_job(agent, fake, si("GW-0008", date="2024-06-30"))  # demo lock date 2025-01-01
    assert (result["status"], result["error"]["code"]) == ("failed", "sdoClosedLedgerDateControlError")
    assert headers_with(data_path, "GW-0008") == []


async def test_update_without_a_number_is_read_back_by_reference(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    control.inject(data_path, "update_without_number")
    _, result = await run_job(agent, fake, si("GW-0009"))
    [(number, *_)] = headers_with(data_path, "GW-0009")
    assert result["status"] == "succeeded" and result["result"]["header_number"] == number


async def test_allocation_per_split_and_over_allocation(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    _, invoice = await run_job(agent, fake, si("GW-0010", net="50.00", tax="10.00"))
    _, receipt = await run_job(agent, fake, sa("GW-PAY-10", "100.00"))
    paid = next(r["TRAN_NUMBER"] for r in invoice["result"]["rows"]["AUDIT_SPLIT"]
                if r["HEADER_NUMBER"] == invoice["result"]["header_number"])
    paying = next(r["TRAN_NUMBER"] for r in receipt["result"]["rows"]["AUDIT_SPLIT"]
                  if r["HEADER_NUMBER"] == receipt["result"]["header_number"])
    allocate = {"object": "AllocatePayment", "action": "create", "reference": "GW-PAY-10",
                "header": {"ACCOUNT_REF": "ABS001"},
                "items": [{"SPLIT_NUMBER": paid, "SPLIT_CROSSREF": paying, "AMOUNT": "60.00", "DATE": "2025-12-20"}]}
    _, result = await run_job(agent, fake, allocate)
    assert result["status"] == "succeeded"
    usage = result["result"]["rows"]["AUDIT_USAGE"]
    assert [(u["SPLIT_NUMBER"], u["SPLIT_CROSSREF"], u["AMOUNT"]) for u in usage] == [(paid, paying, "60.00")]
    split = next(r for r in result["result"]["rows"]["AUDIT_SPLIT"] if r["TRAN_NUMBER"] == paid)
    assert split["OUTSTANDING"] in ("0", "0.00") and split["PAID_FLAG"] == "Y"

    again = dict(allocate, items=[dict(allocate["items"][0], AMOUNT="1.00")])  # nothing left to allocate
    _, refused = await run_job(agent, fake, again)
    assert (refused["status"], refused["error"]["code"]) == ("failed", "sdoInvalidAllocation")


async def test_customer_records_are_created_and_updated(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    create = {"object": "SalesRecord", "action": "create", "reference": "NEWCO1",
              "header": {"ACCOUNT_REF": "NEWCO1", "NAME": "New Co Ltd", "CREDIT_LIMIT": "1500.00"}}
    _, created = await run_job(agent, fake, create)
    assert created["status"] == "succeeded" and created["result"]["account_ref"] == "NEWCO1"
    assert [r["NAME"] for r in created["result"]["rows"]["SALES_LEDGER"] if r["ACCOUNT_REF"] == "NEWCO1"] == [
        "New Co Ltd"]
    update = {"object": "SalesRecord", "action": "update", "reference": "NEWCO1",
              "header": {"ACCOUNT_REF": "NEWCO1", "NAME": "New Co Renamed Ltd"}}
    _, updated = await run_job(agent, fake, update)
    assert updated["status"] == "succeeded"
    with sqlite3.connect(data_path / "sage50.db") as conn:
        assert conn.execute("SELECT NAME FROM SALES_LEDGER WHERE ACCOUNT_REF = 'NEWCO1'").fetchall() == [
            ("New Co Renamed Ltd",)]
    _, duplicate = await run_job(agent, fake, create)
    assert (duplicate["status"], duplicate["error"]["code"]) == ("failed", "sdoAccountRefAlreadyExists")


async def test_invoice_document_returns_its_number(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    draft = {"object": "InvoicePost", "action": "create", "reference": "GW-DRAFT-1",
             "header": {"ACCOUNT_REF": "ABS001", "INVOICE_DATE": "2025-12-18", "INVOICE_TYPE_CODE": 1,
                        "CUST_ORDER_NUMBER": "GW-DRAFT-1"},
             "items": [{"DESCRIPTION": "Consulting", "NOMINAL_CODE": "4000", "NET_AMOUNT": "250.00",
                        "TAX_AMOUNT": "50.00", "TAX_CODE": 1, "SERVICE_FLAG": 1}]}
    _, result = await run_job(agent, fake, draft)
    assert result["status"] == "succeeded"
    number = result["result"]["invoice_number"]
    assert number and [r["INVOICE_NUMBER"] for r in result["result"]["rows"]["INVOICE"]
                       if r["CUST_ORDER_NUMBER"] == "GW-DRAFT-1"] == [number]
    assert [r["NET_AMOUNT"] for r in result["result"]["rows"]["INVOICE_ITEM"] if r["INVOICE_NUMBER"] == number] == [
        "250.00"]


async def test_a_job_for_an_unknown_company_fails(make_agent, gateway):
    fake, _ = gateway
    agent = await make_agent()
    job_id = fake.queue("0" * 64, si("GW-0011"))
    await agent.run(once=True)
    assert fake.results[job_id][-1]["error"]["code"] == "unknown_company"


async def test_an_allocation_served_again_after_a_partial_failure_never_allocates_twice(make_agent, gateway,
                                                                                        data_path):
    fake, _ = gateway
    agent = await make_agent()
    _, invoice = await run_job(agent, fake, si("GW-0012", net="50.00", tax="10.00"))
    _, receipt = await run_job(agent, fake, sa("GW-PAY-12", "40.00"))
    paid = next(r["TRAN_NUMBER"] for r in invoice["result"]["rows"]["AUDIT_SPLIT"]
                if r["HEADER_NUMBER"] == invoice["result"]["header_number"])
    paying = next(r["TRAN_NUMBER"] for r in receipt["result"]["rows"]["AUDIT_SPLIT"]
                  if r["HEADER_NUMBER"] == receipt["result"]["header_number"])
    item = {"SPLIT_NUMBER": paid, "SPLIT_CROSSREF": paying, "DATE": "2025-12-21"}
    allocate = {"object": "AllocatePayment", "reference": "GW-PAY-12", "header": {"ACCOUNT_REF": "ABS001"},
                "items": [dict(item, AMOUNT="30.00"), dict(item, AMOUNT="20.00")]}  # only 10.00 left for the 2nd
    job_id, first = await run_job(agent, fake, allocate)
    assert (first["status"], first["error"]["code"]) == ("failed", "sdoInvalidAllocation")
    fake.requeue(job_id)
    await agent.run(once=True)
    assert fake.results[job_id][-1]["error"]["code"] == "sdoInvalidAllocation"
    with sqlite3.connect(data_path / "sage50.db") as conn:
        usages = conn.execute("SELECT AMOUNT FROM AUDIT_USAGE WHERE SPLIT_NUMBER = ? AND SPLIT_CROSSREF = ?",
                              [paid, paying]).fetchall()
    assert usages == [("30.00",)]  # the first item once, not again on the re-serve


async def test_a_job_outside_the_protocol_is_reported_failed(make_agent, gateway):
    fake, _ = gateway
    agent = await make_agent()
    key = agent.companies[0].company.company_key
    job_id = fake.queue(key, {"object": "BankPost", "header": {}})  # not an object SDO offers (sage50.md §4)
    await agent.run(once=True)
    [result] = fake.results[job_id]
    assert (result["status"], result["error"]["code"]) == ("failed", "invalid_job")
