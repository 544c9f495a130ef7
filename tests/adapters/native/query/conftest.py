"""Fixtures of the query push-down and write-rule tests of the native ledger.

The seeded demo ledger and the adapter fixtures come from ``tests/adapters/native/core/conftest.py`` (a private copy of
the
seeded database per test). :func:`call` drives an operation directly with a chosen ``client_id`` and push-down
mode; :func:`app_client` serves the real gateway app over the same ledger with a fake guard, for HTTP and SDK
tests (the guard is the identity developer's; here a bearer token and the tenant header are all it checks).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from adapters.native.adapter import NativeLedgerAdapter
from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest
from tests.adapters.native.conftest import install_guard, make_guard
from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures re-registered for this package)
    SEED_TIME,
    TEST_START,
    TickClock,
    adapter,
    invoice_element,
    ledger_dir,
    start_adapter,
)

TENANT = demo.DEMO_TENANT_ID
CLIENT_ID = "query-tests-client"
API = "/1000/api.xro/2.0"
TOKEN = "native-query-token"


def ctx(client_id: str = CLIENT_ID) -> RequestContext:
    """A request context for the demo tenant, as app ``client_id``."""
    return RequestContext(source_code="1000", tenant_id=TENANT, client_id=client_id, app_name="Query tests",
                          user_id=demo.DEMO_USER_ID, scopes=frozenset({"accounting.transactions"}))


def list_query(**query: Any) -> ListQuery:
    """A ``ListQuery``; ``where``/``order`` may be text (parsed as the front end does)."""
    if isinstance(query.get("where"), str):
        query["where_text"] = query["where"]
        query["where"] = parse_where(query["where"])
    if isinstance(query.get("order"), str):
        query["order"] = parse_order(query["order"])
    return ListQuery(**query)


async def call(ledger: NativeLedgerAdapter, operation_id: str, *, elements: Sequence[dict[str, Any]] = (),
               path: dict[str, str] | None = None, client_id: str = CLIENT_ID, pushdown: bool = True,
               query: ListQuery | None = None, **params: Any) -> Result:
    """Call an operation by ``operationId`` (``ListQuery`` fields as keywords, or a ready ``query``)."""
    method = ledger.operation(operation_id)
    assert method is not None, f"{operation_id} is not implemented"
    req = XeroRequest(operation_id=operation_id, method="GET" if operation_id.startswith("get") else "POST",
                      path_params=dict(path or {}), query=query or list_query(**params), elements=list(elements))
    ledger.sql_pushdown = pushdown
    try:
        result = await method(ctx(client_id), req)
    finally:
        ledger.sql_pushdown = True
    assert isinstance(result, Result)
    return result


async def set_lock_dates(ledger: NativeLedgerAdapter, *, period: Any = None, end_of_year: Any = None) -> None:
    """Set the demo company's lock dates directly in the ledger (the API has no way to set them, as in Xero)."""
    from adapters.native.tables.core import Company

    assert ledger.db is not None
    async with ledger.db.session() as session, session.begin():
        company = await session.get(Company, TENANT)
        assert company is not None
        company.period_lock_date, company.end_of_year_lock_date = period, end_of_year


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a freshly seeded demo ledger: the one ``tests/adapters/native/core`` seeded in this
    session when
    there is one (seeding takes seconds), else a new one."""
    base = tmp_path_factory.getbasetemp()
    for candidate in sorted(base.glob("native-seed*")):
        if (candidate / "ledger.db").exists():
            return candidate
    path = tmp_path_factory.mktemp("native-query-seed")

    async def seed() -> None:
        started = await start_adapter(path, lambda: SEED_TIME)
        assert started.demo_created
        await started.shutdown()

    asyncio.run(seed())
    return path


async def add_edge_records(ledger: NativeLedgerAdapter) -> None:
    """Records carrying values the demo data lacks, written through the API as a client would: non-ASCII names
    whose case folding changes length (``İ``), a GUID-looking reference and account number, a URL, optional dates,
    a discount, a contact with default tax type and accounts."""
    await call(ledger, "createContacts", elements=[
        {"Name": "İstanbul Ünïcode Ltd", "FirstName": "Ægir", "LastName": "straße", "EmailAddress": "x@ü.example",
         "AccountNumber": "0E64A623-A53D-4F5C-8A56-E5B7D4AF9C1A", "AccountsReceivableTaxType": "OUTPUT2",
         "AccountsPayableTaxType": "INPUT2", "SalesDefaultAccountCode": "200", "PurchasesDefaultAccountCode": "400",
         "DefaultCurrency": "GBP", "CompanyNumber": "0999", "TaxNumber": "GB 999 0000 00",
         "BankAccountDetails": "20-00-00 12345678"}])
    await call(ledger, "createAccount", elements=[
        {"Code": "299", "Name": "Édge Sales", "Type": "SALES", "ReportingCode": "REV.TRA", "Description": "Edge",
         "AddToWatchlist": True, "ShowInExpenseClaims": True, "EnablePaymentsToAccount": True}])
    await call(ledger, "createInvoices", elements=[
        invoice_element(Contact={"Name": "İstanbul Ünïcode Ltd"}, Reference="0E64A623A53D4F5C8A56E5B7D4AF9C1A",
                        Url="https://example.com/İ", ExpectedPaymentDate="2026-04-01", Status="DRAFT"),
        invoice_element(Reference="STRASSE straße", PlannedPaymentDate="2026-04-02", BrandingThemeID="abc",
                        LineItems=[{"Description": "x", "Quantity": 1, "UnitAmount": "10.5", "AccountCode": "200",
                                    "DiscountRate": 10}])])


class LoopRunner:
    """A started adapter on its own event loop, for synchronous (hypothesis) tests."""

    def __init__(self, data_dir: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.adapter = self.loop.run_until_complete(start_adapter(data_dir, TickClock(TEST_START)))
        self.run(add_edge_records(self.adapter))

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.loop.run_until_complete(self.adapter.shutdown())
        self.loop.close()


@pytest.fixture(scope="module")
def runner(seeded_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopRunner]:
    """An adapter on a copy of the seeded demo ledger plus :func:`add_edge_records`, driven from synchronous
    tests (which only read)."""
    path = tmp_path_factory.mktemp("native-query-runner")
    for file in seeded_dir.iterdir():
        if file.name.startswith("ledger.db"):
            shutil.copy(file, path / file.name)
    started = LoopRunner(path)
    yield started
    started.close()


@pytest.fixture
async def app_client(aiohttp_client, ledger_dir: Path, monkeypatch):  # noqa: F811
    """The real gateway app (native ledger on a copy of the demo) behind a fake guard."""

    install_guard(monkeypatch, make_guard(TOKEN, client_id=CLIENT_ID, app_name="Query tests"))
    settings = load_settings(data_dir=ledger_dir)
    settings.rate_limits.enabled = False
    return await aiohttp_client(create_app(settings))


@pytest.fixture
def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}


__all__ = ["API", "CLIENT_ID", "TENANT", "TOKEN", "call", "ctx", "invoice_element", "list_query",
           "set_lock_dates"]
