"""The pieces under the lists and the writes: Xero list parameters → QBO queries (``adapters.qbo.query``), the
per-realm caches (``adapters.qbo.cache``) and the stable GUIDs with their persisted reverse map
(``adapters.qbo.ids``)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from adapters.common.ids import stable_guid as common_stable_guid
from adapters.qbo.cache import RefCache
from adapters.qbo.ids import NAMESPACE, IdStore, QboRef, stable_guid
from adapters.qbo.query import guids_in, plan, quote
from adapters.qbo.resources import BANK_TRANSACTIONS, CONTACTS, INVOICES, PAYMENTS
from gateway.store.db import Database
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery

CUSTOMER = stable_guid("1", "Customer", "58")
INVOICE = stable_guid("1", "Invoice", "130")


def planned(where: str | None = None, **query):
    list_query = ListQuery(where=parse_where(where) if where else None, **query)
    resolved = {CUSTOMER: (QboRef("Customer", "58"),), INVOICE: (QboRef("Invoice", "130"),)}
    return plan(INVOICES, list_query, resolved=resolved)


def stream(p, entity):
    return next(s for s in p.streams if s.entity == entity)


def test_exact_pushdown_of_numbers_dates_ids_and_references():
    p = planned(f'Type=="ACCREC" AND Total>=100 AND Date<DateTime(2024,2,1) AND '
                f'Contact.ContactID==Guid("{CUSTOMER}")')
    assert p.exact and p.residual is None and [s.entity for s in p.live] == ["Invoice"]
    assert stream(p, "Invoice").where == ["TotalAmt >= 100", "TxnDate < '2024-02-01'", "CustomerRef IN ('58')"]
    assert stream(p, "Invoice").select(order=p.order, start=101, size=100) == (
        "SELECT * FROM Invoice WHERE TotalAmt >= 100 AND TxnDate < '2024-02-01' AND CustomerRef IN ('58') "
        "ORDERBY MetaData.LastUpdatedTime STARTPOSITION 101 MAXRESULTS 100")
    by_id = planned(f'InvoiceID==Guid("{INVOICE}")')
    assert [s.entity for s in by_id.live] == ["Invoice"] and stream(by_id, "Invoice").where == ["Id IN ('130')"]
    unknown = planned(f'InvoiceID==Guid("{uuid.uuid4()}")')
    assert unknown.live == [] and unknown.exact


def test_supersets_keep_the_condition_for_the_gateway():
    text = planned('InvoiceNumber=="INV-1"')
    assert stream(text, "Bill").where == ["DocNumber = 'INV-1'"] and text.residual is not None and not text.exact
    like = planned('Reference.Contains("x") AND Total>5')
    assert like.residual is not None and stream(like, "Invoice").where == ["TotalAmt > 5"]
    paid = planned('Status=="PAID"')
    assert stream(paid, "Invoice").where == ["Balance = '0'"] and paid.residual is not None
    open_ = planned('Status=="AUTHORISED"')
    assert stream(open_, "Invoice").where == ["Balance > '0'"] and open_.exact
    draft = planned('Status=="DRAFT"')
    assert draft.live == []  # QBO holds no drafts
    either = planned('InvoiceNumber=="1" OR InvoiceNumber=="2"')
    assert stream(either, "Invoice").where == ["DocNumber IN ('1', '2')"] and either.residual is not None
    mixed = planned('Total>5 OR Reference!=null')
    assert mixed.residual is not None and stream(mixed, "Invoice").where == []
    late = planned("Date>DateTime(2024,2,1,10,30,0)")  # not a whole date: the gateway decides
    assert late.residual is not None


def test_list_parameters_and_order():
    since = datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
    p = planned(if_modified_since=since, ids=[INVOICE], statuses=["AUTHORISED"],
                order=parse_order("Date DESC"))
    assert stream(p, "Invoice").where == ["MetaData.LastUpdatedTime > '2024-05-01T12:00:00+00:00'", "Id IN ('130')",
                                          "Balance > '0'"]
    assert p.live == [stream(p, "Invoice")] and p.order == "TxnDate DESC" and p.exact
    two_terms = planned(order=parse_order("Date DESC, Total"))
    assert not two_terms.order_pushed and not two_terms.exact
    by_contact = planned(contact_ids=[CUSTOMER])
    assert stream(by_contact, "Invoice").where == ["CustomerRef IN ('58')"]
    assert stream(by_contact, "Bill").impossible  # a customer has no bills (no vendor counterpart)
    assert guids_in(ListQuery(where=parse_where(f'InvoiceID==Guid("{INVOICE}")'), ids=[CUSTOMER]),
                    INVOICES) == {INVOICE, CUSTOMER}


def test_resources_with_special_rules():
    archived = plan(CONTACTS, ListQuery(where=parse_where('ContactStatus=="ARCHIVED"')), resolved={})
    assert [s.where for s in archived.streams] == [["Active = false"], ["Active = false"]]
    everyone = plan(CONTACTS, ListQuery(include_archived=True), resolved={})
    assert everyone.streams[0].where == ["Active IN (true, false)"]
    spend = plan(BANK_TRANSACTIONS, ListQuery(where=parse_where('Type=="SPEND"')), resolved={})
    assert [s.entity for s in spend.live] == ["Purchase"] and spend.residual is not None  # credits are RECEIVE
    assert plan(BANK_TRANSACTIONS, ListQuery(), resolved={}).merged
    payments = plan(PAYMENTS, ListQuery(), resolved={})
    assert not payments.exact  # one QBO payment may be several Xero payments: QBO cannot page them


def test_quoting():
    assert quote("O'Brien\\x") == "'O\\'Brien\\\\x'"


async def test_reference_cache_shares_loads_expires_and_invalidates():
    now = [0.0]
    cache = RefCache(ttl=60, count_ttl=30, timer=lambda: now[0])
    loads: list[list[str]] = []

    async def loader(missing):
        loads.append(missing)
        await asyncio.sleep(0)
        return {kind: f"{kind}-v{len(loads)}" for kind in missing}

    first = await asyncio.gather(*(cache.get("r1", ["accounts", "items"], loader) for _ in range(5)))
    assert loads == [["accounts", "items"]] and all(v == {"accounts": "accounts-v1", "items": "items-v1"}
                                                    for v in first)
    assert (await cache.get("r1", ["items", "classes"], loader)) == {"items": "items-v1", "classes": "classes-v2"}
    cache.invalidate("r1", "items")
    assert (await cache.get("r1", ["items"], loader))["items"] == "items-v3"
    now[0] = 61
    assert (await cache.get("r1", ["accounts"], loader))["accounts"] == "accounts-v4"
    assert cache.peek("r2", "accounts") is None
    cache.set_count("r1", "Invoice", "", 5)
    cache.set_count("r1", "Bill", "", 2)
    cache.invalidate_counts("r1", "Invoice")
    assert cache.count("r1", "Invoice", "") is None and cache.count("r1", "Bill", "") == 2
    now[0] = 100
    assert cache.count("r1", "Bill", "") is None


@pytest.fixture
async def store(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}")
    await db.create_all()
    ids = IdStore(db)
    await ids.ensure_table()  # the adapter's own table, created by the adapter (not by the gateway's schema)
    yield ids
    await db.dispose()


async def test_guids_are_stable_and_the_reverse_map_persists(store, tmp_path):
    guid = stable_guid("123", "Invoice", "130")
    assert guid == stable_guid("123", "Invoice", "130") == str(uuid.UUID(guid))
    assert guid != stable_guid("124", "Invoice", "130") != stable_guid("123", "Bill", "130")
    assert stable_guid("123", "Payment", "5", "Invoice:9") != stable_guid("123", "Payment", "5")
    assert await store.resolve("123", guid) == ()
    assert await store.record("123", [(guid, "Invoice", "130", "")]) == 1
    assert await store.record("123", [(guid, "Invoice", "130", "")]) == 0  # known to this process: no statement
    fresh = IdStore(store.db)  # another process
    assert await fresh.resolve("123", guid.replace("-", "").upper()) == (QboRef("Invoice", "130"),)
    assert await fresh.resolve("999", guid) == ()
    assert await fresh.resolve("123", "not-a-guid") == ()
    many = [(stable_guid("123", "Invoice", str(i)), "Invoice", str(i), "") for i in range(1200)]
    assert await fresh.record("123", many) == 1200  # new to this process; the database keeps one row each
    assert await IdStore(store.db).resolve("123", many[1199][0]) == (QboRef("Invoice", "1199"),)


async def test_aliases_give_a_counterpart_the_original_contact_id(store):
    contact = stable_guid("123", "Customer", "58")
    other_process = IdStore(store.db)
    await other_process.load_aliases("123")
    await store.load_aliases("123")
    assert store.forward("123", "Vendor", "77") == stable_guid("123", "Vendor", "77")
    await store.add_alias("123", guid=contact, entity="Vendor", qbo_id="77")
    assert store.forward("123", "Vendor", "77") == contact and store.has_aliases("123", "Vendor")
    await other_process.load_aliases("123")  # its next Xero call
    assert other_process.forward("123", "Vendor", "77") == contact
    later = IdStore(store.db)
    await later.load_aliases("123")
    assert later.forward("123", "Vendor", "77") == contact and later.aliased("123", "Vendor") == {"77": contact}
    await later.record("123", [(contact, "Customer", "58", "")])
    refs = await later.resolve("123", contact)
    assert set(refs) == {QboRef("Customer", "58"), QboRef("Vendor", "77", alias=True)}


async def test_a_realms_aliases_are_read_again_only_after_their_freshness(store):
    """Issue 10: a warm call reads no alias (no statement) within the freshness; another process's alias shows after."""
    now = [0.0]
    reader = IdStore(store.db, freshness=1.0, timer=lambda: now[0])
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    await reader.load("123")  # a first call reads them
    engine = store.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        await reader.load("123")  # the next call, within the second: nothing read
        assert statements == []
        await store.add_alias("123", guid=stable_guid("123", "Customer", "58"), entity="Vendor", qbo_id="77")
        statements.clear()
        now[0] = 1.5  # the freshness has passed: the next call reads the other process's alias
        await reader.load("123")
        assert len(statements) == 1
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert reader.forward("123", "Vendor", "77") == stable_guid("123", "Customer", "58")


def test_stable_guids_are_computed_once_per_process():
    stable_guid("m1", "Invoice", "1", "Line:1")
    before = common_stable_guid.cache_info().hits
    assert stable_guid("m1", "Invoice", "1", "Line:1") == str(uuid.uuid5(NAMESPACE, "m1/Invoice/1/Line:1"))
    assert common_stable_guid.cache_info().hits == before + 1
