"""Count the Sage calls behind one Xero page of invoices (``GET /1009/api.xro/2.0/Invoices?page=N&pageSize=100``).

The real gateway app and the Sage emulator are served in-process on 127.0.0.1 (aiohttp test servers) over a fresh
data directory; a partner app goes through the real upstream consent (tests/support/sage.py), ``--invoices`` sales
invoices are added to the lead business through the gateway, then each requested page is fetched twice: cold (the
adapter's reference data and list totals are loaded) and warm. The emulator's request log gives the upstream calls
of each fetch.

Usage::

    .venv/bin/python bench/sage_invoice_page.py [--invoices 150] [--pages 1,2]

Prints, per page, the upstream calls of the cold and warm fetch and the paths called. No figure is asserted here
(tests/sage/test_api.py asserts the warm page 1 is one list call).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from joserfc.jwk import RSAKey  # noqa: E402

from adapters import registry  # noqa: E402
from adapters.sage_accounting.cache import RefCache  # noqa: E402
from emulators.sage_accounting import create_app  # noqa: E402
from tests.support import sage  # noqa: E402

LINE = {"Description": "Bench", "Quantity": 1, "UnitAmount": 10, "AccountCode": "4000", "TaxType": "OUTPUT2"}


async def run(invoices: int, pages: list[int]) -> None:
    registry.ADAPTERS["1000"] = "tests.identity.fake_adapter:FakeAdapter"  # no native demo seeding: not measured
    config = sage.emulator_config(requests_per_minute=1_000_000, validate_requests=False)
    pem = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)
    with tempfile.TemporaryDirectory() as data:
        session = await sage.start(data_dir=Path(data), pem=pem, emulator_app=create_app(config))
        try:
            emulator = session.emulator
            contact = (await session.api("GET", "/Contacts", params={"where": "IsCustomer==true"})).body["Contacts"][0]
            batch = [{"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "Status": "AUTHORISED",
                      "LineItems": [LINE]} for _ in range(invoices)]
            for start in range(0, invoices, 50):
                answer = await session.api("PUT", "/Invoices", body={"Invoices": batch[start:start + 50]})
                assert answer.status == 200, answer.body
            for page in pages:
                for label in ("cold", "warm"):
                    if label == "cold":
                        session.adapter.cache = RefCache()  # a cold cache: reference data and totals dropped
                    await emulator.reset_requests()
                    answer = await session.api("GET", "/Invoices", params={"page": str(page), "pageSize": "100"})
                    assert answer.status == 200, answer.body
                    log = await emulator.requests()
                    print(f"page {page} ({len(answer.body['Invoices'])} invoices of "
                          f"{answer.body['pagination']['itemCount']}), {label} cache: {log['total']} upstream "
                          f"call(s) {log['by_path']}")
        finally:
            await sage.stop(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=150, help="sales invoices to add (default 150)")
    parser.add_argument("--pages", default="1,2", help="pages to fetch, comma-separated (default 1,2)")
    args = parser.parse_args()
    asyncio.run(run(args.invoices, [int(p) for p in args.pages.split(",")]))


if __name__ == "__main__":
    main()
