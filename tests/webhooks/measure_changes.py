"""Measure, per source, the delay from a change made in the source to its delivery at a loopback receiver (median
over ``--changes`` changes) and the upstream calls an idle tenant costs. Prints figures; asserts no timing.

Run from the repository root (not collected by pytest)::

    PYTHONPATH=$PWD python -m tests.webhooks.measure_changes [--changes 20] [--interval 1] [--idle 20]

- QBO via Intuit's webhook: the emulator notifies the gateway, the scheduled CDC poll is at its default (300 s).
- QBO via CDC only: no notification; the poll interval is ``--interval`` seconds.
- Sage Accounting: the poll interval is ``--interval`` seconds.
- Sage 50: the connector's sync page arrives (pushed; no poll).
Every path includes ``[webhooks] settle`` (default 2 s) for the polled sources.

Idle cost: with nothing changing, the emulator's request log is read over ``--idle`` seconds at a 1 s interval and
scaled to the default intervals (calls per poll × polls per hour).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from joserfc.jwk import RSAKey

from adapters import registry as adapter_registry
from emulators.qbo import create_app as create_qbo
from emulators.sage_accounting import create_app as create_sage
from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.settings import WebhooksSettings
from gateway.store.crypto import SecretBox
from gateway.webhooks.intuit import set_verifier_token
from tests.identity.helpers import Gateway
from tests.sage50.conftest import Agent
from tests.sage50.conftest import connect as connect_sage50
from tests.sage50.rows import TABLES
from tests.support import qbo as qbo_support
from tests.support import sage as sage_support
from tests.webhooks.receiver import Receiver
from tests.webhooks.sources import hooked_app, polls_of, subscribe, until

DEFAULTS = WebhooksSettings().poll_intervals


async def _gateway(tmp: Path, name: str, pem: bytes, **webhooks) -> TestClient:
    client = TestClient(TestServer(hooked_app(tmp / name, pem, port=18150, **webhooks), host="127.0.0.1"))
    await client.start_server()
    return client


async def _timed(receiver: Receiver, changes: int, make: Callable[[int], Awaitable[None]]) -> list[float]:
    delays = []
    for i in range(changes):
        before = len(receiver.events)
        started = time.perf_counter()
        await make(i)
        await receiver.wait_for_events(before + 1)
        delays.append(time.perf_counter() - started)
    return delays


async def _polled(app, code: str, tenant_id: str) -> bool:
    return await polls_of(app, code, tenant_id) >= 1


def _report(name: str, delays: list[float], note: str) -> None:
    print(f"{name}: median {statistics.median(delays):.2f} s, min {min(delays):.2f} s, max {max(delays):.2f} s "
          f"over {len(delays)} changes ({note})")


async def qbo(tmp: Path, pem: bytes, receiver: Receiver, *, changes: int, interval: float, webhook: bool,
              idle: float) -> None:
    emulator = TestServer(create_qbo(qbo_support.emulator_config()), host="127.0.0.1")
    await emulator.start_server()
    intervals = {"1004": DEFAULTS["1004"] if webhook else interval}
    gateway = await _gateway(tmp, f"qbo-{webhook}", pem, poll_intervals=intervals)
    try:
        stack = await qbo_support.connect(gateway, str(emulator.make_url("")).rstrip("/"), emulator=emulator)
        await subscribe(gateway.app, receiver, stack.partner["client_id"], "CONTACT INVOICE CREDITNOTE")
        if webhook:
            token = "measure-verifier"  # noqa: S105
            await set_verifier_token(gateway.app[appkeys.DB], SecretBox.from_data_dir(
                gateway.app[appkeys.SETTINGS].data_dir), "1004", token)
            await stack.admin("PUT", "/webhooks", {"url": str(gateway.make_url("/1004/webhooks/intuit")),
                                                   "verifier_token": token})
        await until(lambda: _polled(gateway.app, "1004", stack.tenant_id))  # the first poll sets the watermark

        async def change(i: int) -> None:
            await stack.qbo("POST", "/customer", body={"DisplayName": f"Measured Customer {i}"})

        delays = _timed(receiver, changes, change)
        _report("QBO " + ("Intuit webhook -> CDC" if webhook else "CDC only"), await delays,
                f"poll interval {intervals['1004']:g} s, settle 2 s")
        if not webhook:
            await stack.admin("DELETE", "/requests")
            polls = await polls_of(gateway.app, "1004", stack.tenant_id)
            await asyncio.sleep(idle)
            polls = await polls_of(gateway.app, "1004", stack.tenant_id) - polls
            log = await stack.admin("GET", "/requests")
            cdc = sum(n for path, n in log["by_path"].items() if path.endswith("/cdc"))
            per_poll = cdc / polls
            print(f"QBO idle: {cdc} CDC calls in {polls} polls ({idle:g} s at {interval:g} s) = {per_poll:.2f} per "
                  f"poll -> "
                  f"{per_poll * 3600 / DEFAULTS['1004']:.0f} calls/hour/tenant at the default "
                  f"{DEFAULTS['1004']:g} s")
    finally:
        await gateway.close()
        await emulator.close()


async def sage(tmp: Path, pem: bytes, receiver: Receiver, *, changes: int, interval: float, idle: float) -> None:
    server = TestServer(create_sage(sage_support.emulator_config()), host="127.0.0.1")
    await server.start_server()
    emulator = sage_support.Emulator(base=str(server.make_url("")).rstrip("/"), server=server)
    gateway = await _gateway(tmp, "sage", pem, poll_intervals={"1009": interval})
    try:
        await sage_support.register(gateway, emulator)
        session = await sage_support.connect(gateway, emulator)
        await subscribe(gateway.app, receiver, session.app["client_id"], "CONTACT INVOICE CREDITNOTE")
        await until(lambda: _polled(gateway.app, "1009", session.tenant_id))
        creds = await gateway.app[appkeys.SOURCES].upstream.credentials("1009", session.tenant_id)
        import aiohttp

        async def change(i: int) -> None:
            async with aiohttp.ClientSession() as http, http.post(
                    f"{creds.api_base}/contacts", json={"contact": {"name": f"Measured {i}",
                                                                    "contact_type_ids": ["CUSTOMER"]}},
                    headers={"Authorization": f"Bearer {creds.access_token}", "X-Business": creds.tenant_key}) as r:
                assert r.status < 400, await r.text()

        _report("Sage Accounting poll", await _timed(receiver, changes, change),
                f"poll interval {interval:g} s, settle 2 s")
        await emulator.reset_requests()
        tenants = [t["tenantId"] for t in session.tenants]
        polls = [await polls_of(gateway.app, "1009", t) for t in tenants]
        await asyncio.sleep(idle)
        polls = sum([await polls_of(gateway.app, "1009", t) for t in tenants]) - sum(polls)
        log = await emulator.requests()
        calls = sum(n for path, n in log["by_path"].items() if "/_emulator" not in path)
        per_poll = calls / polls
        print(f"Sage idle: {calls} calls in {polls} polls of {len(tenants)} businesses ({idle:g} s at {interval:g} s)"
              f" = {per_poll:.2f} per poll -> {per_poll * 3600 / DEFAULTS['1009']:.0f} calls/hour/tenant "
              f"at the default {DEFAULTS['1009']:g} s (CONTACT INVOICE CREDITNOTE subscribed)")
    finally:
        await gateway.close()
        await server.close()


async def sage50(tmp: Path, pem: bytes, receiver: Receiver, *, changes: int) -> None:
    adapter_registry.ADAPTERS["1000"] = "tests.identity.fake_adapter:FakeAdapter"
    client = await _gateway(tmp, "sage50", pem)
    try:
        gw = Gateway(client=client, state=client.app[IDENTITY], code="1001")
        partner = await gw.create_app(name="Partner App")
        agent = Agent(gw)
        await connect_sage50(gw, partner, agent)
        await subscribe(client.app, receiver, partner["client_id"], "CONTACT")
        for table, rows in TABLES.items():
            await agent.sync(table, rows)

        async def change(i: int) -> None:
            now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
            status, _ = await agent.sync("SALES_LEDGER", [{
                "ACCOUNT_REF": f"M{i:05d}", "NAME": f"Measured {i}", "BALANCE": "0", "CURRENCY": 1,
                "INACTIVE_FLAG": 0, "RECORD_CREATE_DATE": now, "RECORD_MODIFY_DATE": now}])
            assert status == 200

        _report("Sage 50 connector sync", await _timed(receiver, changes, change),
                "from the sync page's arrival; the connector's own sync interval comes on top")
        print("Sage 50 idle: 0 calls (the connector pushes; the gateway polls nothing)")
    finally:
        await client.close()


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args(argv)
    pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
    with tempfile.TemporaryDirectory() as tmp:
        for run in (lambda r: qbo(Path(tmp), pem, r, changes=args.changes, interval=args.interval, webhook=True,
                                  idle=args.idle),
                    lambda r: qbo(Path(tmp), pem, r, changes=args.changes, interval=args.interval, webhook=False,
                                  idle=args.idle),
                    lambda r: sage(Path(tmp), pem, r, changes=args.changes, interval=args.interval, idle=args.idle),
                    lambda r: sage50(Path(tmp), pem, r, changes=args.changes)):
            receiver = Receiver()
            await receiver.start()
            try:
                await run(receiver)
            finally:
                await receiver.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
