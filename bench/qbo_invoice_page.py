"""Upstream QBO requests for one page of 100 invoices through ``/1004``, with a cold and with a warm cache.

Usage: ``.venv/bin/python bench/qbo_invoice_page.py [--invoices N]``

It starts the QBO emulator (an empty company) and a gateway app on 127.0.0.1, connects a partner app through the
OAuth dance, writes ``N`` invoices (default 150) straight into the emulator, then asks the gateway for
``GET /Invoices?page=1&pageSize=100`` (all invoice types, and ``where=Type=="ACCREC"``) twice each: the first call
finds the adapter's caches empty (reference data, row counts), the second finds them warm. For each it prints the
upstream requests counted by the adapter (per path) and by the emulator, and how many times the adapter asked the
gateway for the tenant's upstream credentials (once per Xero call, :mod:`adapters.common.unit`). The figures are
counts, not timings: they do not depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import structlog  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402

from adapters.common.refcache import RefCache  # noqa: E402
from emulators.qbo import create_app as create_emulator  # noqa: E402
from tests.support import qbo as stack  # noqa: E402


class CountingCredentials:
    """The gateway's credentials provider, counting the reads the adapter makes (``credentials`` and ``refresh``)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.reads = 0

    async def credentials(self, code, tenant_id):
        self.reads += 1
        return await self.inner.credentials(code, tenant_id)

    async def refresh(self, code, tenant_id, *, failed_token):
        self.reads += 1
        return await self.inner.refresh(code, tenant_id, failed_token=failed_token)

    async def tenants(self, code):
        return await self.inner.tenants(code)


async def measure(invoices: int) -> None:
    pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
    with tempfile.TemporaryDirectory() as tmp:
        qbo = await stack.start(data_dir=Path(tmp) / "data", pem=pem,
                                emulator_app=create_emulator(stack.emulator_config(seed_dir=None)))
        try:
            await stack.seed_invoices(qbo, invoices)
            counting = CountingCredentials(qbo.adapter.client.tokens)
            qbo.adapter.client.tokens = counting
            print(f"{invoices} invoices in the emulator company; GET /1004/api.xro/2.0/Invoices, page 1 of 100")
            for label, params in (("all types", {"page": "1", "pageSize": "100"}),
                                  ('where Type=="ACCREC"', {"page": "1", "pageSize": "100",
                                                            "where": 'Type=="ACCREC"'})):
                qbo.adapter.cache = RefCache()  # cold: empty reference data and counts
                for state in ("cold", "warm"):
                    await qbo.admin("DELETE", "/requests")
                    counting.reads = 0
                    answer = await qbo.api("GET", "/Invoices", params=params)
                    assert answer.status == 200 and len(answer.body["Invoices"]) == 100, answer.status
                    operation, calls, by_path = qbo.adapter.recent_calls[-1]
                    seen = (await qbo.admin("GET", "/requests"))["total"]
                    paths = ", ".join(f"{n} × {p}" for p, n in sorted(by_path.items()))
                    print(f"  {label:22} {state}: {calls} upstream request(s) [{paths}]; emulator counted {seen}; "
                          f"credentials read {counting.reads}")
        finally:
            await stack.stop(qbo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=150, help="invoices to create (at least 100)")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    asyncio.run(measure(max(100, args.invoices)))


if __name__ == "__main__":
    main()
