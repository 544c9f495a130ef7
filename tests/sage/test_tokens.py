"""Sage's 300-second access tokens and rotating refresh tokens through the gateway (in process, with the emulator,
which rejects a refresh token used twice): expiry mid-session, concurrent calls during a refresh, refresh ahead of
expiry, and two gateway instances sharing one database. The refresh machinery is the gateway's
(:mod:`gateway.upstream.tokens`); these tests prove the adapter uses it so that no refresh token is ever lost."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.upstream.models import UpstreamAuthorization
from tests.support.sage import CODE, connect, make_gateway_app, move_gateway_clock


async def versions(client) -> list[int]:
    async with client.app[IDENTITY].db.session() as s:
        return [a.version for a in (await s.scalars(select(UpstreamAuthorization))).all()]


async def statuses(emulator) -> list[int]:
    return [entry["status"] for entry in (await emulator.requests())["log"]]


async def test_expiry_mid_session_refreshes_once(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    assert (await session.get("/Organisation", tenant))["Organisations"][0]["Name"] == "Emulator Trading Ltd"
    assert await versions(gateway) == [1]

    await emulator.admin("POST", "/_emulator/clock", {"advance": 301})  # Sage's token died; the gateway's clock says no
    await emulator.reset_requests()
    contacts = await session.get("/Contacts", tenant)  # not served from the reference cache: Sage is called
    assert "Acme Retail Ltd" in [c["Name"] for c in contacts["Contacts"]]
    assert await versions(gateway) == [2]
    assert 401 in await statuses(emulator)  # answered once, then refreshed and repeated

    await emulator.admin("POST", "/_emulator/clock", {"advance": 301})
    results = await asyncio.gather(*(session.call("GET", path, tenant) for path in
                                     ["/Organisation", "/Contacts", "/Accounts", "/Invoices", "/TaxRates",
                                      "/Items", "/BankTransfers", "/Currencies", "/ManualJournals", "/Payments"]))
    assert [r[0] for r in results] == [200] * 10
    assert await versions(gateway) == [3]  # ten calls, one refresh (a second use of the token would be invalid_grant)


async def test_refresh_ahead_of_expiry_and_no_lost_refresh_token(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    for step in range(1, 4):
        move_gateway_clock(gateway, 250 * step)  # within the 60 s margin of the 300 s token
        await emulator.admin("POST", "/_emulator/clock", {"advance": 250})
        await emulator.reset_requests()
        results = await asyncio.gather(*(session.call("GET", "/Contacts", tenant) for _ in range(5)))
        assert {r[0] for r in results} == {200}
        assert 401 not in await statuses(emulator)  # renewed before the call, not after Sage refused it
        assert await versions(gateway) == [1 + step]


async def test_two_gateway_processes_share_one_refresh(aiohttp_client, tmp_path, signing_pem, gateway, emulator,
                                                       xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    other = await aiohttp_client(make_gateway_app(tmp_path / "data", signing_pem))
    tenant = session.tenant()
    twin = type(session)(client=other, app=session.app, tokens=session.tokens, tenants=session.tenants,
                         xero_spec=xero_spec)
    assert (await twin.get("/Organisation", tenant))["Organisations"]
    await emulator.admin("POST", "/_emulator/clock", {"advance": 301})
    calls = [s.call("GET", "/Contacts", tenant) for s in (session, twin) for _ in range(6)]
    results = await asyncio.gather(*calls)
    assert [r[0] for r in results] == [200] * 12
    assert await versions(gateway) == [2]


async def test_a_reused_refresh_token_needs_reauthorization(gateway, emulator, xero_spec):
    """The emulator really rejects a refresh token used twice: the authorization is then gone (401 to the app)."""
    session = await connect(gateway, emulator, xero_spec=xero_spec)
    tenant = session.tenant()
    provider = gateway.app[appkeys.SOURCES].upstream
    async with gateway.app[IDENTITY].db.session() as s:
        auth = (await s.scalars(select(UpstreamAuthorization))).one()
    stale = provider.box.decrypt(auth.refresh_token_sealed)
    await emulator.admin("POST", "/_emulator/clock", {"advance": 301})
    assert (await session.call("GET", "/Contacts", tenant))[0] == 200
    async with gateway.app[IDENTITY].db.session() as s, s.begin():  # simulate a lost rotation: put the old one back
        row = (await s.scalars(select(UpstreamAuthorization))).one()
        row.refresh_token_sealed = provider.box.encrypt(stale)
    await emulator.admin("POST", "/_emulator/clock", {"advance": 301})
    status, body, _ = await session.call("GET", "/Contacts", tenant)
    assert status == 401 and body["Detail"].startswith("AuthenticationUnsuccessful")
    assert CODE in body["Detail"] or "Sage" in body["Detail"]
