"""Exactly-once across SIGKILL for a write in flight to an upstream (issue 11): QuickBooks Online (1004) and Sage
Business Cloud Accounting (1009), each through its emulator running in the test's process on 127.0.0.1.

A served gateway (:class:`tests.support.served.ServedGateway`) is consented to the emulator, then

1. a keyed ``PUT /Invoices`` whose upstream ``POST`` commits and then loses its connection (the emulators'
   ``disconnect`` fault) is retried with its key until answered: the emulator holds the invoice once (QBO: the
   client's retry gets the ``requestid`` replay; Sage: the write ledger's look-up finds the record);
2. each round sends a burst of keyed invoice writes, SIGKILLs the gateway mid-burst, restarts it on the same data
   directory and retries every request with its key: every acknowledged write is in the emulator exactly once with
   the acknowledged ``InvoiceID``, and no request made two invoices (counted in the emulator's own store, by the
   key carried in the line's description).

Rounds: 1 by default (the suite's 20-minute budget), ``CRASH_ROUNDS`` (``make fuzz`` sets 5). Every wait is
bounded; the figures are printed.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from emulators.qbo import create_app as create_qbo
from emulators.qbo.state import STATE as QBO_STATE
from emulators.sage_accounting import create_app as create_sage
from emulators.sage_accounting.state import STATE as SAGE_STATE
from tests.runtime.test_crash_exactly_once import (
    BURST,
    IN_FLIGHT,
    RETRY_DEADLINE,
    ROUNDS,
    SEED,
    SERVED_CONFIG,
    Figures,
)
from tests.support import qbo as qbo_support
from tests.support import sage as sage_support
from tests.support.served import ServedGateway, Upstream

pytestmark = pytest.mark.slow

MARK = "Crash test "  # a line's description: MARK + the request's Idempotency-Key


@dataclass(frozen=True)
class Source:
    """How one upstream source is served, consented, written to and counted."""

    code: str
    emulator_app: Callable[[], web.Application]
    upstream: Callable[[str], Upstream]  # emulator base URL → its developer app and OAuth URLs
    tenant_name: str | None
    line: dict[str, Any]  # the invoice line's account and tax, as the emulator's seed knows them
    invoice_path: str  # the emulator path of an invoice create (fault rules)
    descriptions: Callable[[web.Application], list[str]]  # every invoice line description the emulator holds
    accounts: tuple[dict[str, Any], ...] = ()  # created through the gateway first (the seed lacks them)


def _qbo_descriptions(app: web.Application) -> list[str]:
    return [str(line.get("Description") or "") for realm in app[QBO_STATE].store.realms.values()
            for invoice in realm.all("Invoice") for line in invoice.get("Line") or []]


def _sage_descriptions(app: web.Application) -> list[str]:
    return [str(line.get("description") or "") for business in app[SAGE_STATE].store.businesses.values()
            for invoice in business.all("sales_invoices") for line in invoice.get("invoice_lines") or []]


SOURCES = {
    "1004": Source(
        code="1004",
        emulator_app=lambda: create_qbo(qbo_support.emulator_config()),
        upstream=lambda base: Upstream(client_id=qbo_support.CLIENT_ID, client_secret=qbo_support.CLIENT_SECRET,
                                       authorize_url=f"{base}/connect/oauth2",
                                       token_url=f"{base}/oauth2/v1/tokens/bearer", api_base=base,
                                       revoke_url=f"{base}/v2/oauth2/tokens/revoke"),
        tenant_name=None,
        line={"AccountCode": "4000", "TaxType": "NONE"},
        invoice_path="/invoice",
        descriptions=_qbo_descriptions,
        accounts=({"Code": "4000", "Name": "Crash Test Income", "Type": "REVENUE"},)),
    "1009": Source(
        code="1009",
        emulator_app=lambda: create_sage(sage_support.emulator_config()),
        upstream=lambda base: Upstream(client_id=sage_support.CLIENT_ID, client_secret=sage_support.CLIENT_SECRET,
                                       authorize_url=sage_support.Emulator(base=base).authorize_url,
                                       token_url=sage_support.Emulator(base=base).token_url,
                                       api_base=sage_support.Emulator(base=base).api_base),
        tenant_name=sage_support.LEAD_BUSINESS,
        line={"AccountCode": "4000", "TaxType": "OUTPUT2"},
        invoice_path="/sales_invoices",
        descriptions=_sage_descriptions),
}


def invoice(source: Source, contact_id: str, key: str) -> dict[str, Any]:
    return {"Invoices": [{"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Date": "2026-12-01",
                          "DueDate": "2026-12-31", "Status": "AUTHORISED", "Reference": key[-12:],
                          "LineItems": [{"Description": f"{MARK}{key}", "Quantity": 1, "UnitAmount": 10,
                                         **source.line}]}]}


async def put(session: aiohttp.ClientSession, gw: ServedGateway, source: Source, contact_id: str, key: str
              ) -> tuple[int, Any]:
    async with session.put(f"{gw.api}/Invoices", json=invoice(source, contact_id, key),
                           headers=gw.headers(**{"Idempotency-Key": key})) as r:
        return r.status, (await r.json() if r.status == 200 else await r.text())


async def answered(gw: ServedGateway, source: Source, contact_id: str, key: str, figures: Figures) -> None:
    """The request again with its key until it is answered 200 (bounded)."""
    deadline = asyncio.get_running_loop().time() + RETRY_DEADLINE
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        while True:
            status, body = await put(session, gw, source, contact_id, key)
            if status == 200:
                figures.final_ids[key] = body["Invoices"][0]["InvoiceID"]
                return
            # 409: the dead call's claim has not lapsed yet; 429: its concurrency slots have not; 503: the
            # upstream's answer was lost (an unknown outcome, to be retried with the key)
            assert status in (409, 429, 503), (status, body)
            assert asyncio.get_running_loop().time() < deadline, f"{key} still unanswered"
            await asyncio.sleep(0.5)


async def burst(gw: ServedGateway, source: Source, contact_id: str, keys: list[str], figures: Figures,
                kill_after: int) -> None:
    """Send the keyed writes, ``IN_FLIGHT`` at a time; SIGKILL the gateway after ``kill_after`` answers."""
    gate = asyncio.Semaphore(IN_FLIGHT)
    done = 0
    killed = asyncio.Event()

    async def one(session: aiohttp.ClientSession, key: str) -> None:
        nonlocal done
        async with gate:
            if killed.is_set():
                return
            figures.sent += 1
            try:
                status, body = await put(session, gw, source, contact_id, key)
            except (TimeoutError, aiohttp.ClientError):
                return  # in flight when the process died: outcome unknown to the client
            if status == 200:
                figures.acknowledged += 1
                figures.acked_ids[key] = body["Invoices"][0]["InvoiceID"]
            done += 1
            if done >= kill_after and not killed.is_set():
                killed.set()
                await asyncio.to_thread(gw.kill)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(one(session, key) for key in keys))
    await asyncio.to_thread(gw.kill)  # the burst may have ended before the kill point


def made_per_key(source: Source, app: web.Application, prefix: str) -> dict[str, int]:
    """Invoices in the emulator per key starting with ``prefix`` (one line each)."""
    counts: dict[str, int] = {}
    for description in source.descriptions(app):
        if description.startswith(MARK + prefix):
            key = description[len(MARK):]
            counts[key] = counts.get(key, 0) + 1
    return counts


async def first_customer(gw: ServedGateway) -> str:
    async with aiohttp.ClientSession() as session, session.get(
            f"{gw.api}/Contacts", params={"where": "IsCustomer==true"}, headers=gw.headers()) as r:
        assert r.status == 200, await r.text()
        return (await r.json())["Contacts"][0]["ContactID"]


async def set_faults(base: str, faults: list[dict[str, Any]]) -> None:
    async with aiohttp.ClientSession() as http, http.put(f"{base}/_emulator/faults", json={"faults": faults}) as r:
        assert r.status < 400, await r.text()


@pytest.mark.parametrize("code", sorted(SOURCES))
async def test_every_acknowledged_upstream_write_survives_a_sigkill_exactly_once(tmp_path: Path, code: str):
    source = SOURCES[code]
    rng = random.Random(SEED)
    app = source.emulator_app()
    emulator = TestServer(app, host="127.0.0.1")
    await emulator.start_server()
    base = str(emulator.make_url("")).rstrip("/")
    gw = ServedGateway(data_dir=tmp_path / "served", config=SERVED_CONFIG, code=code)
    prefix = f"CR{code}-{uuid.uuid4().hex[:6]}-"
    try:
        await asyncio.to_thread(gw.start)
        scope = qbo_support.SCOPES if code == "1004" else sage_support.SCOPES
        await gw.consent(source.upstream(base), scope=scope, tenant_name=source.tenant_name)
        for account in source.accounts:
            async with aiohttp.ClientSession() as http, http.put(f"{gw.api}/Accounts", json=account,
                                                                  headers=gw.headers()) as r:
                assert r.status == 200, await r.text()
        contact_id = await first_customer(gw)

        # the upstream commits, then the connection drops before its answer: the retry must not write again
        dropped = f"{prefix}drop"
        await set_faults(base, [{"kind": "disconnect", "path": source.invoice_path, "method": "POST", "count": 1}])
        await answered(gw, source, contact_id, dropped, Figures())
        await set_faults(base, [])
        assert made_per_key(source, app, dropped) == {dropped: 1}
        print(f"{code} disconnect after commit: 1 invoice upstream after the retry")

        totals = Figures()
        for round_no in range(ROUNDS):
            keys = [f"{prefix}{round_no}-{i}" for i in range(BURST)]
            figures = Figures()
            await burst(gw, source, contact_id, keys, figures, kill_after=rng.randint(1, BURST - IN_FLIGHT))
            await asyncio.to_thread(gw.start)
            for key in keys:
                figures.retried += 1
                await answered(gw, source, contact_id, key, figures)
            made = made_per_key(source, app, f"{prefix}{round_no}-")
            figures.duplicates = sum(count - 1 for count in made.values() if count > 1)
            figures.lost = sum(1 for key, guid in figures.acked_ids.items()
                               if made.get(key) != 1 or figures.final_ids.get(key) != guid)
            print(f"{code} crash round {round_no + 1}/{ROUNDS}: sent {figures.sent}, acknowledged "
                  f"{figures.acknowledged}, retried {figures.retried}, duplicates {figures.duplicates}, "
                  f"lost {figures.lost}")
            assert figures.duplicates == 0 and figures.lost == 0, made
            assert made == dict.fromkeys(keys, 1)  # every request made its invoice once
            for name in ("sent", "acknowledged", "retried"):
                setattr(totals, name, getattr(totals, name) + getattr(figures, name))
        print(f"{code} crash total over {ROUNDS} rounds: sent {totals.sent}, acknowledged {totals.acknowledged}, "
              f"retried {totals.retried}, duplicates 0, lost 0")
    finally:
        await asyncio.to_thread(gw.stop)
        await emulator.close()
