"""The cache of translated records (adapters/qbo/translated.py) never serves a stale record: a change made in
QuickBooks (a new SyncToken) and a reference changed through the gateway (an item's code) show on the next page, and
a page served from it is byte for byte the page a fresh translation gives (JSON and XML, paged or not, where, order,
unitdp, summaryOnly)."""

from __future__ import annotations

import re

from adapters.qbo.translated import TranslatedRecords
from tests.support.qbo import QboStack, seed_invoices

PAGE = {"page": "1", "pageSize": "100"}


def _ours(body: dict) -> list[dict]:
    return [i for i in body["Invoices"] if (i.get("Contact") or {}).get("Name") == "Volume Customer"]


async def test_an_update_in_quickbooks_is_seen_by_the_next_page(qbo: QboStack) -> None:
    await seed_invoices(qbo, 2)
    first = await qbo.api("GET", "/Invoices", params=PAGE)
    assert first.status == 200 and len(qbo.adapter.translated._lru) > 0  # the page went through the cache
    invoice = _ours(first.body)[0]
    assert "Reference" not in invoice
    ref = (await qbo.adapter.ids.resolve(await qbo.adapter.client.realm_id(qbo.tenant_id), invoice["InvoiceID"]))[0]
    current = (await qbo.qbo("GET", f"/invoice/{ref.qbo_id}"))["Invoice"]
    changed = await qbo.qbo("POST", "/invoice", body={"Id": current["Id"], "SyncToken": current["SyncToken"],
                                                      "sparse": True, "PrivateNote": "changed in QuickBooks"})
    assert changed["Invoice"]["SyncToken"] != current["SyncToken"]
    again = await qbo.api("GET", "/Invoices", params=PAGE)
    seen = next(i for i in again.body["Invoices"] if i["InvoiceID"] == invoice["InvoiceID"])
    assert seen["Reference"] == "changed in QuickBooks"


async def test_a_reference_changed_through_the_gateway_is_seen_by_the_next_page(qbo: QboStack) -> None:
    await seed_invoices(qbo, 1)
    first = await qbo.api("GET", "/Invoices", params=PAGE)
    (invoice,) = _ours(first.body)
    assert invoice["LineItems"][0]["ItemCode"] == "Hours"
    items = (await qbo.api("GET", "/Items")).body["Items"]
    item_id = next(i["ItemID"] for i in items if i["Code"] == "Hours")
    renamed = await qbo.api("POST", f"/Items/{item_id}", body={"Items": [{"ItemID": item_id, "Code": "Hours-2"}]})
    assert renamed.status == 200, renamed.body
    again = await qbo.api("GET", "/Invoices", params=PAGE)
    (seen,) = _ours(again.body)
    assert seen["LineItems"][0]["ItemCode"] == "Hours-2"


#: The envelope's Id and DateTimeUTC (JSON or XML): what differs between any two calls.
ENVELOPE = re.compile(rb'"Id":"[0-9a-f-]{36}"|"DateTimeUTC":"[^"]*"|<Id>[0-9a-f-]{36}</Id>'
                      rb"|<DateTimeUTC>[^<]*</DateTimeUTC>")


def _stable(raw: bytes) -> bytes:
    return ENVELOPE.sub(b"", raw, count=2)


async def test_cached_pages_answer_byte_for_byte_what_a_fresh_translation_answers(qbo: QboStack) -> None:
    await seed_invoices(qbo, 2)
    since = {"If-Modified-Since": "2015-01-01T00:00:00"}
    asks = [(path, params, {"Accept": accept, **extra}) for path, params, extra in (
        ("/Invoices", PAGE, {}), ("/Invoices", {"page": "1", "where": 'Type=="ACCREC"', "order": "Total DESC"}, {}),
        ("/Invoices", {"page": "1", "unitdp": "4", "summaryOnly": "true"}, {}), ("/Invoices", {}, since),
        ("/CreditNotes", {"page": "1"}, {})) for accept in ("application/json", "application/xml")]
    cached = []
    for path, params, headers in asks:
        await qbo.api("GET", path, params=params, headers=headers, validate=False)  # fills the cache
        answer = await qbo.api("GET", path, params=params, headers=headers, validate=False)
        assert answer.status == 200, answer.body
        cached.append(_stable(answer.raw))
    assert len(qbo.adapter.translated._lru) > 0
    qbo.adapter.translated = TranslatedRecords(0)  # every record translated and rendered afresh
    for (path, params, headers), before in zip(asks, cached, strict=True):
        answer = await qbo.api("GET", path, params=params, headers=headers, validate=False)
        assert _stable(answer.raw) == before, (path, params, headers)
