"""Concurrent ``PUT /Invoices`` on two ``python -m gateway serve`` processes sharing one ledger (issue 10).

Before the native ledger locked its tenant in the database, about half of such writes answered 500
(``UNIQUE constraint failed: journals.company_id, journals.number``): numbering was serialised inside one process
only. Here 48 invoices are written at once, alternately through each process, on SQLite (both processes on one data
directory) and on PostgreSQL (gateway state and ledger in a throwaway cluster, tests/pg.py): every answer is 200,
the new invoices' numbers are distinct and consecutive, and the ledger's journal numbers are 1…N without a gap or a
duplicate. Every wait is bounded; the figures are printed, never asserted as timings.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.pg import create_database, pg_cluster  # noqa: F401  (fixture)
from tests.support.served import CONFIG, ServedGateway, free_port

pytestmark = pytest.mark.slow

WRITES = 48
IN_FLIGHT = 24  # concurrent requests across both processes
#: Per-tenant concurrency is lifted with the budgets: the test proves the ledger, not the limits.
LIMITS = CONFIG.replace("[rate_limits]\n", "[rate_limits]\ntenant_concurrent = 1000\n")


def config(public_url: str, *, state_url: str | None = None, ledger_url: str | None = None) -> str:
    """Both processes issue and accept the same tokens: one ``public_url`` (a token's ``iss``)."""
    text = LIMITS + f'\n[server]\npublic_url = "{public_url}"\n'
    if state_url:
        text += f'\n[database]\nurl = "{state_url}"\n'
    if ledger_url:
        text += f'\n[native]\ndatabase_url = "{ledger_url}"\n'
    return text


@pytest.fixture(params=["sqlite", "postgresql"])
async def urls(request) -> tuple[str | None, str | None]:
    """(gateway state URL, ledger URL): ``None`` for the data directory's SQLite files."""
    if request.param == "sqlite":
        return None, None
    cluster = request.getfixturevalue("pg_cluster")
    return await create_database(cluster), await create_database(cluster)


def invoice(contact_id: str, reference: str) -> dict[str, Any]:
    return {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Date": "2026-12-01",
                          "DueDate": "2026-12-31", "Status": "AUTHORISED", "Reference": reference,
                          "LineItems": [{"Description": "Two processes", "Quantity": 1, "UnitAmount": 10,
                                         "AccountCode": "200", "TaxType": "OUTPUT2"}]}]}


async def journal_numbers(session: aiohttp.ClientSession, gw: ServedGateway) -> list[int]:
    """Every ``JournalNumber`` of the ledger (``GET /Journals`` pages by ``offset``, 100 at a time)."""
    numbers: list[int] = []
    for _ in range(1000):  # bounds a broken paging
        params = {"offset": str(numbers[-1] if numbers else 0)}
        async with session.get(f"{gw.api}/Journals", params=params, headers=gw.headers()) as r:
            assert r.status == 200, await r.text()
            page = [j["JournalNumber"] for j in (await r.json())["Journals"]]
        if not page:
            return numbers
        numbers += page
    raise AssertionError("GET /Journals never ended")


async def test_concurrent_invoice_writes_on_two_processes(tmp_path: Path, urls) -> None:
    state_url, ledger_url = urls
    port = free_port()
    text = config(f"http://127.0.0.1:{port}", state_url=state_url, ledger_url=ledger_url)
    first = ServedGateway(data_dir=tmp_path / "served", config=text, port=port)
    second = ServedGateway(data_dir=tmp_path / "served", config=text)
    try:
        await asyncio.to_thread(first.start)
        await asyncio.to_thread(first.connect)
        await asyncio.to_thread(second.start)
        second.tenant_id, second.access_token = first.tenant_id, first.access_token
        processes = (first, second)
        gate = asyncio.Semaphore(IN_FLIGHT)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
            async with session.get(f"{first.api}/Contacts", params={"where": "IsCustomer==true"},
                                   headers=first.headers()) as r:
                assert r.status == 200
                contact_id = (await r.json())["Contacts"][0]["ContactID"]
            journals_before = await journal_numbers(session, first)

            async def put(i: int) -> tuple[int, Any]:
                gw = processes[i % 2]
                async with gate, session.put(f"{gw.api}/Invoices", json=invoice(contact_id, f"TP-{i}"),
                                             headers=gw.headers()) as r:
                    return r.status, (await r.json() if r.status == 200 else await r.text())

            answers = await asyncio.gather(*(put(i) for i in range(WRITES)))
            statuses = Counter(status for status, _ in answers)
            print(f"two processes, {WRITES} concurrent PUT /Invoices ({'PostgreSQL' if ledger_url else 'SQLite'}):"
                  f" {dict(statuses)}")
            assert statuses == {200: WRITES}, [body for status, body in answers if status != 200][:3]
            numbers = sorted(int(re.fullmatch(r"INV-(\d+)", body["Invoices"][0]["InvoiceNumber"]).group(1))
                             for _, body in answers)
            assert numbers == list(range(numbers[0], numbers[0] + WRITES)), numbers
            journals = await journal_numbers(session, second)
        assert journals == list(range(1, len(journals) + 1))  # unique and gap-free over the whole ledger
        assert len(journals) == len(journals_before) + WRITES  # one journal per AUTHORISED invoice
    finally:
        second.stop()
        first.stop()
