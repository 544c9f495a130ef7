"""Incremental sync against the stand-in: order, keyset pages, watermarks, deletions, a refused final page."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal

from sage50_connector.tables import BY_NAME, SYNCED_TABLES

from emulators.sage50.sageuser import SageUser

ORDER = [t.name for t in SYNCED_TABLES]


def _count(data_path, table: str) -> int:
    with sqlite3.connect(data_path / "sage50.db") as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - test table names


def _later(seconds: int = 5):
    at = dt.datetime.now().replace(microsecond=0) + dt.timedelta(seconds=seconds)
    return lambda: at


async def test_first_sync_sends_every_table_in_protocol_order_with_keyset_pages(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent(page_size=40)
    await agent.sync_all()
    key = agent.companies[0].company.company_key

    tables_in_order = list(dict.fromkeys(b["table"] for b in fake.batches))
    assert tables_in_order == ORDER  # reference data, ledgers, transactions (protocol v1)
    for table in ORDER:
        pages = [b for b in fake.batches if b["table"] == table]
        assert [p["final"] for p in pages] == [False] * (len(pages) - 1) + [True]
        assert all(len(p["rows"]) <= 40 for p in pages)
        keys = [tuple(r[k] for k in BY_NAME[table].key) for p in pages for r in p["rows"]]
        assert keys == sorted(keys) and len(keys) == len(set(keys))  # keyed by id: ascending, no overlap
        assert len(fake.rows(key, table)) == _count(data_path, table)
    assert len([b for b in fake.batches if b["table"] == "AUDIT_JOURNAL"]) > 2  # really paged


async def test_values_are_protocol_typed(make_agent, gateway):
    fake, _ = gateway
    agent = await make_agent()
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    splits = fake.rows(key, "AUDIT_SPLIT")
    golden = next(r for r in splits.values() if r["NET_AMOUNT"] == "12.56")  # Zynk's SI (sage50.md §9.5)
    assert golden["TAX_AMOUNT"] == "2.43" and isinstance(golden["TRAN_NUMBER"], int)
    assert Decimal(golden["NET_AMOUNT"]) + Decimal(golden["TAX_AMOUNT"]) == Decimal("14.99")
    assert dt.date.fromisoformat(golden["DATE"]) and dt.datetime.fromisoformat(golden["RECORD_MODIFY_DATE"])
    page = next(b for b in fake.batches if b["table"] == "AUDIT_SPLIT")
    assert dt.datetime.fromisoformat(page["watermark"]) == max(
        dt.datetime.fromisoformat(r["RECORD_MODIFY_DATE"]) for r in page["rows"])


async def test_unchanged_company_sends_nothing_and_a_change_sends_only_its_row(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    fake.batches.clear()

    await agent.sync_all()
    assert fake.batches == []  # probes only: no table changed

    SageUser(data_path, clock=_later()).rename_customer("ABS001", "Absolute Renamed Ltd")
    await agent.sync_all()
    assert [(b["table"], [r["ACCOUNT_REF"] for r in b["rows"]], b["final"]) for b in fake.batches] == [
        ("SALES_LEDGER", ["ABS001"], True)]
    assert fake.rows(key, "SALES_LEDGER")[json.dumps(["ABS001"])]["NAME"] == "Absolute Renamed Ltd"


async def test_a_change_within_the_watermark_second_is_picked_up(make_agent, gateway, data_path):
    fake, _ = gateway
    with sqlite3.connect(data_path / "sage50.db") as conn:  # BRI001 last edited long ago
        conn.execute("UPDATE SALES_LEDGER SET RECORD_MODIFY_DATE = '2025-01-01 08:00:00' WHERE ACCOUNT_REF = 'BRI001'")
    agent = await make_agent()
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    mark = agent.state.watermark(key, "SALES_LEDGER").modified
    fake.batches.clear()

    SageUser(data_path, clock=lambda: mark).rename_customer("BRI001", "Same Second Ltd")  # stamped at the mark
    await agent.sync_all()
    sent = {r["ACCOUNT_REF"]: r for b in fake.batches if b["table"] == "SALES_LEDGER" for r in b["rows"]}
    assert sent["BRI001"]["NAME"] == "Same Second Ltd"


async def test_new_postings_and_deletions_are_synced(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent()
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    fake.batches.clear()
    user = SageUser(data_path, clock=_later())
    user.edit("SALES_LEDGER", "BRI001", NAME="Touched")  # delete needs an account without transactions:
    with sqlite3.connect(data_path / "sage50.db") as conn:
        ref = conn.execute("SELECT ACCOUNT_REF FROM SALES_LEDGER WHERE ACCOUNT_REF NOT IN "
                           "(SELECT ACCOUNT_REF FROM AUDIT_HEADER)").fetchone()
    if ref is None:  # every demo customer trades: add one to delete
        with sqlite3.connect(data_path / "sage50.db") as conn:
            conn.execute("INSERT INTO SALES_LEDGER (ACCOUNT_REF, NAME, RECORD_CREATE_DATE, RECORD_MODIFY_DATE) "
                         "VALUES ('GONE01', 'Gone Ltd', ?, ?)", [str(dt.datetime.now().replace(microsecond=0))] * 2)
        await agent.sync_all()
        assert json.dumps(["GONE01"]) in fake.rows(key, "SALES_LEDGER")
        ref = ("GONE01",)
    user.delete("SALES_LEDGER", ref[0])
    posted = user.post("SI", "ABS001", dt.date(2025, 12, 30), inv_ref="LATE-1", details="Late sale",
                       lines=[("4000", Decimal("10.00"), Decimal("2.00"), 1)])
    fake.batches.clear()
    await agent.sync_all()

    final = next(b for b in fake.batches if b["table"] == "SALES_LEDGER" and b["final"])
    assert final["deleted"] == [ref[0]]
    assert json.dumps([ref[0]]) not in fake.rows(key, "SALES_LEDGER")
    headers = [r for b in fake.batches if b["table"] == "AUDIT_HEADER" for r in b["rows"]]
    assert [r["HEADER_NUMBER"] for r in headers] == [posted.header_number]
    assert fake.rows(key, "AUDIT_HEADER")[json.dumps([posted.header_number])]["INV_REF"] == "LATE-1"
    assert {r["TRAN_NUMBER"] for b in fake.batches if b["table"] == "AUDIT_SPLIT" for r in b["rows"]} == set(
        posted.tran_numbers)


async def test_a_refused_final_page_keeps_the_watermark_and_later_tables_wait(make_agent, gateway, data_path):
    fake, _ = gateway
    agent = await make_agent(page_size=2)
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    before = agent.state.watermark(key, "SALES_LEDGER")

    user = SageUser(data_path, clock=_later())
    for ref in ("ABS001", "BRI001", "CRO001"):
        user.edit("SALES_LEDGER", ref, NAME=f"{ref} renamed")
    user.post("SI", "ABS001", dt.date(2025, 12, 30), inv_ref="LATE-2", details="After refusal",
              lines=[("4000", Decimal("5.00"), Decimal("1.00"), 1)])
    fake.refuse_sync = lambda body: 503 if body["table"] == "SALES_LEDGER" and body["final"] else None
    fake.batches.clear()
    await agent.sync_all()

    assert agent.state.watermark(key, "SALES_LEDGER") == before  # not moved: the final page was refused
    assert [b["final"] for b in fake.batches if b["table"] == "SALES_LEDGER"] == [False]  # first page went
    assert not any(b["table"].startswith("AUDIT_") for b in fake.batches)  # transactions wait for the ledger

    fake.refuse_sync = None
    fake.batches.clear()
    await agent.sync_all()
    sent = [r["ACCOUNT_REF"] for b in fake.batches if b["table"] == "SALES_LEDGER" for r in b["rows"]]
    assert sorted(sent) == ["ABS001", "BRI001", "CRO001"]  # the whole window again, nothing lost
    assert agent.state.watermark(key, "SALES_LEDGER").modified > before.modified
    assert any(r["INV_REF"] == "LATE-2" for b in fake.batches if b["table"] == "AUDIT_HEADER" for r in b["rows"])


async def test_poll_reports_company_status(make_agent, gateway):
    fake, _ = gateway
    agent = await make_agent()
    await agent.run(once=True)
    body = fake.polls[-1]
    company = agent.companies[0].company
    assert body["companies"] == [company.model_dump()]
    assert body["status"][company.company_key]["error"] is None
    assert dt.datetime.fromisoformat(body["status"][company.company_key]["last_sync_at"]).tzinfo is not None
    assert len(company.company_key) == 64 and company.name == "Ashdown Mill Trading Ltd"


async def test_two_deletions_in_one_second_with_a_sync_between_are_both_sent(make_agent, gateway, data_path):
    fake, _ = gateway
    now = str(dt.datetime.now().replace(microsecond=0))
    with sqlite3.connect(data_path / "sage50.db") as conn:
        for ref in ("GONE01", "GONE02"):
            conn.execute("INSERT INTO SALES_LEDGER (ACCOUNT_REF, NAME, RECORD_CREATE_DATE, RECORD_MODIFY_DATE) "
                         "VALUES (?, 'Gone Ltd', ?, ?)", [ref, now, now])
    agent = await make_agent()
    await agent.sync_all()
    key = agent.companies[0].company.company_key
    user = SageUser(data_path, clock=_later(30))  # both deletions stamped in the same second
    user.delete("SALES_LEDGER", "GONE01")
    await agent.sync_all()
    user.delete("SALES_LEDGER", "GONE02")
    fake.batches.clear()
    await agent.sync_all()
    assert [b["deleted"] for b in fake.batches if b["table"] == "SALES_LEDGER"] == [["GONE02"]]
    assert not {json.dumps(["GONE01"]), json.dumps(["GONE02"])} & set(fake.rows(key, "SALES_LEDGER"))
