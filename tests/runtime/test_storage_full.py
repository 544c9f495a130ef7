"""A full disk: writes answer 503 with Retry-After, reads keep being served (issue 11, item 6).

Every engine of the app (the gateway's, its runtime state's, the native ledger's) is made to fail each write with
SQLite's own error, as a full disk makes it fail: ``sqlite3.OperationalError("database or disk is full")`` wrapped
by SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

import pytest
from aiohttp import web
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.appkeys import DB, RUNTIME_DB, SOURCES
from gateway.settings import load_settings
from gateway.xero.request import RequestContext

API = "/1000/api.xro/2.0"
TENANT = demo.DEMO_TENANT_ID
HEADERS = {"Authorization": "Bearer test", "xero-tenant-id": TENANT, "Accept": "application/json"}
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
async def client(aiohttp_client, tmp_path, monkeypatch):
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="test", app_name="Tests",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)
    return await aiohttp_client(create_app(load_settings(data_dir=tmp_path)))


def fill_the_disk(app: web.Application) -> None:
    engines = [app[DB].engine, app[RUNTIME_DB].engine, app[SOURCES].started()["1000"].db.engine]

    def refuse_writes(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            raise OperationalError(statement, parameters, sqlite3.OperationalError("database or disk is full"))

    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", refuse_writes)


def an_invoice() -> dict:
    return {"Invoices": [{"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10",
                          "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200",
                                         "TaxType": "OUTPUT2"}]}]}


async def test_full_disk_refuses_writes_with_503_and_serves_reads(client):
    fill_the_disk(client.server.app)

    response = await client.get(f"{API}/Invoices", headers=HEADERS)
    assert response.status == 200
    assert (await response.json())["Invoices"]

    response = await client.get(f"{API}/Contacts", headers=HEADERS)
    assert response.status == 200

    response = await client.put(f"{API}/Invoices", data=json.dumps(an_invoice()),
                                headers={**HEADERS, "Content-Type": "application/json"})
    assert response.status == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "storage is full" in await response.text()


async def test_other_database_errors_stay_500(client):
    app = client.server.app

    def broken(_conn, _cursor, statement, parameters, _context, _many) -> None:
        raise OperationalError(statement, parameters, sqlite3.OperationalError("disk I/O error"))

    event.listen(app[SOURCES].started()["1000"].db.engine.sync_engine, "before_cursor_execute", broken)
    response = await client.get(f"{API}/Invoices", headers=HEADERS)
    assert response.status == 500
