"""Lists still page correctly when Sage spells the page size ``$items_per_page`` (one of Sage's guide pages does;
upstream-contracts.md §2 "Lists"): the emulator answers in that spelling here."""

from __future__ import annotations

import pytest

from tests.support.sage import CLIENT_ID, CLIENT_SECRET


@pytest.fixture
def emulator_config():
    from emulators.sage_accounting import EmulatorConfig, OAuthClient

    return EmulatorConfig(clients=[OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)],
                          requests_per_minute=100_000, items_per_page_key="$items_per_page")


async def test_paging_with_the_underscored_spelling(session):
    tenant = next(t["tenantId"] for t in session.tenants if t["tenantName"] == "Emulator Trading Ltd")
    everything = [i["InvoiceID"] for i in (await session.get("/Invoices", tenant))["Invoices"]]
    paged = []
    for page in (1, 2, 3, 4):
        answer = await session.get("/Invoices", tenant, params={"page": str(page), "pageSize": "2"})
        assert answer["pagination"]["itemCount"] == len(everything) == 6
        paged += [i["InvoiceID"] for i in answer["Invoices"]]
    assert paged == everything
    assert (await session.get("/Contacts", tenant, params={"page": "9"}))["Contacts"] == []
