"""The upstream credentials are read ONCE per Xero call (adapter contract, :mod:`adapters.base`;
:mod:`adapters.common.unit`), however many Sage requests the call makes: counted on the gateway's provider."""

from __future__ import annotations

from collections import Counter

import pytest

from gateway import appkeys

LINE = {"Description": "Consulting", "Quantity": 2, "UnitAmount": 50, "AccountCode": "4000", "TaxType": "OUTPUT2"}


@pytest.fixture
def reads(session, monkeypatch) -> Counter:
    """Calls of the provider's ``credentials`` and ``refresh``, counted from now on."""
    provider = session.client.app[appkeys.SOURCES].upstream
    counts: Counter = Counter()
    for name in ("credentials", "refresh"):
        original = getattr(provider, name)

        async def counted(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return await _original(*args, **kwargs)

        monkeypatch.setattr(provider, name, counted)
    return counts


async def test_a_warm_list_reads_the_credentials_once(session, emulator, reads):
    tenant = session.tenant()
    await session.get("/Invoices", tenant, params={"page": "1", "pageSize": "2"})  # warms reference data and totals
    reads.clear()
    await emulator.reset_requests()
    page = await session.get("/Invoices", tenant, params={"page": "2", "pageSize": "2"})
    assert page["Invoices"]
    assert (await emulator.requests())["total"] >= 1
    assert reads == {"credentials": 1}


async def test_a_two_invoice_put_reads_the_credentials_once(session, emulator, reads):
    tenant = session.tenant()
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]["ContactID"]
    invoice = {"Type": "ACCREC", "Contact": {"ContactID": contact}, "Date": "2025-05-01", "DueDate": "2025-05-31",
               "Status": "AUTHORISED", "LineItems": [LINE]}
    reads.clear()
    await emulator.reset_requests()
    status, answer, _ = await session.call("PUT", "/Invoices", tenant, json={"Invoices": [invoice, invoice]},
                                           headers={"Idempotency-Key": "creds-once"})
    assert status == 200, answer
    assert len(answer["Invoices"]) == 2
    assert (await emulator.requests())["total"] >= 4  # reference data, the contact read, two POSTs…
    assert reads == {"credentials": 1}
