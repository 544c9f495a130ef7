"""Repeating invoices on the native ledger: templates validated by the invoice rules, schedules that generate their
invoices on their dates (once per template and date, also across processes), deletion, history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from adapters.native.books import Books
from adapters.native.ids import random_id
from adapters.native.tables.core import Invoice
from adapters.native.tables.repeating import RepeatingInvoiceRun
from gateway.xero.errors import NotFound, ValidationException

from .conftest import TENANT, TEST_START, TickClock, call, start_adapter, template_element

D = dt.date


async def _generated(adapter, template_id: str) -> list[Invoice]:
    async with adapter._session() as session:
        runs = await session.scalars(select(RepeatingInvoiceRun).where(
            RepeatingInvoiceRun.repeating_invoice_id == template_id).order_by(RepeatingInvoiceRun.scheduled_date))
        ids = [r.invoice_id for r in runs]
        rows = {i.id: i for i in await session.scalars(select(Invoice).where(Invoice.id.in_(ids)))}
        return [rows[i] for i in ids]


async def test_create_computes_totals_and_next_date(adapter) -> None:
    made = (await call(adapter, "createRepeatingInvoices", elements=[template_element()])).items[0]
    assert made.RepeatingInvoiceID and made.ID == made.RepeatingInvoiceID
    assert (made.SubTotal, made.TotalTax, made.Total) == (Decimal("200.00"), Decimal("40.00"), Decimal("240.00"))
    assert made.Schedule.NextScheduledDate == D(2026, 1, 31) and made.Schedule.StartDate == D(2026, 1, 31)
    assert made.Status == "AUTHORISED" and made.Contact.Name == "Meridian University"
    assert made.LineItems[0].LineAmount == Decimal("200.00") and made.LineItems[0].TaxAmount == Decimal("40.00")
    listed = (await call(adapter, "getRepeatingInvoices", where='Status=="AUTHORISED"')).items
    assert made.RepeatingInvoiceID in [t.RepeatingInvoiceID for t in listed]
    one = (await call(adapter, "getRepeatingInvoice", path={"RepeatingInvoiceID": made.RepeatingInvoiceID})).items
    assert one[0].Reference == "Retainer"


async def test_invalid_templates_are_refused_with_the_invoice_rules(adapter) -> None:
    bad = template_element(Schedule={"Period": 0, "Unit": "YEARLY", "DueDate": 1, "DueDateType": "SOON"},
                           LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200",
                                       "TaxType": "INPUT2"}])
    with pytest.raises(ValidationException) as caught:
        await call(adapter, "createRepeatingInvoices", elements=[bad])
    messages = [e["Message"] for e in caught.value.body()["Elements"][0]["ValidationErrors"]]
    assert any("Period" in m for m in messages) and any("Unit" in m for m in messages)
    assert any("DueDateType" in m for m in messages) and any("StartDate" in m for m in messages)
    assert any("INPUT2" in m for m in messages)
    with pytest.raises(ValidationException):
        await call(adapter, "createRepeatingInvoices",
                   elements=[template_element(Status="DRAFT", ApprovedForSending=True)])
    with pytest.raises(NotFound):
        await call(adapter, "getRepeatingInvoice", path={"RepeatingInvoiceID": "00000000-0000-0000-0000-000000000001"})


async def test_schedule_generates_invoices_on_their_dates_once(adapter) -> None:
    template = (await call(adapter, "createRepeatingInvoices", elements=[template_element(MarkAsSent=True)])).items[0]
    made = await adapter.generate_repeating_invoices(today=D(2026, 3, 30))
    assert made == 3  # with the demo's fortnightly bill, first due on 2026-03-24
    invoices = await _generated(adapter, template.RepeatingInvoiceID)
    assert [(i.date, i.due_date, i.status) for i in invoices] == [
        (D(2026, 1, 31), D(2026, 2, 10), "AUTHORISED"), (D(2026, 2, 28), D(2026, 3, 10), "AUTHORISED")]
    assert all(i.total == Decimal("240.00") and i.sent_to_contact and i.posted for i in invoices)
    assert invoices[0].number != invoices[1].number and invoices[0].reference == "Retainer"
    after = (await call(adapter, "getRepeatingInvoice", path={"RepeatingInvoiceID": template.RepeatingInvoiceID}))
    assert after.items[0].Schedule.NextScheduledDate == D(2026, 3, 31)
    # The same day again, or an earlier one, generates nothing more.
    assert await adapter.generate_repeating_invoices(today=D(2026, 3, 30)) == 0
    assert await adapter.generate_repeating_invoices(today=D(2026, 3, 1)) == 0
    assert await adapter.generate_repeating_invoices(today=D(2026, 3, 31)) == 1
    assert len(await _generated(adapter, template.RepeatingInvoiceID)) == 3


async def test_draft_templates_make_drafts_and_end_dates_stop_the_schedule(adapter) -> None:
    element = template_element(Status="DRAFT", Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"},
                               Schedule={"Period": 1, "Unit": "WEEKLY", "DueDate": 20,
                                         "DueDateType": "OFFOLLOWINGMONTH", "StartDate": "2026-03-02",
                                         "EndDate": "2026-03-16"},
                               LineItems=[{"Description": "Cleaning", "Quantity": 1, "UnitAmount": 60,
                                           "AccountCode": "429", "TaxType": "INPUT2"}])
    template = (await call(adapter, "createRepeatingInvoices", elements=[element])).items[0]
    assert await adapter.generate_repeating_invoices(today=D(2026, 6, 1)) >= 3
    invoices = await _generated(adapter, template.RepeatingInvoiceID)
    assert [(i.date, i.due_date, i.status, i.type) for i in invoices] == [
        (D(2026, 3, d), D(2026, 4, 20), "DRAFT", "ACCPAY") for d in (2, 9, 16)]
    after = (await call(adapter, "getRepeatingInvoice", path={"RepeatingInvoiceID": template.RepeatingInvoiceID}))
    assert after.items[0].Schedule.NextScheduledDate is None


async def test_an_occurrence_is_recorded_once_per_template_and_date(adapter) -> None:
    template = (await call(adapter, "createRepeatingInvoices", elements=[template_element()])).items[0]
    run = {"company_id": TENANT, "repeating_invoice_id": template.RepeatingInvoiceID,
           "scheduled_date": D(2026, 1, 31), "created_utc": TEST_START}
    async with adapter._session() as session, session.begin():
        session.add(RepeatingInvoiceRun(id=random_id("run"), **run))
    # A second process that read the schedule before this one committed fails on the constraint.
    with pytest.raises(IntegrityError):
        async with adapter._session() as session, session.begin():
            session.add(RepeatingInvoiceRun(id=random_id("run"), **run))
    # ... and the generation of that occurrence rolls back as a whole (no invoice without its run).
    async with adapter._session() as session:
        before = await session.scalar(select(func.count()).select_from(Invoice))
    assert await adapter.generate_repeating_invoices(today=D(2026, 1, 31)) == 0
    async with adapter._session() as session:
        assert await session.scalar(select(func.count()).select_from(Invoice)) == before


async def test_two_adapters_on_one_ledger_generate_each_occurrence_once(ledger_dir) -> None:
    first = await start_adapter(ledger_dir, TickClock(TEST_START))
    second = await start_adapter(ledger_dir, TickClock(TEST_START))
    try:
        template = (await call(first, "createRepeatingInvoices", elements=[template_element()])).items[0]
        import asyncio
        made = await asyncio.gather(first.generate_repeating_invoices(today=D(2026, 2, 28)),
                                    second.generate_repeating_invoices(today=D(2026, 2, 28)))
        assert sum(made) == 2
        invoices = await _generated(first, template.RepeatingInvoiceID)
        assert [i.date for i in invoices] == [D(2026, 1, 31), D(2026, 2, 28)]
    finally:
        await first.shutdown()
        await second.shutdown()


async def test_the_schedule_runs_at_startup_with_the_injected_clock(ledger_dir) -> None:
    first = await start_adapter(ledger_dir, TickClock(TEST_START))
    try:
        template = (await call(first, "createRepeatingInvoices", elements=[template_element()])).items[0]
    finally:
        await first.shutdown()
    later = await start_adapter(ledger_dir, TickClock(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC)))
    try:
        dates = [i.date for i in await _generated(later, template.RepeatingInvoiceID)]
        assert dates == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
        assert later._repeating_task is not None and not later._repeating_task.done()
    finally:
        await later.shutdown()
    assert later._repeating_task is None


async def test_the_periodic_task_generates_on_its_interval(ledger_dir) -> None:
    import asyncio
    clock = TickClock(TEST_START)
    adapter = await start_adapter(ledger_dir, clock)
    try:
        template = (await call(adapter, "createRepeatingInvoices", elements=[template_element(
            Schedule={"Period": 1, "Unit": "WEEKLY", "DueDate": 0, "DueDateType": "DAYSAFTERBILLDATE",
                      "StartDate": "2026-03-25"})])).items[0]
        await adapter.stop_repeating_schedule()
        adapter.repeating_interval = 0.05  # below the floor: bounded to MIN_INTERVAL
        clock.current = dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC)
        adapter._repeating_task = asyncio.get_running_loop().create_task(adapter._repeating_loop())
        for _ in range(40):  # bounded: at most 4 s
            if await _generated(adapter, template.RepeatingInvoiceID):
                break
            await asyncio.sleep(0.1)
        assert [i.date for i in await _generated(adapter, template.RepeatingInvoiceID)] == [D(2026, 3, 25)]
    finally:
        await adapter.shutdown()


async def test_update_restarts_the_schedule_and_delete_ends_it(adapter) -> None:
    template = (await call(adapter, "createRepeatingInvoices", elements=[template_element()])).items[0]
    path = {"RepeatingInvoiceID": template.RepeatingInvoiceID}
    await adapter.generate_repeating_invoices(today=D(2026, 2, 1))
    updated = (await call(adapter, "updateRepeatingInvoice", path=path, elements=[{
        "Reference": "New terms", "Schedule": {"StartDate": "2026-05-15"}}])).items[0]
    assert updated.Reference == "New terms" and updated.Schedule.NextScheduledDate == D(2026, 5, 15)
    assert updated.Total == Decimal("240.00")  # lines kept
    upserted = (await call(adapter, "updateOrCreateRepeatingInvoices", elements=[{
        "RepeatingInvoiceID": template.RepeatingInvoiceID, "Status": "DELETED"}])).items[0]
    assert upserted.Status == "DELETED" and upserted.Schedule.NextScheduledDate is None
    await adapter.generate_repeating_invoices(today=D(2026, 12, 31))
    assert [i.date for i in await _generated(adapter, template.RepeatingInvoiceID)] == [D(2026, 1, 31)]
    with pytest.raises(ValidationException):
        await call(adapter, "updateRepeatingInvoice", path=path, elements=[{"Reference": "again"}])
    history = (await call(adapter, "getRepeatingInvoiceHistory", path=path)).items
    assert [h.Changes for h in history] == ["Created", "Generated", "Edited", "Deleted"]


async def test_notes_on_templates(adapter) -> None:
    template = (await call(adapter, "createRepeatingInvoices", elements=[template_element()])).items[0]
    path = {"RepeatingInvoiceID": template.RepeatingInvoiceID}
    await call(adapter, "createRepeatingInvoiceHistory", path=path, elements=[{"Details": "Agreed by phone"}])
    assert (await call(adapter, "getRepeatingInvoiceHistory", path=path)).items[-1].Details == "Agreed by phone"


async def test_demo_company_has_repeating_invoices(adapter) -> None:
    templates = (await call(adapter, "getRepeatingInvoices")).items
    assert {(t.Type, t.Status, t.Schedule.Unit) for t in templates} == {
        ("ACCREC", "AUTHORISED", "MONTHLY"), ("ACCPAY", "DRAFT", "WEEKLY")}
    assert all(t.Schedule.NextScheduledDate > TEST_START.date() for t in templates)
    async with adapter._session() as session:
        books = await Books.load(session, TENANT, new_id=random_id, now=adapter.clock)
        assert books.company.id == TENANT


async def test_templates_through_http_with_attachments(api) -> None:
    import json
    resp, body = await api.call("PUT", "/RepeatingInvoices", json={"RepeatingInvoices": [template_element()]})
    assert resp.status == 200, body
    template_id = json.loads(body)["RepeatingInvoices"][0]["RepeatingInvoiceID"]
    base = f"/RepeatingInvoices/{template_id}"
    resp, body = await api.call("PUT", f"{base}/Attachments/terms.png", data=b"\x89PNG\r\n\x1a\nterms",
                                headers={"Content-Type": "image/png"})
    assert resp.status == 200, body
    resp, body = await api.call("GET", base)
    template = json.loads(body)["RepeatingInvoices"][0]
    assert template["HasAttachments"] is True
    assert [a["FileName"] for a in template["Attachments"]] == ["terms.png"]
    resp, body = await api.call("POST", base, json={"RepeatingInvoices": [{"Status": "DELETED"}]})
    assert resp.status == 200 and json.loads(body)["RepeatingInvoices"][0]["Status"] == "DELETED", body
    resp, body = await api.call("GET", f"{base}/History")
    assert [h["Changes"] for h in json.loads(body)["HistoryRecords"]][0] == "Created"
