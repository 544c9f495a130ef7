"""Overhead per Accounting API call of the rate-limit and Idempotency-Key checks.

Usage: ``.venv/bin/python bench/runtime_overhead.py [--calls N] [--database-url URL]``
(default: SQLite in a temporary directory; pass ``postgresql+asyncpg://…`` to measure PostgreSQL).

It serves the real app (``gateway.app.create_app``) on 127.0.0.1 with a trivial in-process adapter and a no-op
identity guard, so that the figures isolate the gateway's own runtime checks, and prints the median and mean
latency per call (milliseconds) of:

- ``GET /Organisation`` with rate limits disabled and enabled (admission + lease release);
- ``PUT /Contacts`` without a key, with a new key per call (claim + completion), and replaying one key;
- the stores alone: ``RateLimiter.admit`` + ``release``, ``IdempotencyStore.begin`` + ``finish``;

and, for each, the database statements per call on the runtime engine (a load-independent measure: each one is a
round trip to the database, plus BEGIN/COMMIT where a transaction is needed). Latencies depend heavily on the
machine's load and disk; run it on an idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from adapters import registry  # noqa: E402
from adapters.base import SourceAdapter, Tenant  # noqa: E402
from gateway.xero.models import Contact, Organisation  # noqa: E402
from gateway.xero.request import RequestContext, Result, XeroRequest  # noqa: E402

TENANT = "6f4b1d7e-2c3a-4e5f-9a8b-0c1d2e3f4a5b"
HEADERS = {"Authorization": "Bearer bench", "xero-tenant-id": TENANT, "Accept": "application/json"}
BODY = {"Contacts": [{"Name": "Bench Ltd"}]}
LARGE_LIMITS = {"tenant_per_minute": 10**9, "tenant_per_day": 10**9, "app_per_minute": 10**9}


class BenchAdapter(SourceAdapter):
    """Answers at once: only the gateway's own work is measured."""

    async def list_tenants(self) -> list[Tenant]:
        return [Tenant(TENANT, "Bench")]

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return Result(items=[Organisation(OrganisationID=ctx.tenant_id, Name="Bench")])

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return Result(items=[Contact(ContactID=str(uuid.uuid4()), Name=e.get("Name")) for e in req.elements])


async def no_guard(request, code, *, scopes, path, tenant_required=True) -> RequestContext:
    return RequestContext(source_code=code, tenant_id=TENANT, client_id="bench", app_name="Bench", user_id=None,
                          scopes=frozenset(scopes))


def figures(samples: Samples) -> str:
    return (f"median {statistics.median(samples) * 1000:7.3f} ms   mean {statistics.fmean(samples) * 1000:7.3f} ms"
            f"   {samples.statements:4.1f} statements/call")


class StatementCounter:
    """Counts the statements an engine sends (SQLAlchemy ``before_cursor_execute``)."""

    def __init__(self) -> None:
        self.count = 0

    def attach(self, engine) -> None:
        from sqlalchemy import event

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _count(*_args) -> None:
            self.count += 1


STATEMENTS = StatementCounter()


class Samples(list):
    """Seconds per call, and the runtime-engine statements per call."""

    statements: float = 0.0


async def timed(calls: int, make) -> Samples:
    samples = Samples()
    before = STATEMENTS.count
    for index in range(calls):
        start = time.perf_counter()
        await make(index)
        samples.append(time.perf_counter() - start)
    samples.statements = (STATEMENTS.count - before) / calls
    return samples


async def serve(data_dir: Path, url: str, rate_limits: dict) -> TestClient:
    from gateway.app import create_app
    from gateway.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    settings.database.url = url
    settings.rate_limits = settings.rate_limits.model_copy(update=rate_limits)
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    from gateway.appkeys import RUNTIME_DB

    STATEMENTS.attach(client.app[RUNTIME_DB].engine)
    return client


async def main(calls: int, url: str | None) -> None:
    import gateway.api.handler as handler

    registry.ADAPTERS["1000"] = f"{__name__}:BenchAdapter"
    handler.authenticate_api_call = no_guard
    with tempfile.TemporaryDirectory() as tmp:
        database = url or f"sqlite+aiosqlite:///{Path(tmp) / 'gateway.db'}"
        print(f"database: {database.split('@')[-1]}; {calls} sequential calls per figure")
        off = await serve(Path(tmp) / "off", database, {"enabled": False})
        on = await serve(Path(tmp) / "on", database, LARGE_LIMITS)

        async def get(client):
            async def one(_):
                async with client.get("/1000/api.xro/2.0/Organisation", headers=HEADERS) as resp:
                    assert resp.status == 200, await resp.text()
                    await resp.read()
            return one

        async def put(client, key_of):
            async def one(index):
                key = key_of(index)
                headers = {**HEADERS, "Idempotency-Key": key} if key else HEADERS
                async with client.put("/1000/api.xro/2.0/Contacts", headers=headers, json=BODY) as resp:
                    assert resp.status == 200, await resp.text()
                    await resp.read()
            return one

        await timed(20, await get(off))  # warm-up
        await timed(20, await get(on))
        base = await timed(calls, await get(off))
        limited = await timed(calls, await get(on))
        print(f"GET, rate limits off          {figures(base)}")
        print(f"GET, rate limits on           {figures(limited)}")
        overhead = (statistics.median(limited) - statistics.median(base)) * 1000
        print(f"  rate-limit overhead per call: {overhead:.3f} ms")

        run = uuid.uuid4().hex
        plain = await timed(calls, await put(off, lambda i: None))
        fresh = await timed(calls, await put(off, lambda i: f"{run}-{i}"))
        await (await put(off, lambda i: f"{run}-replay"))(0)
        replay = await timed(calls, await put(off, lambda i: f"{run}-replay"))
        print(f"PUT, no Idempotency-Key       {figures(plain)}")
        print(f"PUT, a new key per call       {figures(fresh)}")
        print(f"PUT, replaying one key        {figures(replay)}")
        overhead = (statistics.median(fresh) - statistics.median(plain)) * 1000
        print(f"  idempotency overhead per new key: {overhead:.3f} ms")

        from gateway.appkeys import IDEMPOTENCY, RATE_LIMITER
        from gateway.store.idempotency import KeyScope, StoredResponse

        limiter = on.app[RATE_LIMITER]

        async def admit(_):
            admission = await limiter.admit(code="1000", client_id="bench-direct", tenant_id=TENANT)
            await limiter.release(admission)

        store = off.app[IDEMPOTENCY]
        stored = StoredResponse(status=200, content_type="application/json", body=b"{}")

        async def claim(index):
            scope = KeyScope(source_code="1000", client_id="bench-direct", tenant_id=TENANT, key=f"{run}-d{index}")
            claimed = await store.begin(scope, fingerprint="0" * 64, operation_id="createContacts")
            await store.finish(scope, stored, attempts=claimed.attempts)

        print(f"RateLimiter.admit + release   {figures(await timed(calls, admit))}")
        print(f"Idempotency begin + finish    {figures(await timed(calls, claim))}")
        await off.close()
        await on.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.database_url))
